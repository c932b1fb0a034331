import {
  ATTENDEE_LABELS,
  CHANNEL_LABELS,
  EXCLUSION_LABELS,
  FLAG_LABELS,
  type Label,
  labelOf,
  reasonLabel,
  VISIT_OUTCOME_LABELS,
} from '@minyi/shared/labels'
import { ATTENDEE_CATEGORIES, CHANNELS, EXCLUSIONS, FLAGS, VISIT_OUTCOMES } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'

// shared/src/labels.ts: the one table of words per stored name, read by the console, the exports,
// the report paragraph and the worker app.

const TABLES: [string, readonly string[], Readonly<Record<string, Label>>][] = [
  ['channels', CHANNELS, CHANNEL_LABELS],
  ['flags', FLAGS, FLAG_LABELS],
  ['exclusions', EXCLUSIONS, EXCLUSION_LABELS],
  ['attendee categories', ATTENDEE_CATEGORIES, ATTENDEE_LABELS],
  ['visit outcomes', VISIT_OUTCOMES, VISIT_OUTCOME_LABELS],
]

describe('labels', () => {
  it.each(TABLES)('should name every one of the %s, in zh and en, each differently', (_, names, table) => {
    expect(Object.keys(table).sort()).toEqual([...names].sort())
    for (const locale of ['zh', 'en'] as const) {
      const words = names.map((n) => labelOf(table, n, locale))
      for (const w of words) expect(w.trim()).not.toBe('')
      expect(new Set(words).size).toBe(words.length)
    }
  })

  it('should say PRODUCT.md’s words for visit outcomes and symposium attendees', () => {
    expect(VISIT_OUTCOMES.map((o) => VISIT_OUTCOME_LABELS[o].zh)).toEqual(['完成', '不在家', '拒访', '需回访'])
    expect(ATTENDEE_CATEGORIES.map((c) => ATTENDEE_LABELS[c].zh)).toEqual(['党员代表', '居民代表', '驻区单位代表', '社区干部', '其他'])
  })

  it('should word flags and exclusion reasons through one function, and show an unknown name as itself', () => {
    expect(reasonLabel('speeding', 'zh')).toBe('答题过快')
    expect(reasonLabel('evaluator_excluded', 'en')).toBe('excluded by evaluator')
    expect(reasonLabel('a_future_flag', 'zh')).toBe('a_future_flag')
    expect(labelOf(CHANNEL_LABELS, 'toString', 'zh')).toBe('toString')
  })
})
