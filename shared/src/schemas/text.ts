import { z } from './zod.ts'

/**
 * The one text rule for every string the server stores or looks up, and the client saves (issue 10):
 * no C0 control character except tab, line feed and carriage return, and no DEL. PostgreSQL refuses NUL
 * in text while SQLite stores it, so without one rule the same item was stored on one database and
 * lost a whole batch on the other; nothing a person types needs these characters.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

export function isCleanText(s: string): boolean {
  return !FORBIDDEN.test(s)
}

/** The path of the first string in `value` (a value or an object key) that breaks the rule, or null. */
export function findUncleanText(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return isCleanText(value) ? null : path
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = findUncleanText(v, [...path, i])
      if (bad) return bad
    }
    return null
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isCleanText(k)) return [...path, k]
      const bad = findUncleanText(v, [...path, k])
      if (bad) return bad
    }
  }
  return null
}

export const TEXT_RULE_MESSAGE = 'contains a control character'

/** A string that keeps the text rule, for schemas that check a single field (query strings, path parameters). */
export const CleanString = z.string().refine(isCleanText, TEXT_RULE_MESSAGE)
