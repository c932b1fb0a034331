import { Locale } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import { watchEffect } from 'vue'
import { format, useI18n } from '../composables/use-i18n.ts'
import { en, type WorkerKey, zh } from './messages.ts'

/** The worker app's strings in the page's one locale (shared with the resident pages' switch); Vant's own texts follow it. */
export function useWorkerText() {
  const { locale, toggle, problem, tx } = useI18n()
  watchEffect(() => (locale.value === 'en' ? Locale.use('en-US', enUS) : Locale.use('zh-CN', zhCN)))
  const t = (key: WorkerKey, params?: Record<string, string | number>) => format((locale.value === 'en' ? en : zh)[key], params)
  return {
    locale,
    toggle,
    t,
    tx,
    problem,
    /** Times are shown in Asia/Shanghai (PRODUCT.md, Server). */
    time: (at: string | number) =>
      new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(at)),
  }
}
