import { createHmac } from 'node:crypto'
import { HOUSEHOLD_KEY_PATTERN, TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import type { Question } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import type { VisitRow } from '../../client/src/db/index.ts'
import { householdKey, normaliseDoor } from '../../client/src/worker/household.ts'
import { keyedText, parseKeyed } from '../../client/src/worker/keyboard.ts'
import { ageOf, progressLines, revisitList } from '../../client/src/worker/visits.ts'

// The worker app's plain logic (C3): household keys, the revisit list, quota progress, paper keyboard entry.

const question = (id: string): Question => {
  const q = TEMPLATE_QUESTIONNAIRE.questions.find((x) => x.id === id)
  if (!q) throw new Error(id)
  return q
}

describe('household key', () => {
  it('should be the HMAC-SHA-256 of the normalised door number with the salt, as 64 hex digits', async () => {
    const key = await householdKey('salt-123', ' 3号楼 2单元 501室 ')
    expect(key).toMatch(HOUSEHOLD_KEY_PATTERN)
    expect(key).toBe(createHmac('sha256', 'salt-123').update('3号楼2单元501').digest('hex'))
  })

  it('should give one key for spellings that differ only in width, case, spaces, dashes or a trailing 室', async () => {
    const a = await householdKey('s', '３号楼２单元５０１')
    for (const door of ['3号楼2单元501', '3号楼 2单元 501室', ' 3号楼2单元501 ']) expect(await householdKey('s', door)).toBe(a)
    expect(normaliseDoor('B栋－12')).toBe(normaliseDoor('b栋-12'))
  })

  it('should give another key for another salt or another door', async () => {
    const a = await householdKey('campaign-a', '3-2-501')
    expect(await householdKey('campaign-b', '3-2-501')).not.toBe(a)
    expect(await householdKey('campaign-a', '3-2-502')).not.toBe(a)
  })

  it('should refuse an empty door number', async () => {
    await expect(householdKey('s', '   ')).rejects.toThrow()
  })
})

const visit = (over: Partial<VisitRow>): VisitRow => ({
  id: '0',
  workerId: 'w',
  campaignId: 'c',
  communityId: 'k',
  door: '1',
  householdKey: 'h1',
  outcome: 'not_home',
  visitedAt: '2026-05-01T08:00:00.000Z',
  responseId: null,
  ...over,
})

describe('revisit list', () => {
  it('should list households whose latest visit was 不在家 or 需回访, oldest first', () => {
    const list = revisitList([
      visit({ id: '1', householdKey: 'h1', outcome: 'not_home', visitedAt: '2026-05-01T09:00:00.000Z' }),
      visit({ id: '2', householdKey: 'h2', outcome: 'revisit', visitedAt: '2026-05-01T08:00:00.000Z' }),
      visit({ id: '3', householdKey: 'h3', outcome: 'refused' }),
    ])
    expect(list.map((v) => v.householdKey)).toEqual(['h2', 'h1'])
  })

  it('should drop a household once a later visit completes it, by visit time then id', () => {
    const list = revisitList([
      visit({ id: '1', outcome: 'not_home', visitedAt: '2026-05-01T08:00:00.000Z' }),
      visit({ id: '3', outcome: 'completed', visitedAt: '2026-05-02T08:00:00.000Z' }),
      visit({ id: '5', householdKey: 'h9', outcome: 'completed', visitedAt: '2026-05-03T08:00:00.000Z' }),
      visit({ id: '4', householdKey: 'h9', outcome: 'revisit', visitedAt: '2026-05-03T08:00:00.000Z' }),
    ])
    expect(list).toEqual([])
  })
})

describe('quota progress', () => {
  const response = (communityId: string, campaignId = 'c') => ({ item: { kind: 'response', campaignId, communityId } }) as never
  it('should add questionnaires still queued and those sent after the server figure, but not those sent before it', () => {
    const lines = progressLines(
      ['a', 'b'],
      { fetchedAt: 1000, value: [{ communityId: 'a', received: 10, valid: 9, quota: 50 }] },
      [
        { kind: 'response', campaignId: 'c', communityId: 'a', sentAt: 999 },
        { kind: 'response', campaignId: 'c', communityId: 'a', sentAt: 1001 },
        { kind: 'visit', campaignId: 'c', communityId: 'a', sentAt: 1002 },
      ],
      [response('a'), response('b'), response('b', 'other campaign')],
      'c',
      { b: 20 },
    )
    expect(lines).toEqual([
      { communityId: 'a', server: 10, local: 2, quota: 50, total: 12 },
      { communityId: 'b', server: null, local: 1, quota: 20, total: 1 },
    ])
  })

  it('should say how old a figure is in its largest whole unit', () => {
    expect(ageOf(30_000)).toEqual({ unit: 'now', n: 0 })
    expect(ageOf(5 * 60_000)).toEqual({ unit: 'minutes', n: 5 })
    expect(ageOf(3 * 3_600_000 + 1)).toEqual({ unit: 'hours', n: 3 })
    expect(ageOf(50 * 3_600_000)).toEqual({ unit: 'days', n: 2 })
  })
})

describe('paper keyboard entry', () => {
  const overall = question('q_overall')
  it('should pick a rating option by its printed number and 不了解 by 0', () => {
    if (overall.type !== 'rating') throw new Error('rating expected')
    expect(parseKeyed(overall, '1')).toEqual({ ok: true, value: overall.scale.options[0]!.score })
    expect(parseKeyed(overall, '0')).toEqual({ ok: true, value: 'na' })
    expect(parseKeyed(overall, ' ')).toEqual({ ok: true, value: undefined })
  })

  it('should refuse a number no option has', () => {
    expect(parseKeyed(overall, '9')).toEqual({ ok: false, error: 'errOptionNumber' })
    expect(parseKeyed(overall, 'x')).toEqual({ ok: false, error: 'errOptionNumber' })
  })

  it('should take several numbers for a multiple choice, in any separator, once each, and show them back', () => {
    const multi = TEMPLATE_QUESTIONNAIRE.questions.find((q) => q.type === 'multiple')!
    if (multi.type !== 'multiple') throw new Error('multiple expected')
    const parsed = parseKeyed(multi, '1, 3 10 3')
    expect(parsed).toEqual({ ok: true, value: [multi.options[0]!.value, multi.options[2]!.value, multi.options[9]!.value] })
    expect(keyedText(multi, parsed.ok ? parsed.value : undefined)).toBe('1 3 10')
  })

  it('should take full-width digits as typed on a Chinese keyboard', () => {
    const age = question('q_age')
    if (age.type !== 'single') throw new Error('single expected')
    expect(parseKeyed(age, '２')).toEqual({ ok: true, value: age.options[1]!.value })
  })
})
