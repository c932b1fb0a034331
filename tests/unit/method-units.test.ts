import {
  assertConfigFits,
  computeFlags,
  computeIndicator,
  durationSeconds,
  formatRate,
  formatScore,
  indexWeights,
  indicatorScore,
  intraClassCorrelation,
  MethodError,
  presetScale,
  ratedAnswersOf,
  requiredSampleSize,
  resolveSatisfiedSet,
  SMALL_SAMPLE,
  wilson,
} from '@minyi/shared/method'
import { describe, expect, it } from 'vitest'
import { config, ratingQuestion, response } from './method-helpers.ts'

const expectMethodError = (fn: () => unknown, code: string) => {
  let caught: unknown
  try {
    fn()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(MethodError)
  expect((caught as MethodError).code).toBe(code)
}

describe('scales', () => {
  it('should list likert5 best first with zh and en labels', () => {
    expect(presetScale('likert5').options.map((o) => [o.score, o.label.zh])).toEqual([
      [5, '非常满意'],
      [4, '满意'],
      [3, '基本满意'],
      [2, '不满意'],
      [1, '非常不满意'],
    ])
    expect(presetScale('likert5').options.every((o) => o.label.en)).toBe(true)
  })

  it('should give 11 options from 10 down to 0 when the preset is nps11', () => {
    expect(presetScale('nps11').options.map((o) => o.score)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  })

  it('should hand out a copy so that editing a label leaves the preset alone', () => {
    const scale = presetScale('likert3')
    const first = scale.options[0]
    if (first) first.label.zh = '很好'
    expect(presetScale('likert3').options[0]?.label.zh).toBe('满意')
  })
})

describe('satisfied set', () => {
  it('should accept explicit scores in any order when they are the best options', () => {
    expect(resolveSatisfiedSet([4, 5], presetScale('likert5'))).toStrictEqual({ k: 2, scores: [5, 4], labels: ['非常满意', '满意'] })
  })

  it('should throw satisfied_set_invalid when explicit scores skip a better option', () => {
    expectMethodError(() => resolveSatisfiedSet([5, 3], presetScale('likert5')), 'satisfied_set_invalid')
    expectMethodError(() => resolveSatisfiedSet([5, 5], presetScale('likert5')), 'satisfied_set_invalid')
    expectMethodError(() => resolveSatisfiedSet([6], presetScale('likert5')), 'satisfied_set_invalid')
  })

  it('should throw satisfied_set_invalid when the set would include the worst option', () => {
    expectMethodError(() => resolveSatisfiedSet('top5', presetScale('likert5')), 'satisfied_set_invalid')
    expectMethodError(() => resolveSatisfiedSet('top3', presetScale('likert3')), 'satisfied_set_invalid')
  })

  it('should name the options the contract example shows when top2 is used on likert4', () => {
    expect(resolveSatisfiedSet('top2', presetScale('likert4')).labels).toEqual(['满意', '基本满意'])
  })
})

describe('config fit', () => {
  it('should throw basis_item_missing when the basis is overall and no item is marked overall', () => {
    expectMethodError(() => assertConfigFits(config(), [ratingQuestion('q_edu')]), 'basis_item_missing')
  })

  it('should throw weights_mismatch when explicit weights do not match the scale', () => {
    const questions = [ratingQuestion('q_overall', 'likert5', true)]
    expectMethodError(() => assertConfigFits(config({ weightedIndex: { weights: [100, 50, 0] } }), questions), 'weights_mismatch')
  })

  it('should throw questionnaire_version_unknown when a response answered a version not given', () => {
    expectMethodError(
      () =>
        computeIndicator({
          config: config(),
          questionnaires: [{ version: 2, questions: [ratingQuestion('q_overall', 'likert5', true)] }],
          communities: [],
          responses: [response('c1', 'qr', { q_overall: 5 })],
        }),
      'questionnaire_version_unknown',
    )
  })
})

describe('flags', () => {
  const base = { ratedItemCount: 3, durationSeconds: 600, ratedAnswers: [5, 4, 3] }

  it('should flag duplicate_device only on qr once the device has sent maxPerDevice responses', () => {
    expect(computeFlags({ ...base, channel: 'qr', deviceCountBefore: 2 })).toEqual([])
    expect(computeFlags({ ...base, channel: 'qr', deviceCountBefore: 3 })).toEqual(['duplicate_device'])
    expect(computeFlags({ ...base, channel: 'door', deviceCountBefore: 30 })).toEqual([])
    expect(computeFlags({ ...base, channel: 'qr', deviceCountBefore: 1, rules: { maxPerDevice: 1 } })).toEqual(['duplicate_device'])
  })

  it('should flag duplicate_household when the household key was seen before', () => {
    expect(computeFlags({ ...base, channel: 'door', householdSeen: true })).toEqual(['duplicate_household'])
  })

  const window = { publishedAt: '2024-01-01T00:00:00+08:00', closesAt: '2024-06-30T23:59:59+08:00' }

  it('should not flag late when the answer was given in the window and received after it closed', () => {
    expect(computeFlags({ ...base, ...window, submittedAt: '2024-06-30T20:00:00+08:00', receivedAt: '2024-07-03T09:00:00+08:00' })).toEqual(
      [],
    )
  })

  it('should flag late when the device submitted after the campaign closed', () => {
    expect(computeFlags({ ...base, ...window, submittedAt: '2024-07-01T08:00:00+08:00', receivedAt: '2024-07-01T08:00:05+08:00' })).toEqual(
      ['late'],
    )
  })

  it('should flag clock_skew and judge late by receive time when the device clock is ahead of the server', () => {
    const ahead = { submittedAt: '2024-07-02T00:00:00+08:00', receivedAt: '2024-06-30T12:00:00+08:00' }
    expect(computeFlags({ ...base, ...window, ...ahead })).toEqual(['clock_skew'])
    const aheadAndLate = { submittedAt: '2024-07-09T00:00:00+08:00', receivedAt: '2024-07-02T12:00:00+08:00' }
    expect(computeFlags({ ...base, ...window, ...aheadAndLate })).toEqual(['late', 'clock_skew'])
  })

  it('should flag clock_skew when the device says it submitted before the campaign was published', () => {
    expect(computeFlags({ ...base, ...window, submittedAt: '2023-12-01T00:00:00+08:00', receivedAt: '2024-03-01T00:00:00+08:00' })).toEqual(
      ['clock_skew'],
    )
  })

  it('should use the configured straightlining threshold', () => {
    expect(computeFlags({ ...base, ratedAnswers: [4, 4, 4], rules: { straightlineMinItems: 3 } })).toEqual(['straightlining'])
  })

  it('should read rated answers and duration from a response', () => {
    const questions = [ratingQuestion('q_a'), ratingQuestion('q_b'), ratingQuestion('q_c')]
    expect(ratedAnswersOf(questions, { q_a: 4, q_b: 'na', q_c: 2, q_other: 5 })).toEqual([4, 2])
    expect(durationSeconds('2024-03-01T10:00:00+08:00', '2024-03-01T10:01:30.500+08:00')).toBe(90.5)
    expect(durationSeconds('nonsense', '2024-03-01T10:01:30+08:00')).toBeNull()
  })
})

describe('weighted index weights', () => {
  it('should space linear weights evenly from 100 in steps of 100 over the size', () => {
    expect(indexWeights({ preset: 'linear' }, 5)).toEqual([100, 80, 60, 40, 20])
    expect(indexWeights({ preset: 'linear' }, 4)).toEqual([100, 75, 50, 25])
  })

  it('should sample the 5-level nbs curve when the scale has another size', () => {
    expect(indexWeights({ preset: 'nbs' }, 5)).toEqual([100, 80, 60, 30, 0])
    expect(indexWeights({ preset: 'nbs' }, 3)).toEqual([100, 60, 0])
    const four = indexWeights({ preset: 'nbs' }, 4)
    expect(four[0]).toBe(100)
    expect(four[1]).toBeCloseTo(73.333333, 5)
    expect(four[2]).toBeCloseTo(40, 10)
    expect(four[3]).toBe(0)
  })
})

describe('score, sample size, intervals and display', () => {
  it('should take the highest tier reached when tiers are given lowest first', () => {
    const scoring = {
      rule: 'tiers' as const,
      tiers: [
        { minRate: 0.8, score: 6 },
        { minRate: 0.95, score: 10 },
      ],
    }
    expect(indicatorScore({ scoring, rate: 0.96, target: 0.9, weight: 10 })).toBe(10)
    expect(indicatorScore({ scoring, rate: null, target: 0.9, weight: 10 })).toBeNull()
  })

  it('should round the sample size up and divide by the expected valid rate', () => {
    expect(requiredSampleSize()).toBe(385)
    expect(requiredSampleSize({ validRate: 0.5 })).toBe(769)
  })

  it('should give no interval when n is 0', () => {
    expect(wilson(0, 0)).toBeNull()
  })

  it('should take the intra-class correlation as 0 when communities are alike or only one answered', () => {
    const same = { n: 10, sum: 5, sumSq: 5 }
    expect(intraClassCorrelation([same, same, same])).toBe(0)
    expect(intraClassCorrelation([same])).toBe(0)
  })

  it('should format rates as percentages with 2 decimals and scores with 2 decimals', () => {
    expect(formatRate(0.8663101604278075)).toBe('86.63%')
    expect(formatRate(1)).toBe('100.00%')
    expect(formatRate(null)).toBe('—')
    expect(formatScore(9.6256684)).toBe('9.63')
  })

  it('should mark small samples below 30 valid questionnaires', () => {
    expect(SMALL_SAMPLE).toBe(30)
    const questionnaires = [{ version: 1, questions: [ratingQuestion('q_overall', 'likert5', true)] }]
    const answered = (n: number) => Array.from({ length: n }, () => response('c1', 'qr', { q_overall: 5 }))
    expect(computeIndicator({ config: config(), questionnaires, communities: [], responses: answered(29) }).smallSample).toBe(true)
    expect(computeIndicator({ config: config(), questionnaires, communities: [], responses: answered(30) }).smallSample).toBe(false)
  })
})
