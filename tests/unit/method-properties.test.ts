import { computeIndicator, designEffect, type Interval, tallyAll, wilson } from '@minyi/shared/method'
import { Indicator } from '@minyi/shared/schemas'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMMUNITY_IDS, campaignArb, QUESTIONNAIRES, satisfiedResponse } from './method-arbitraries.ts'

type Campaign = typeof campaignArb extends fc.Arbitrary<infer T> ? T : never
const run = (c: Campaign) =>
  computeIndicator({ config: c.config, communities: c.communities, questionnaires: QUESTIONNAIRES, responses: c.responses })

/** Every rate of an indicator with the interval that goes with it (null when it has none). */
function ratesOf(ind: Indicator): [number | null, Interval | null][] {
  return [
    [ind.rate, ind.ci95],
    [ind.rate, ind.ci95Design],
    [ind.postStratified.rate, null],
    [ind.validRate, null],
    ...ind.topK.map((r) => [r, null] as [number, null]),
    ...ind.byChannel.map((g) => [g.rate, g.ci95] as [number | null, Interval | null]),
    ...ind.byCommunity.map((g) => [g.rate, g.ci95] as [number | null, Interval | null]),
    ...ind.byItem.flatMap((g) => [[g.rate, g.ci95] as [number | null, Interval | null], ...g.topK.map((r) => [r, null] as [number, null])]),
  ]
}

describe('method properties', () => {
  it('should parse with the Indicator schema whatever the campaign', () => {
    fc.assert(
      fc.property(campaignArb, (c) => {
        const result = Indicator.safeParse(run(c))
        expect(result.error?.issues ?? []).toEqual([])
      }),
    )
  })

  it('should keep every rate in [0, 1] and inside its interval', () => {
    fc.assert(
      fc.property(campaignArb, (c) => {
        for (const [rate, interval] of ratesOf(run(c))) {
          if (rate === null) {
            expect(interval).toBeNull()
            continue
          }
          expect(rate).toBeGreaterThanOrEqual(0)
          expect(rate).toBeLessThanOrEqual(1)
          if (interval) {
            expect(interval[0]).toBeLessThanOrEqual(rate)
            expect(interval[1]).toBeGreaterThanOrEqual(rate)
          }
        }
      }),
    )
  })

  it('should keep the Wilson interval around x/n when n is any positive size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const x = Math.round(share * n)
        const [lo, hi] = wilson(x, n) ?? [Number.NaN, Number.NaN]
        expect(lo).toBeGreaterThanOrEqual(0)
        expect(hi).toBeLessThanOrEqual(1)
        expect(lo).toBeLessThanOrEqual(x / n)
        expect(hi).toBeGreaterThanOrEqual(x / n)
      }),
    )
  })

  it('should never give a design effect below 1 when clusters are arbitrary', () => {
    const cluster = fc.integer({ min: 0, max: 60 }).chain((n) => fc.integer({ min: 0, max: n }).map((x) => ({ n, sum: x, sumSq: x })))
    fc.assert(
      fc.property(fc.array(cluster, { maxLength: 12 }), (clusters) => {
        const d = designEffect(clusters)
        expect(d.deff).toBeGreaterThanOrEqual(1)
        expect(d.rho).toBeGreaterThanOrEqual(0)
        expect(d.rho).toBeLessThanOrEqual(1)
      }),
    )
    fc.assert(
      fc.property(campaignArb, (c) => {
        expect(run(c).deff).toBeGreaterThanOrEqual(1)
      }),
    )
  })

  it('should never lower the rate when a satisfied response is added', () => {
    fc.assert(
      fc.property(campaignArb, fc.constantFrom(...COMMUNITY_IDS), (c, communityId) => {
        const before = run(c).rate
        const after = run({ ...c, responses: [...c.responses, satisfiedResponse(c.config, communityId)] }).rate
        expect(after).not.toBeNull()
        if (before !== null) expect(after as number).toBeGreaterThanOrEqual(before - 1e-12)
      }),
    )
  })

  it('should leave the rate unchanged when an unanswered rating item is answered na', () => {
    fc.assert(
      fc.property(campaignArb, fc.nat(), (c, pick) => {
        const ids = ['q_edu', 'q_service', 'q_info', 'q_overall']
        const responses = c.responses.map((r, i) => {
          const missing = ids.filter((id) => r.answers[id] === undefined && (id !== 'q_info' || r.questionnaireVersion === 2))
          const id = missing[(pick + i) % Math.max(1, missing.length)]
          return id ? { ...r, answers: { ...r.answers, [id]: 'na' as const } } : r
        })
        const before = run(c)
        const after = run({ ...c, responses })
        expect(after.rate).toBe(before.rate)
        expect(after.n.valid).toBe(before.n.valid)
      }),
    )
  })

  it('should leave the rate unchanged when a response answering only na is added', () => {
    fc.assert(
      fc.property(campaignArb, fc.constantFrom(...COMMUNITY_IDS), (c, communityId) => {
        const onlyNa = {
          ...satisfiedResponse(c.config, communityId),
          answers: { q_edu: 'na', q_service: 'na', q_info: 'na', q_overall: 'na' },
        }
        const before = run(c)
        const after = run({ ...c, responses: [...c.responses, onlyNa] })
        expect(after.rate).toBe(before.rate)
        expect(after.n.received).toBe(before.n.received + 1)
        expect(after.n.excluded.missing_basis).toBe((before.n.excluded.missing_basis ?? 0) + 1)
      }),
    )
  })

  it('should count every pooled response once as valid or under one exclusion reason', () => {
    fc.assert(
      fc.property(campaignArb, (c) => {
        const { n } = run(c)
        const excluded = Object.values(n.excluded).reduce((a, v) => a + v, 0)
        expect(n.valid + excluded).toBe(n.received)
        expect(tallyAll(QUESTIONNAIRES, c.responses)).toBeDefined()
      }),
    )
  })
})
