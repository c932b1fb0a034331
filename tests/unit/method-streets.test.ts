import { computeIndicator, type TallyResponseInput, type VisitInput } from '@minyi/shared/method'
import { Indicator } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { config, expectAllClose, expectClose, ratingQuestion, response } from './method-helpers.ts'

/*
 * byStreet worked by hand. Basis overall, satisfied = top2 (5, 4); pooled qr, door, paper.
 *
 *   community  street  population  quota  overall answers (pooled)         n  x
 *   A          S1      1000        4      5, 4, 2 (qr), 3 (door); 5 symp.  4  2   p_A = 1/2
 *   B          S1      3000        2      5, 5, 1 (qr); 4 test-excluded     3  2   p_B = 2/3
 *   C          S2      2000        —      4 (paper), 1 (qr)                 2  1
 *   D          S2      —           5      5 (qr)                            1  1
 *   F          S3      500         1      nobody answered                   0  0
 *   E          (not in the campaign's scope)  2 (qr)                         1  0
 *
 * S1: received 4 + 4 = 8, valid 7, x 4 → rate 4/7, Wilson(4, 7) = [0.250458, 0.841780];
 *     population 4000, quota 6; post-stratified within S1 = 1/4 · 1/2 + 3/4 · 2/3 = 0.625,
 *     se = sqrt((1/4)² · (1/2 · 1/2)/4 + (3/4)² · (2/3 · 1/3)/3) = 0.213478;
 *     required at N = 4000: n0 = 1.959964² · 0.25 / 0.05² = 384.146, 384.146 / (1 + 383.146/4000) = 350.57 → 351.
 *     Fieldwork: A 2 completed + 1 not home, B 1 refused → 4 households, RR1 2/4, contact 3/4.
 * S2: received 3, valid 3, x 2 → 2/3, Wilson(2, 3) = [0.207660, 0.938508]; D has no population, so
 *     population null and no post-stratified rate (missingPopulation D); C has no quota → quota null.
 * S3: F alone, no answers: rate null, population 500, quota 1, coverage gap F, required 384.146 / (1 + 383.146/500) = 217.49 → 218.
 * null: E, outside the scope (no known street): received 1, rate 0, Wilson(0, 1) = [0, 0.793451].
 */
const questions = [ratingQuestion('q_a'), ratingQuestion('q_overall', 'likert5', true)]
const communities = [
  { id: 'A', population: 1000, quota: 4, streetId: 'S1' },
  { id: 'B', population: 3000, quota: 2, streetId: 'S1' },
  { id: 'C', population: 2000, quota: null, streetId: 'S2' },
  { id: 'D', population: null, quota: 5, streetId: 'S2' },
  { id: 'F', population: 500, quota: 1, streetId: 'S3' },
]
const overall = (community: string, channel: TallyResponseInput['channel'], score: number, extra: Partial<TallyResponseInput> = {}) =>
  response(community, channel, { q_a: score, q_overall: score }, extra)
const responses: TallyResponseInput[] = [
  overall('A', 'qr', 5),
  overall('A', 'qr', 4),
  overall('A', 'qr', 2),
  overall('A', 'door', 3),
  overall('A', 'symposium', 5),
  overall('B', 'qr', 5),
  overall('B', 'qr', 5),
  overall('B', 'qr', 1),
  overall('B', 'qr', 4, { exclusion: 'test' }),
  overall('C', 'paper', 4),
  overall('C', 'qr', 1),
  overall('D', 'qr', 5),
  overall('E', 'qr', 2),
]
const visit = (id: string, communityId: string, outcome: VisitInput['outcome']): VisitInput => ({
  id,
  communityId,
  householdKey: `h-${id}`,
  outcome,
  visitedAt: '2026-03-01T08:00:00Z',
})
const visits = [visit('v1', 'A', 'completed'), visit('v2', 'A', 'completed'), visit('v3', 'A', 'not_home'), visit('v4', 'B', 'refused')]

describe('byStreet: communities pooled by street (街道)', () => {
  const ind = computeIndicator({
    config: config({ basis: 'overall', satisfiedSet: 'top2' }),
    questionnaires: [{ version: 1, questions }],
    communities,
    responses,
    visits,
  })
  const street = (id: string | null) => ind.byStreet.find((s) => s.streetId === id)

  it('should parse with the Indicator schema and list the streets in the order of their first community', () => {
    expect(Indicator.parse(ind)).toStrictEqual(ind)
    expect(ind.byStreet.map((s) => [s.streetId, s.communityIds])).toEqual([
      ['S1', ['A', 'B']],
      ['S2', ['C', 'D']],
      ['S3', ['F']],
      [null, ['E']],
    ])
  })

  it('should pool the rate over the street and post-stratify within it by its communities', () => {
    const s1 = street('S1')
    expect(s1).toMatchObject({ received: 8, valid: 7, n: 7, population: 4000, quota: 6, smallSample: true })
    expectClose(s1?.rate, 4 / 7, 1e-12)
    expectAllClose(s1?.ci95, [0.25045836275303557, 0.8417801460075547], 1e-9)
    expectClose(s1?.postStratified.rate, 0.625, 1e-12)
    expectClose(s1?.postStratified.se, 0.21347814095749162, 1e-12)
    expect(s1?.postStratified).toMatchObject({ coverageGaps: [], missingPopulation: [] })
    expect(s1?.sampleSize).toStrictEqual({ required: 351, adequate: false })
  })

  it('should add up the street communities’ households', () => {
    expect(street('S1')?.fieldwork).toStrictEqual({
      households: 4,
      completed: 2,
      notHome: 1,
      refused: 1,
      revisit: 0,
      responseRate: 0.5,
      contactRate: 0.75,
    })
    expect(street('S2')?.fieldwork.households).toBe(0)
  })

  it('should give no population, quota or post-stratified rate when a community of the street lacks one', () => {
    const s2 = street('S2')
    expect(s2).toMatchObject({ received: 3, valid: 3, n: 3, population: null, quota: null, sampleSize: null })
    expectClose(s2?.rate, 2 / 3, 1e-12)
    expectAllClose(s2?.ci95, [0.2076595988078242, 0.9385080559790691], 1e-9)
    expect(s2?.postStratified).toStrictEqual({ rate: null, se: null, coverageGaps: [], missingPopulation: ['D'] })
  })

  it('should list a street without answers with its coverage gap and what it would need', () => {
    expect(street('S3')).toMatchObject({
      received: 0,
      valid: 0,
      n: 0,
      rate: null,
      ci95: null,
      population: 500,
      quota: 1,
      sampleSize: { required: 218, adequate: false },
      postStratified: { rate: null, se: null, coverageGaps: ['F'], missingPopulation: [] },
    })
  })

  it('should put communities outside the scope under the street null', () => {
    const none = street(null)
    expect(none).toMatchObject({ received: 1, valid: 1, n: 1, rate: 0, population: null, quota: null })
    expectAllClose(none?.ci95, [0, 0.7934506882081973], 1e-9)
  })

  it('should add up to the communities’ lines and to the overall counts', () => {
    const sum = (key: 'received' | 'valid' | 'n') => ind.byStreet.reduce((a, s) => a + s[key], 0)
    expect([sum('received'), sum('valid'), sum('n')]).toEqual([12, 11, 11])
    expect([ind.n.received, ind.n.valid]).toEqual([12, 11])
    for (const s of ind.byStreet) {
      const lines = ind.byCommunity.filter((c) => s.communityIds.includes(c.communityId))
      expect(s.received).toBe(lines.reduce((a, c) => a + c.received, 0))
    }
  })
})
