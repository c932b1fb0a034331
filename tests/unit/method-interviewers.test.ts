import { computeIndicator, durationBucket, histogramMedian, type TallyResponseInput } from '@minyi/shared/method'
import { describe, expect, it } from 'vitest'
import { config, expectClose, ratingQuestion, response } from './method-helpers.ts'

// METHOD.md §10, unit vectors worked out by hand (the arithmetic is in the comments).

const QUESTIONS = [ratingQuestion('q1'), ratingQuestion('q2'), ratingQuestion('q3'), ratingQuestion('q_overall', 'likert5', true)]

/** `count` door questionnaires of one worker, all alike. */
function door(
  count: number,
  communityId: string,
  workerId: string,
  scores: [number, number, number, number],
  durationSeconds: number,
  extra: Partial<TallyResponseInput> = {},
): TallyResponseInput[] {
  const [q1, q2, q3, q_overall] = scores
  return Array.from({ length: count }, () =>
    response(communityId, 'door', { q1, q2, q3, q_overall }, { workerId, durationSeconds, ...extra }),
  )
}

const indicatorOf = (responses: TallyResponseInput[], input = {}) =>
  computeIndicator({
    config: config(input),
    questionnaires: [{ version: 1, questions: QUESTIONS }],
    communities: [
      { id: 'A', population: null },
      { id: 'B', population: null },
    ],
    responses,
  })

