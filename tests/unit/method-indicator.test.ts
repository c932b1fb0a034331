import { computeIndicator, type TallyResponseInput } from '@minyi/shared/method'
import { Indicator, type IndicatorConfigInput } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { config, expectClose, ratingQuestion, response } from './method-helpers.ts'

/*
 * A small campaign worked by hand. Items q_edu, q_fund, q_overall on likert5, satisfied = top3
 * (5, 4, 3), basis items_mean (share of a questionnaire's rated items that are satisfied).
 * Communities A (1000 residents), B (3000), C (2000, nobody answered: a coverage gap).
 *
 *   id  community channel    q_edu q_fund q_overall  share  notes
 *   r1  A         qr         5     4      2          2/3
 *   r2  A         qr         1     na     3          1/2
 *   r3  A         qr         5     5      5          —      speeding (excluded by the config)
 *   r4  A         qr         na    na     na         —      missing_basis
 *   r5  A         door       4     4      4          1
 *   r6  B         door       2     2      1          0
 *   r7  B         door       3     5      5          1      straightlining (flagged, kept)
 *   r8  B         door       5     —      —          —      test
 *   r9  B         paper      5     3      2          2/3
 *   s1  B         symposium  5     5      5          1      symposium: not pooled
 *   s2  B         symposium  1     1      1          0
 *   s3  B         symposium  4     2      na         1/2
 *
 * Pooled (qr, door, paper): received 9; excluded speeding 1, missing_basis 1, test 1; valid 6.
 * Rate = (2/3 + 1/2 + 1 + 0 + 1 + 2/3) / 6 = 23/36.
 */
const questions = [ratingQuestion('q_edu'), ratingQuestion('q_fund'), ratingQuestion('q_overall', 'likert5', true)]
const communities = [
  { id: 'A', population: 1000, quota: 5 },
  { id: 'B', population: 3000, quota: 4 },
  { id: 'C', population: 2000, quota: 3 },
]
const responses: TallyResponseInput[] = [
  response('A', 'qr', { q_edu: 5, q_fund: 4, q_overall: 2 }),
  response('A', 'qr', { q_edu: 1, q_fund: 'na', q_overall: 3 }),
  response('A', 'qr', { q_edu: 5, q_fund: 5, q_overall: 5 }, { flags: ['speeding'] }),
  response('A', 'qr', { q_edu: 'na', q_fund: 'na', q_overall: 'na' }),
  response('A', 'door', { q_edu: 4, q_fund: 4, q_overall: 4 }),
  response('B', 'door', { q_edu: 2, q_fund: 2, q_overall: 1 }),
  response('B', 'door', { q_edu: 3, q_fund: 5, q_overall: 5 }, { flags: ['straightlining'] }),
  response('B', 'door', { q_edu: 5 }, { exclusion: 'test' }),
  response('B', 'paper', { q_edu: 5, q_fund: 3, q_overall: 2 }),
  response('B', 'symposium', { q_edu: 5, q_fund: 5, q_overall: 5 }),
  response('B', 'symposium', { q_edu: 1, q_fund: 1, q_overall: 1 }),
  response('B', 'symposium', { q_edu: 4, q_fund: 2, q_overall: 'na' }),
]
const base: IndicatorConfigInput = { basis: 'items_mean', satisfiedSet: 'top3', excludeFlags: ['speeding'] }
const compute = (input: IndicatorConfigInput = base, rs: TallyResponseInput[] = responses) =>
  computeIndicator({ config: config(input), questionnaires: [{ version: 1, questions }], communities, responses: rs })

