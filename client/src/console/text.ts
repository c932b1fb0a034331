import type { I18nText } from '@minyi/shared/schemas'
import { format, useI18n } from '../composables/use-i18n.ts'
import { problemText } from './logic/problems.ts'
import { type ConsoleKey, en, zh } from './messages.ts'

const CHANNEL_KEY: Record<string, ConsoleKey> = {
  qr: 'channelQr',
  door: 'channelDoor',
  paper: 'channelPaper',
  symposium: 'channelSymposium',
}

/** The console's strings in the page's one locale (shared with the resident pages' switch). */
export function useConsoleText() {
  const { locale, toggle } = useI18n()
  const t = (key: ConsoleKey, params?: Record<string, string | number>) => format((locale.value === 'en' ? en : zh)[key], params)
  const known = (key: string): key is ConsoleKey => key in zh
  return {
    locale,
    toggle,
    t,
    /** What a failed call says, from its error code (never the server's zh message). */
    problem: (e: unknown) => problemText(e, locale.value),
    tx: (text: I18nText | undefined) => (text ? (locale.value === 'en' && text.en ? text.en : text.zh) : ''),
    channel: (c: string) => {
      const key = CHANNEL_KEY[c]
      return key ? t(key) : c
    },
    /** A flag or an exclusion reason (METHOD.md names) in words. */
    reason: (name: string) => {
      const flag = `flag_${name}`
      const excl = `excl_${name}`
      return known(flag) ? t(flag) : known(excl) ? t(excl) : name
    },
    /** Times are stored as UTC instants and shown in Asia/Shanghai (PRODUCT.md, Server). */
    time: (iso: string) =>
      new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(iso)),
  }
}

const SHANGHAI_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' })
/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD` (what a date input holds). */
export const shanghaiDay = (at: string | Date = new Date()) => SHANGHAI_DAY.format(new Date(at))
/** Whole days in Asia/Shanghai as the UTC instants the server stores: the first and the last millisecond. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString()
export const dayEnd = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString()