describe('interviewer check (METHOD.md §10)', () => {
  // Satisfied set: top3 of likert5 (5, 4, 3), basis: the overall item.
  // Community A
  //   w1: 25 × (5,5,5,5), 13 of them in 62 s and 12 in 97 s. Every one satisfied; every deviation 0.
  //   w2: 15 × (5,4,4,3) in 300 s: satisfied (overall 3); Σ=16, Σ²=66, sd = √(4·66 − 16²)/4 = √8/4 = 0.707107
  //       10 × (2,2,1,1) in 300 s: not satisfied;        Σ=6,  Σ²=10, sd = √(4·10 − 6²)/4  = √4/4 = 0.5
  //   w4:  5 × (5,4,4,3) in 1300 s: satisfied, sd 0.707107
  //   not counted: a test questionnaire of w1, and a qr questionnaire.
  // Community B
  //   w3: 30 × (4,4,4,4) in 200 s: nobody else works in B.
  const responses = [
    ...door(13, 'A', 'w1', [5, 5, 5, 5], 62),
    ...door(12, 'A', 'w1', [5, 5, 5, 5], 97),
    ...door(1, 'A', 'w1', [5, 5, 5, 5], 97, { exclusion: 'test' }),
    ...door(15, 'A', 'w2', [5, 4, 4, 3], 300),
    ...door(10, 'A', 'w2', [2, 2, 1, 1], 300),
    ...door(5, 'A', 'w4', [5, 4, 4, 3], 1300),
    ...door(30, 'B', 'w3', [4, 4, 4, 4], 200),
    response('A', 'qr', { q1: 1, q2: 1, q3: 1, q_overall: 1 }, { durationSeconds: 30 }),
  ]

  it('should give each worker n_W, n_O, z, u and the speed ratio when computed from the responses', () => {
    const [w1, w2, w3, w4] = indicatorOf(responses).interviewers
    expect([w1?.workerId, w2?.workerId, w3?.workerId, w4?.workerId]).toEqual(['w1', 'w2', 'w3', 'w4'])

    // w1: W = 25 (x 25, p_W = 1); O = w2 + w4 in A = 30 (x = 15 + 5 = 20, p_O = 2/3).
    // p̄ = 45/55 = 0.818182; p̄(1−p̄) = 450/3025 = 0.148760; 1/25 + 1/30 = 11/150 = 0.073333
    // z = (1 − 2/3) / √(0.148760 · 0.073333) = 0.333333 / √0.010909 = 0.333333 / 0.104447 = 3.191424 → |z| ≤ 3.29
    // u: mean_W = 0; mean_O = (20 · 0.707107 + 10 · 0.5) / 30 = 0.638071 → u = 0 < 0.5 → uniform
    // speed: W's 25 durations kept as 13 × 60 s ([60, 65)) and 12 × 95 s: the 13th is 60.
    //        O = 25 × 300 s and 5 × 1260 s ([1260, 1320)): 15th and 16th are 300 → median 300. 60 / 300 = 0.2
    expect(w1).toMatchObject({ nW: 25, nO: 30, rateOutlier: false, u: 0, uniform: true })
    expectClose(w1?.z, 3.191424)
    expectClose(w1?.speedRatio, 0.2)

    // w2: W = 25 (x 15, p_W = 0.6); O = w1 + w4 = 30 (x 30, p_O = 1); p̄ again 45/55.
    // z = (0.6 − 1) / 0.104447 = −3.829708 → |z| > 3.29 → rate_outlier
    // u: mean_W = (15 · 0.707107 + 10 · 0.5) / 25 = 15.606605 / 25 = 0.624264
    //    mean_O = (25 · 0 + 5 · 0.707107) / 30 = 0.117851 → u = 0.624264 / 0.117851 = 5.297056 → not uniform
    // speed: W median 300; O = 13 × 60, 12 × 95, 5 × 1260: 15th and 16th are 95 → 300 / 95 = 3.157895
    expect(w2).toMatchObject({ nW: 25, nO: 30, rateOutlier: true, uniform: false })
    expectClose(w2?.z, -3.829708)
    expectClose(w2?.u, 5.297056)
    expectClose(w2?.speedRatio, 3.157895)

    // w3: nobody else has a door questionnaire in B: n_O = 0 < 20, so no figure at all.
    expect(w3).toEqual({ workerId: 'w3', nW: 30, nO: 0, z: null, rateOutlier: null, u: null, uniform: null, speedRatio: null })
    // w4: n_W = 5 < 20: listed, no figure; O = w1 + w2 = 50.
    expect(w4).toEqual({ workerId: 'w4', nW: 5, nO: 50, z: null, rateOutlier: null, u: null, uniform: null, speedRatio: null })
  })

  it('should leave out questionnaires that the config excludes when counting n_W and n_O', () => {
    // Two of w2's unsatisfied questionnaires flagged speeding, which this config excludes:
    // w1's O = 30 − 2 = 28 (x 20) → p_O = 20/28 = 0.714286; p̄ = 45/53 = 0.849057
    // z = (1 − 0.714286) / √(0.849057 · 0.150943 · (1/25 + 1/28)) = 0.285714 / √(0.128159 · 0.075714)
    //   = 0.285714 / √0.0097035 = 0.285714 / 0.098506 = 2.900465
    let left = 2
    const two = responses.map((r) =>
      r.communityId === 'A' && r.answers.q1 === 2 && left-- > 0 ? { ...r, flags: ['speeding' as const] } : r,
    )
    const w1 = indicatorOf(two, { excludeFlags: ['speeding'] }).interviewers[0]
    expect(w1).toMatchObject({ workerId: 'w1', nW: 25, nO: 28, rateOutlier: false })
    expectClose(w1?.z, 2.900465)
    // Not excluded by default: the flag alone changes nothing.
    expect(indicatorOf(two).interviewers[0]).toMatchObject({ nO: 30 })
  })

  it('should give no z when the pooled rate is 1', () => {
    // Everyone satisfied in A: p̄ = 1, so the denominator is 0 and z is absent (so is its flag).
    const all = [...door(20, 'A', 'w1', [5, 5, 5, 5], 60), ...door(20, 'A', 'w2', [4, 3, 5, 4], 60)]
    const [w1] = indicatorOf(all).interviewers
    expect(w1).toMatchObject({ nW: 20, nO: 20, z: null, rateOutlier: null, u: 0, uniform: true, speedRatio: 1 })
  })

  it('should not count uniformity for questionnaires with fewer than 4 rated items', () => {
    // 20 of w2's 25 answer q1 with 不了解: 3 rated items each, so w2 has 5 deviations (< 20): w1's u is absent.
    const fewer = [
      ...door(20, 'A', 'w1', [5, 5, 5, 5], 60),
      ...door(5, 'A', 'w2', [5, 4, 4, 3], 60),
      ...door(20, 'A', 'w2', [5, 4, 4, 3], 60).map((r) => ({ ...r, answers: { ...r.answers, q1: 'na' as const } })),
    ]
    expect(indicatorOf(fewer).interviewers[0]).toMatchObject({ nO: 25, u: null, uniform: null })
  })
})

describe('duration buckets and their median', () => {
  it('should keep whole seconds, then 5, 15 and 60 s steps, then one bucket from an hour', () => {
    // 59.9 → 59; 62 → [60, 65); 299 → [295, 300); 300 → [300, 315); 1199 → [1185, 1200); 1300 → [1260, 1320); 5000 → 3600
    expect([0, 59.9, 62, 299, 300, 1199, 1300, 3599, 5000].map(durationBucket)).toEqual([0, 59, 60, 295, 300, 1185, 1260, 3540, 3600])
  })

  it('should take the middle bucket, or the mean of the two middle ones', () => {
    // 3 values 10, 10, 40 → 10; 4 values 10, 10, 40, 50 → (10 + 40) / 2 = 25; none → null
    expect(
      histogramMedian(
        new Map([
          [40, 1],
          [10, 2],
        ]),
      ),
    ).toBe(10)
    expect(
      histogramMedian(
        new Map([
          [10, 2],
          [50, 1],
          [40, 1],
        ]),
      ),
    ).toBe(25)
    expect(histogramMedian(new Map())).toBeNull()
  })
})