describe('computeIndicator on a small campaign', () => {
  const ind = compute()

  it('should parse with the Indicator schema', () => {
    expect(Indicator.parse(ind)).toStrictEqual(ind)
  })

  it('should count received, valid, excluded by one reason each and flagged over pooled channels', () => {
    expect(ind.n).toStrictEqual({
      received: 9,
      valid: 6,
      excluded: { test: 1, evaluator_excluded: 0, missing_basis: 1, speeding: 1 },
      flagged: {
        speeding: 1,
        straightlining: 1,
        duplicate_device: 0,
        duplicate_household: 0,
        late: 0,
        clock_skew: 0,
        conflict: 0,
        network_burst: 0,
      },
    })
    expectClose(ind.validRate, 6 / 9, 1e-12)
    expect(ind.smallSample).toBe(true)
  })

  it('should average the per-questionnaire satisfied shares when the basis is items_mean', () => {
    expectClose(ind.rate, 23 / 36, 1e-12)
    expect(ind.satisfiedSet).toEqual(['非常满意', '满意', '基本满意'])
    // top1: shares 1/3 (r1), 0, 0, 0, 2/3 (r7), 1/3 (r9); top3 is the rate.
    expectClose(ind.topK[0], 4 / 3 / 6, 1e-12)
    expectClose(ind.topK[2], 23 / 36, 1e-12)
    expect(ind.topK).toHaveLength(4)
  })

  it('should show symposium separately and every channel with data', () => {
    const line = (c: string) => ind.byChannel.find((x) => x.channel === c)
    expect(ind.byChannel.map((c) => [c.channel, c.pooled])).toEqual([
      ['qr', true],
      ['door', true],
      ['paper', true],
      ['symposium', false],
    ])
    expect(line('qr')).toMatchObject({ received: 4, valid: 2, n: 2 })
    expectClose(line('qr')?.rate, 7 / 12, 1e-12)
    expectClose(line('door')?.rate, 2 / 3, 1e-12)
    expect(line('symposium')).toMatchObject({ received: 3, valid: 3, smallSample: true })
    expectClose(line('symposium')?.rate, 1 / 2, 1e-12)
  })

  it('should give rates per community and list the community without answers as a coverage gap', () => {
    expect(ind.byCommunity.map((c) => [c.communityId, c.received, c.valid, c.quota])).toEqual([
      ['A', 5, 3, 5],
      ['B', 4, 3, 4],
      ['C', 0, 0, 3],
    ])
    expectClose(ind.byCommunity[0]?.rate, 13 / 18, 1e-12)
    expectClose(ind.byCommunity[1]?.rate, 5 / 9, 1e-12)
    expect(ind.byCommunity[2]?.rate).toBeNull()
    expect(ind.postStratified.coverageGaps).toEqual(['C'])
    expect(ind.postStratified.missingPopulation).toEqual([])
    expectClose(ind.postStratified.rate, 0.25 * (13 / 18) + 0.75 * (5 / 9), 1e-12)
    expect(ind.byCommunity[0]?.sampleSize).toStrictEqual({ required: 278, adequate: false })
  })

  it('should rate each item on its rated answers among valid pooled questionnaires', () => {
    expect(ind.byItem.map((i) => [i.questionId, i.overall, i.n, i.na])).toEqual([
      ['q_edu', false, 6, 0],
      ['q_fund', false, 5, 1],
      ['q_overall', true, 6, 0],
    ])
    expectClose(ind.byItem[0]?.rate, 4 / 6, 1e-12)
    expectClose(ind.byItem[1]?.rate, 4 / 5, 1e-12)
    expectClose(ind.byItem[2]?.rate, 3 / 6, 1e-12)
    expect(ind.byItem[0]?.distribution).toEqual([
      [5, 2],
      [4, 1],
      [3, 1],
      [2, 1],
      [1, 1],
    ])
  })

  it('should score against target and weight with the proportional rule', () => {
    expect(ind.score.rule).toBe('proportional')
    expectClose(ind.score.value, (10 * (23 / 36)) / 0.9, 1e-12)
    expect(ind.deff).toBeGreaterThanOrEqual(1)
    expectClose(ind.nEff, 6 / ind.deff, 1e-12)
    expect(ind.sampleSize.adequate).toBe(false)
  })

  it('should recount nothing and use the overall item when the config switches the basis', () => {
    const overall = compute({ ...base, basis: 'overall' })
    // Overall answers of the valid r1 r2 r5 r6 r7 r9: 2 3 4 1 5 2 → 3 of 6 in top3.
    expectClose(overall.rate, 3 / 6, 1e-12)
    expect(overall.n.valid).toBe(6)
  })

  it('should keep a flagged response when the config does not exclude its flag', () => {
    const kept = compute({ ...base, excludeFlags: [] })
    expect(kept.n.valid).toBe(7)
    expect(kept.n.excluded).toStrictEqual({ test: 1, evaluator_excluded: 0, missing_basis: 1 })
    expectClose(kept.rate, (23 / 6 + 1) / 7, 1e-12)
  })

  it('should keep a response with an excluding flag when an evaluator reviewed it and included it', () => {
    const reviewed = responses.map((r) => (r.flags.includes('speeding') ? { ...r, review: 'include' as const } : r))
    expect(compute(base, reviewed).n.valid).toBe(7)
    expect(compute(base, reviewed).n.flagged.speeding).toBe(1)
  })

  it('should pool symposium sheets when the config pools the channel', () => {
    const pooled = compute({ ...base, channels: ['qr', 'door', 'paper', 'symposium'] })
    expect(pooled.n.received).toBe(12)
    expectClose(pooled.rate, (23 / 6 + 1.5) / 9, 1e-12)
    expect(pooled.byChannel.find((c) => c.channel === 'symposium')?.pooled).toBe(true)
  })

  it('should leave the post-stratified rate null and name the community when a community with answers lacks a population', () => {
    const unknown = computeIndicator({
      config: config({ ...base, scoreOn: 'postStratified' }),
      questionnaires: [{ version: 1, questions }],
      communities: [{ id: 'A', population: null }, ...communities.slice(1)],
      responses,
    })
    expect(unknown.postStratified).toStrictEqual({ rate: null, se: null, coverageGaps: ['C'], missingPopulation: ['A'] })
    expect(unknown.score.value).toBeNull()
  })

  it('should give no rate and no interval when nothing is valid', () => {
    const empty = compute(base, [])
    expect(empty).toMatchObject({ rate: null, ci95: null, ci95Design: null, validRate: null, topK: [], deff: 1, nEff: 0 })
    expect(empty.score.value).toBeNull()
    // All three communities have a population, so N = 6000 corrects n0 = 384.1: 361.0… → 362.
    expect(empty.sampleSize).toStrictEqual({ required: 362, adequate: false })
    expect(Indicator.safeParse(empty).success).toBe(true)
  })

  it('should count an answer from an older version on its raw score when the scale has changed', () => {
    const v1 = [ratingQuestion('q_edu', 'likert3'), ratingQuestion('q_overall', 'likert5', true)]
    const old = { ...response('A', 'qr', { q_edu: 3, q_overall: 5 }), questionnaireVersion: 0 }
    const ind = computeIndicator({
      config: config(base),
      questionnaires: [
        { version: 0, questions: v1 },
        { version: 1, questions },
      ],
      communities,
      responses: [old],
    })
    // On likert3, 3 is the best option, so the share is 2/2 whatever the current scale says.
    expect(ind.rate).toBe(1)
    expect(ind.byItem[0]?.distribution[2]).toEqual([3, 1])
  })
})
