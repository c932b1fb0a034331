import { existsSync, readFileSync } from 'node:fs'
import {
  computeFlags,
  computeIndicator,
  designEffect,
  indexWeights,
  indicatorScore,
  postStratify,
  presetScale,
  requiredSampleSize,
  resolveSatisfiedSet,
  summarizeRatings,
  type TallyResponseInput,
  weightedIndex,
  wilson,
} from '@minyi/shared/method'
import { Indicator } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { config, expectAllClose, expectClose, ratingQuestion, response } from './method-helpers.ts'
import { LOCAL_VECTORS_PATH, loadVectors, SHARED_VECTORS_PATH, type VectorCase, vectorsPath } from './method-vectors.ts'

const vectors = loadVectors()
type Of<K extends VectorCase['kind']> = Extract<VectorCase, { kind: K }>

/** One overall item on the case's scale, answered once per counted answer. */
function overallCampaign(
  preset: Parameters<typeof ratingQuestion>[1],
  counts: Record<string, number>,
  communityId = 'c0',
  channel: 'door' | 'qr' = 'qr',
) {
  const responses: TallyResponseInput[] = []
  for (const [key, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) responses.push(response(communityId, channel, { q_overall: key === 'na' ? 'na' : Number(key) }))
  return { questionnaires: [{ version: 1, questions: [ratingQuestion('q_overall', preset, true)] }], responses }
}

const checks: { [K in VectorCase['kind']]: (c: Of<K>) => void } = {
  wilson(c) {
    const interval = wilson(c.x, c.n)
    if (c.expect === null) expect(interval).toBeNull()
    else expectAllClose(interval, c.expect)
  },
  rate(c) {
    const scale = presetScale(c.scale)
    const direct = summarizeRatings(scale, c.counts, resolveSatisfiedSet(c.satisfiedSet, scale).k)
    expectClose(direct.rate, c.expect.rate)
    expectAllClose(direct.topK, c.expect.topK)
    expectAllClose(direct.ci95, c.expect.ci95)

    const indicator = computeIndicator({
      config: config({ satisfiedSet: c.satisfiedSet }),
      communities: [],
      ...overallCampaign(c.scale, c.counts),
    })
    expectClose(indicator.rate, c.expect.rate)
    expectAllClose(indicator.topK, c.expect.topK)
    expectAllClose(indicator.ci95, c.expect.ci95)
  },
  design(c) {
    const direct = designEffect(c.groups.map((g) => ({ n: g.n, sum: g.satisfied, sumSq: g.satisfied })))
    for (const key of ['rho', 'deff', 'nEff', 'rate'] as const) expectClose(direct[key], c.expect[key])
    expectAllClose(direct.ci95Design, c.expect.ci95Design)

    const responses = c.groups.flatMap((g, h) =>
      Array.from({ length: g.n }, (_, i) => response(`c${h}`, 'door', { q_overall: i < g.satisfied ? 5 : 1 })),
    )
    const indicator = computeIndicator({
      config: config(),
      communities: c.groups.map((_, h) => ({ id: `c${h}`, population: null })),
      questionnaires: [{ version: 1, questions: [ratingQuestion('q_overall', 'likert5', true)] }],
      responses,
    })
    for (const key of ['rho', 'deff', 'nEff', 'rate'] as const) expectClose(indicator[key], c.expect[key])
    expectAllClose(indicator.ci95Design, c.expect.ci95Design)
  },
  sampleSize(c) {
    expect(requiredSampleSize({ margin: c.margin, p: c.p, population: c.population, deff: c.deff, validRate: c.validRate })).toBe(c.expect)
  },
  postStratified(c) {
    const direct = postStratify(c.communities.map((s, id) => ({ id, population: s.population, n: s.n, x: s.satisfied })))
    expectClose(direct.rate, c.expect.rate)
    expectClose(direct.se, c.expect.se)
    expect(direct.coverageGaps).toEqual(c.expect.coverageGaps)

    const responses = c.communities.flatMap((s, h) =>
      Array.from({ length: s.n }, (_, i) => response(`c${h}`, 'qr', { q_overall: i < s.satisfied ? 5 : 1 })),
    )
    const indicator = computeIndicator({
      config: config({ scoreOn: 'postStratified' }),
      communities: c.communities.map((s, h) => ({ id: `c${h}`, population: s.population })),
      questionnaires: [{ version: 1, questions: [ratingQuestion('q_overall', 'likert5', true)] }],
      responses,
    })
    expectClose(indicator.postStratified.rate, c.expect.rate)
    expectClose(indicator.postStratified.se, c.expect.se)
    expect(indicator.postStratified.coverageGaps).toEqual(c.expect.coverageGaps.map((h) => `c${h}`))
  },
  score(c) {
    const scoring = c.rule === 'tiers' ? { rule: c.rule, tiers: c.tiers } : { rule: c.rule }
    const target = c.rule === 'proportional' ? c.target : 0.9
    const weight = c.rule === 'proportional' ? c.weight : 10
    expectClose(indicatorScore({ scoring, rate: c.rate, target, weight }), c.expect)
  },
  weightedIndex(c) {
    const counts = presetScale('likert5').options.map((o) => c.counts[String(o.score)] ?? 0)
    expectClose(weightedIndex(counts, indexWeights({ preset: c.preset }, counts.length)), c.expect)

    const indicator = computeIndicator({
      config: config({ weightedIndex: { preset: c.preset } }),
      communities: [],
      ...overallCampaign('likert5', c.counts),
    })
    expectClose(indicator.weightedIndex, c.expect)
  },
  flags(c) {
    expect(computeFlags({ ratedItemCount: c.ratedItems, durationSeconds: c.durationSeconds, ratedAnswers: c.answers })).toEqual(c.expect)
  },
}

describe('METHOD.md worked cases', () => {
  it('should read the vectors from ../shared/fixtures when that folder is present', () => {
    expect(vectorsPath()).toBe(existsSync(SHARED_VECTORS_PATH) ? SHARED_VECTORS_PATH : LOCAL_VECTORS_PATH)
    expect(vectors.cases.length).toBeGreaterThan(0)
  })

  it.runIf(existsSync(SHARED_VECTORS_PATH) && existsSync(LOCAL_VECTORS_PATH))(
    'should keep tests/fixtures a verbatim copy when both files exist',
    () => {
      expect(readFileSync(LOCAL_VECTORS_PATH, 'utf8')).toBe(readFileSync(SHARED_VECTORS_PATH, 'utf8'))
    },
  )

  it('should know every kind of case in the file', () => {
    const unknown = vectors.cases.map((c) => c.kind).filter((kind) => !(kind in checks))
    expect(unknown).toEqual([])
  })

  it.each(vectors.cases.map((c, i) => [`#${i} ${c.kind}${c.note ? ` (${c.note})` : ''}`, c] as const))(
    'should reproduce case %s',
    (_, c) => {
      const check = checks[c.kind] as (c: VectorCase) => void
      if (!check) throw new Error(`unknown vector kind ${c.kind}`)
      check(c)
    },
  )

  it('should produce an Indicator that parses when reproducing the rate cases', () => {
    for (const c of vectors.cases) {
      if (c.kind !== 'rate') continue
      const indicator = computeIndicator({
        config: config({ satisfiedSet: c.satisfiedSet }),
        communities: [],
        ...overallCampaign(c.scale, c.counts),
      })
      expect(Indicator.safeParse(indicator).success).toBe(true)
    }
  })
})
