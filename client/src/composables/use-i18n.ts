import { problemMessage } from '@minyi/shared/problems'
import type { I18nText } from '@minyi/shared/schemas'
import { ref, watch } from 'vue'
import { LS_LOCALE } from '../constants/storage-keys.ts'
import { type Locale, MESSAGES, type MessageKey } from '../i18n/messages.ts'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LS_LOCALE)
    if (saved === 'zh' || saved === 'en') return saved
  } catch {
    // localStorage throws in some private modes; zh-CN is the default anyway.
  }
  return 'zh'
}

/** One locale for the whole page (module scope), zh-CN unless the resident switched. */
const locale = ref<Locale>(initialLocale())
function applyToDocument(l: Locale) {
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en'
  document.title = MESSAGES[l].appName
}
if (typeof document !== 'undefined' && locale.value !== 'zh') applyToDocument(locale.value)
watch(locale, (l) => {
  applyToDocument(l)
  try {
    localStorage.setItem(LS_LOCALE, l)
  } catch {
    // not persisted: fine
  }
})

export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`))
}

export function useI18n() {
  return {
    locale,
    /** A UI string by key. */
    t: (key: MessageKey, params?: Record<string, string | number>) => format(MESSAGES[locale.value][key], params),
    /** Content from the questionnaire: English when present, else the zh source. */
    tx: (text: I18nText | undefined) => (text ? (locale.value === 'en' && text.en ? text.en : text.zh) : ''),
    /** An error code from shared/src/problems.ts. */
    problem: (code: string) => problemMessage(code, locale.value),
    toggle: () => {
      locale.value = locale.value === 'zh' ? 'en' : 'zh'
    },
  }
}
