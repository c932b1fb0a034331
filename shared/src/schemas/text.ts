import { z } from './zod.ts'

/**
 * The one text rule for every string the server stores or looks up, and the client saves (issue 10):
 * no C0 control character except tab, line feed and carriage return, and no DEL. PostgreSQL refuses NUL
 * in text while SQLite stores it, so without one rule the same item was stored on one database and
 * lost a whole batch on the other; nothing a person types needs these characters.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same set, every occurrence
const FORBIDDEN_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

export function isCleanText(s: string): boolean {
  return !FORBIDDEN.test(s)
}

/** True when every string and object key in `value` keeps the rule (no allocation: sync runs it on every item). */
function allClean(value: unknown): boolean {
  if (typeof value === 'string') return !FORBIDDEN.test(value)
  if (value === null || typeof value !== 'object') return true
  if (Array.isArray(value)) {
    for (const v of value) if (!allClean(v)) return false
    return true
  }
  for (const k in value) {
    if (FORBIDDEN.test(k) || !allClean((value as Record<string, unknown>)[k])) return false
  }
  return true
}

/** The path of the first string in `value` (a value or an object key) that breaks the rule, or null. */
export function findUncleanText(value: unknown): (string | number)[] | null {
  return allClean(value) ? null : pathOfUnclean(value, [])
}

function pathOfUnclean(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return isCleanText(value) ? null : path
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = pathOfUnclean(v, [...path, i])
      if (bad) return bad
    }
    return null
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isCleanText(k)) return [...path, k]
      const bad = pathOfUnclean(v, [...path, k])
      if (bad) return bad
    }
  }
  return null
}

/** The string without the characters the rule forbids. */
export function stripControlChars(s: string): string {
  return FORBIDDEN.test(s) ? s.replace(FORBIDDEN_ALL, '') : s
}

export const TEXT_RULE_MESSAGE = 'contains a control character'

/**
 * How the rule applies: what a person or a form sent (a sync item, a login, a setting) is refused
 * when it breaks it — a sync item alone (`rejected` with `invalid_text`, the rest of its batch is
 * stored), any other body with 400 `invalid_text` — while an envelope's own labels (a device id, an
 * app version) are stripped of those characters, so a batch is never lost over its metadata.
 */
/** A string that keeps the text rule, for schemas that check a single field (query strings, path parameters). */
export const CleanString = z.string().refine(isCleanText, TEXT_RULE_MESSAGE)
/** A label of an envelope (device id, app version): the forbidden characters are removed, then the checks run. */
export const StrippedString = z.string().overwrite(stripControlChars)
