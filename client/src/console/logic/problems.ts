import { isProblemCode, PROBLEMS } from '@minyi/shared/problems'
import { format } from '../../composables/use-i18n.ts'
import { ApiError } from '../api.ts'
import { type ConsoleKey, en, zh } from '../messages.ts'

export type ConsoleLocale = 'zh' | 'en'

const isConsoleKey = (key: string): key is ConsoleKey => Object.hasOwn(zh, key)

/**
 * What a failed call says on the page, in the console's locale, from its code alone: the console's
 * own wording (`problem_<code>` in messages.ts) first, else the shared catalogue's, else a generic
 * line naming the code. The server's `message` is zh-CN only and is never shown. A validation
 * failure names its fields (zod paths); the English console adds the server's per-field reason,
 * which is written in English.
 */
export function problemText(e: unknown, locale: ConsoleLocale): string {
  const messages = locale === 'en' ? en : zh
  if (!(e instanceof ApiError)) return messages.problem_script
  const own = `problem_${e.code}`
  const text = isConsoleKey(own)
    ? messages[own]
    : isProblemCode(e.code)
      ? PROBLEMS[e.code][locale]
      : format(messages.problem_unknown, { code: e.code })
  if (e.details.length === 0 || e.code === 'malformed_reply') return text
  const fields = [...new Set(e.details.map((d) => (locale === 'en' && d.message ? `${d.path}: ${d.message}` : d.path)))]
  return format(messages.problemFields, { text, fields: fields.join(locale === 'en' ? '; ' : '；') })
}
