/**
 * Times are stored as UTC instants and shown in Asia/Shanghai (PRODUCT.md, Server): the console, the
 * resident's pages, the exports and the demo all convert here. Asia/Shanghai is UTC+8 all year (no
 * daylight saving since 1991), so days and wall-clock times are plain arithmetic on the offset; only
 * the screens' locale-dependent wording goes through Intl.
 */
const OFFSET_MS = 8 * 3_600_000
const DAY_MS = 24 * 3_600_000

type At = string | number | Date
const ms = (at: At): number => (at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at))
/** The instant's Shanghai wall clock as an ISO string without zone: `2026-11-25T18:04:05.000`. */
const wall = (at: At): string => new Date(ms(at) + OFFSET_MS).toISOString().slice(0, 23)

/** `2026-11-25 18:04:05`: exports and files. */
export function shanghaiDateTime(at: At): string {
  return wall(at).slice(0, 19).replace('T', ' ')
}

/** The Shanghai calendar day of an instant, `YYYY-MM-DD` (what a date input holds). */
export function shanghaiDay(at: At = Date.now()): string {
  return wall(at).slice(0, 10)
}

/** The Shanghai calendar year of an instant. */
export function shanghaiYear(at: At = Date.now()): number {
  return Number(wall(at).slice(0, 4))
}

/** The first millisecond of a Shanghai day (`YYYY-MM-DD`) as the UTC instant the server stores. */
export function shanghaiDayStart(day: string): string {
  return new Date(`${day}T00:00:00.000+08:00`).toISOString()
}

/** The last millisecond of a Shanghai day (`YYYY-MM-DD`) as the UTC instant the server stores. */
export function shanghaiDayEnd(day: string): string {
  return new Date(`${day}T23:59:59.999+08:00`).toISOString()
}

/** `hour:minute` on `month`/`day` of `year` in Shanghai, as epoch milliseconds. */
export function shanghaiInstant(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS
}

/** Midnight in Shanghai that starts the day `days` after the day of `at`, as epoch milliseconds. */
export function shanghaiMidnight(at: At, days = 0): number {
  const local = ms(at) + OFFSET_MS
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - OFFSET_MS + days * DAY_MS
}

const SHORT = {
  zh: new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }),
}

/** A date and time for a screen, in the reader's language: `2026/11/25 18:04` or `25/11/2026, 18:04`. */
export function shanghaiShort(at: At, locale: 'zh' | 'en'): string {
  return SHORT[locale].format(ms(at))
}
