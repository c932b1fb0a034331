import { problemMessage } from '@minyi/shared/problems'
import type { I18nText } from '@minyi/shared/schemas'
import { ref, shallowRef, watch } from 'vue'
import { LS_LOCALE } from '../constants/storage-keys.ts'
import { type Locale, type MessageKey, zh } from '../i18n/messages.ts'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LS_LOCALE)
    if (saved === 'zh' || saved === 'en') return saved
  } catch {
    // localStorage throws in some private modes; zh-CN is the default anyway.
  }
  return 'zh'
}

/**
 * One locale for the whole page (module scope), zh-CN unless the resident switched. The English
 * strings are a lazy chunk (i18n/messages-en.ts): the locale turns to 'en' once they have arrived,
 * so no screen ever mixes the two languages.
 */
const locale = ref<Locale>('zh')
const enMessages = shallowRef<Record<MessageKey, string> | null>(null)
function switchTo(l: Locale): Promise<void> {
  if (l === 'zh' || enMessages.value) {
    locale.value = l
    return Promise.resolve()
  }
  return import('../i18n/messages-en.ts').then((m) => {
    enMessages.value = m.en
    locale.value = 'en'
  })
}
const messages = (l: Locale) => (l === 'en' && enMessages.value) || zh
function applyToDocument(l: Locale) {
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en'
  document.title = messages(l).appName
}
if (typeof document !== 'undefined' && initialLocale() === 'en') void switchTo('en')
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
    t: (key: MessageKey, params?: Record<string, string | number>) => format(messages(locale.value)[key], params),
    /** Content from the questionnaire: English when present, else the zh source. */
    tx: (text: I18nText | undefined) => (text ? (locale.value === 'en' && text.en ? text.en : text.zh) : ''),
    /** An error code from shared/src/problems.ts. */
    problem: (code: string) => problemMessage(code, locale.value),
    toggle: () => switchTo(locale.value === 'zh' ? 'en' : 'zh'),
  }
}
