import { ATTENDEE_LABELS, CHANNEL_LABELS, labelOf, reasonLabel } from '@minyi/shared/labels'
import type { I18nText } from '@minyi/shared/schemas'
import { shanghaiShort } from '@minyi/shared/time'
import { format, useI18n } from '../composables/use-i18n.ts'
import { problemText } from './logic/problems.ts'
import { type ConsoleKey, en, zh } from './messages.ts'

/** The console's strings in the page's one locale (shared with the resident pages' switch). */
export function useConsoleText() {
  const { locale, toggle } = useI18n()
  const t = (key: ConsoleKey, params?: Record<string, string | number>) => format((locale.value === 'en' ? en : zh)[key], params)
  return {
    locale,
    toggle,
    t,
    /** What a failed call says, from its error code (never the server's zh message). */
    problem: (e: unknown) => problemText(e, locale.value),
    tx: (text: I18nText | undefined) => (text ? (locale.value === 'en' && text.en ? text.en : text.zh) : ''),
    /** Channels, flags, exclusion reasons and attendee categories in the shared words (shared/src/labels.ts). */
    channel: (c: string) => labelOf(CHANNEL_LABELS, c, locale.value),
    reason: (name: string) => reasonLabel(name, locale.value),
    category: (c: string) => labelOf(ATTENDEE_LABELS, c, locale.value),
    /** Times are stored as UTC instants and shown in Asia/Shanghai (shared/src/time.ts). */
    time: (iso: string) => shanghaiShort(iso, locale.value),
  }
}
