import { UuidV7 } from '@minyi/shared/schemas'
import {
  shanghaiDateTime,
  shanghaiDay,
  shanghaiDayEnd,
  shanghaiDayStart,
  shanghaiInstant,
  shanghaiMidnight,
  shanghaiShort,
  shanghaiYear,
} from '@minyi/shared/time'
import { uuidv4, uuidv7 } from '@minyi/shared/uuid'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

// shared/src/time.ts and uuid.ts: the one Asia/Shanghai conversion and the one id maker that the
// console, the resident's pages, the exports, the demo and the tests use.

const ICU = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})
/** Instants from 1992 (after China's last daylight-saving summer) to 2100. */
const instant = fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) })

describe('Asia/Shanghai times', () => {
  it('should write the Shanghai wall clock of any instant as the time-zone database does', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(shanghaiDateTime(ms)).toBe(ICU.format(ms))
        expect(shanghaiDay(ms)).toBe(ICU.format(ms).slice(0, 10))
        expect(shanghaiYear(ms)).toBe(Number(ICU.format(ms).slice(0, 4)))
      }),
    )
  })

  it('should put 16:00 UTC on the next Shanghai day and read ISO text, numbers and dates alike', () => {
    expect(shanghaiDateTime('2026-11-25T10:04:05.678Z')).toBe('2026-11-25 18:04:05')
    expect(shanghaiDay('2026-12-31T16:00:00Z')).toBe('2027-01-01')
    expect(shanghaiDay(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31')
    expect(shanghaiYear(Date.parse('2026-12-31T16:00:00Z'))).toBe(2027)
  })

  it('should turn a Shanghai day into its first and last millisecond, and back', () => {
    expect(shanghaiDayStart('2027-01-01')).toBe('2026-12-31T16:00:00.000Z')
    expect(shanghaiDayEnd('2027-01-01')).toBe('2027-01-01T15:59:59.999Z')
    fc.assert(
      fc.property(instant, (ms) => {
        const day = shanghaiDay(ms)
        expect(Date.parse(shanghaiDayStart(day))).toBeLessThanOrEqual(ms)
        expect(Date.parse(shanghaiDayEnd(day))).toBeGreaterThanOrEqual(ms)
        expect(shanghaiMidnight(ms)).toBe(Date.parse(shanghaiDayStart(day)))
        expect(shanghaiMidnight(ms, 2)).toBe(Date.parse(shanghaiDayStart(day)) + 2 * 86_400_000)
      }),
    )
  })

  it('should give the epoch milliseconds of a Shanghai wall-clock time', () => {
    expect(new Date(shanghaiInstant(2025, 11, 1, 9)).toISOString()).toBe('2025-11-01T01:00:00.000Z')
    expect(shanghaiDateTime(shanghaiInstant(2025, 1, 1, 0, 30))).toBe('2025-01-01 00:30:00')
  })

  it('should write a short date and time in the reader’s language, in Shanghai time', () => {
    const at = '2026-11-25T10:04:05Z'
    expect(shanghaiShort(at, 'zh')).toBe('2026/11/25 18:04')
    expect(shanghaiShort(at, 'en')).toBe('25/11/2026, 18:04')
  })
})

describe('ids', () => {
  it('should make UUIDv7 ids that carry their millisecond and sort by it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 2 }), (ms) => {
        const a = uuidv7(ms)
        const b = uuidv7(ms + 1)
        expect(UuidV7.safeParse(a).success).toBe(true)
        expect(Number.parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(ms)
        expect(a < b).toBe(true)
      }),
    )
  })

  it('should make random version-4 ids that never repeat', () => {
    const ids = Array.from({ length: 1000 }, uuidv4)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(1000)
  })
})
