import type { CommunityInput, QuestionnaireVersionInput, TallyResponseInput } from '@minyi/shared/method'
import { CHANNELS, type Channel, FLAGS, type IndicatorConfig, type ScoringRule } from '@minyi/shared/schemas'
import fc from 'fast-check'
import { config, ratingQuestion } from './method-helpers.ts'

/** Version 2 is current; version 1 lacked q_info and rated q_service on likert3 (an older scale). */
export const QUESTIONNAIRES: QuestionnaireVersionInput[] = [
  {
    version: 1,
    questions: [ratingQuestion('q_edu'), ratingQuestion('q_service', 'likert3'), ratingQuestion('q_overall', 'likert5', true)],
  },
  {
    version: 2,
    questions: [
      ratingQuestion('q_edu'),
      ratingQuestion('q_service', 'likert4'),
      ratingQuestion('q_info'),
      ratingQuestion('q_overall', 'likert5', true),
    ],
  },
]
const CURRENT = QUESTIONNAIRES[1]?.questions ?? []
export const COMMUNITY_IDS = ['ca', 'cb', 'cc', 'cd']

const answerFor = (scores: number[]) => fc.oneof(fc.constantFrom(...scores), fc.constant('na' as const), fc.constant(undefined))

export const responseArb: fc.Arbitrary<TallyResponseInput> = fc
  .record({
    version: fc.constantFrom(1, 2, 2, 2),
    communityId: fc.constantFrom(...COMMUNITY_IDS),
    channel: fc.constantFrom<Channel>(...CHANNELS),
    q_edu: answerFor([5, 4, 3, 2, 1]),
    q_service: answerFor([4, 3, 2, 1]),
    q_info: answerFor([5, 4, 3, 2, 1]),
    q_overall: answerFor([5, 4, 3, 2, 1]),
    flags: fc.subarray([...FLAGS]),
    exclusion: fc.constantFrom(null, null, null, 'test' as const, 'evaluator_excluded' as const),
    review: fc.constantFrom(null, null, 'include' as const),
    workerId: fc.constantFrom(null, 'w1', 'w2', 'w3'),
    durationSeconds: fc.option(fc.double({ min: 0, max: 5000, noNaN: true })),
  })
  .map((r) => {
    const answers: TallyResponseInput['answers'] = {}
    for (const id of ['q_edu', 'q_service', 'q_info', 'q_overall'] as const) {
      const a = r[id]
      if (a === undefined || (id === 'q_info' && r.version === 1)) continue
      // Version 1 rated q_service on likert3: keep its scores on that scale.
      answers[id] = id === 'q_service' && r.version === 1 && typeof a === 'number' ? Math.min(a, 3) : a
    }
    return {
      communityId: r.communityId,
      channel: r.channel,
      questionnaireVersion: r.version,
      answers,
      flags: r.flags,
      exclusion: r.exclusion,
      review: r.review,
      workerId: r.workerId,
      durationSeconds: r.durationSeconds,
    }
  })

export const configArb: fc.Arbitrary<IndicatorConfig> = fc
  .record({
    satisfiedSet: fc.constantFrom('top1' as const, 'top2' as const, 'top3' as const),
    basis: fc.constantFrom('overall' as const, 'items_mean' as const),
    channels: fc.subarray([...CHANNELS], { minLength: 1 }),
    excludeFlags: fc.subarray([...FLAGS]),
    scoring: fc.constantFrom<ScoringRule>(
      { rule: 'proportional' },
      // Given lowest first on purpose: the method must take the highest tier reached.
      {
        rule: 'tiers',
        tiers: [
          { minRate: 0.6, score: 5 },
          { minRate: 0.9, score: 10 },
        ],
      },
    ),
    scoreOn: fc.constantFrom('rate' as const, 'postStratified' as const),
    weightedIndex: fc.constantFrom(null, { preset: 'nbs' as const }, { preset: 'linear' as const }),
    target: fc.constantFrom(0.8, 0.9, 1),
  })
  .map((c) => config(c))

export const communitiesArb: fc.Arbitrary<CommunityInput[]> = fc.tuple(
  ...COMMUNITY_IDS.map((id) =>
    fc.record({
      id: fc.constant(id),
      population: fc.option(fc.integer({ min: 1, max: 20_000 })),
      quota: fc.option(fc.integer({ min: 0, max: 400 })),
    }),
  ),
)

export const campaignArb = fc.record({
  config: configArb,
  communities: communitiesArb,
  responses: fc.array(responseArb, { maxLength: 80 }),
})

/** A response that is valid and satisfied under any config: best answer everywhere, pooled, unflagged. */
export function satisfiedResponse(cfg: IndicatorConfig, communityId: string): TallyResponseInput {
  const answers: TallyResponseInput['answers'] = {}
  for (const q of CURRENT) if (q.type === 'rating') answers[q.id] = q.scale.options[0]?.score ?? 5
  return { communityId, channel: cfg.channels[0] ?? 'qr', questionnaireVersion: 2, answers, flags: [], exclusion: null }
}
