import { Channel } from './common.ts'
import { EvidenceHead } from './evidence.ts'
import { z } from './zod.ts'

const Rate = z.number().min(0).max(1)
const Interval = z.tuple([Rate, Rate])

/** One group's line in byChannel / byCommunity. */
export const GroupRate = z.object({
  received: z.number().int(),
  valid: z.number().int(),
  /** Valid questionnaires with a rating on the basis (the denominator of `rate`). */
  n: z.number().int(),
  rate: Rate.nullable(),
  ci95: Interval.nullable(),
  smallSample: z.boolean(),
})

/** METHOD.md §11: households by final outcome and the response / contact rates (null: no resolved household). */
export const Fieldwork = z.object({
  households: z.number().int(),
  completed: z.number().int(),
  notHome: z.number().int(),
  refused: z.number().int(),
  revisit: z.number().int(),
  responseRate: Rate.nullable(),
  contactRate: Rate.nullable(),
})
export type Fieldwork = z.infer<typeof Fieldwork>

/** METHOD.md §10: one worker's door questionnaires against the others'; an absent figure (and its flag) is null. */
export const InterviewerCheck = z.object({
  workerId: z.string(),
  nW: z.number().int(),
  nO: z.number().int(),
  z: z.number().nullable(),
  rateOutlier: z.boolean().nullable(),
  u: z.number().nullable(),
  uniform: z.boolean().nullable(),
  speedRatio: z.number().nullable(),
})
export type InterviewerCheck = z.infer<typeof InterviewerCheck>

export const ChannelRate = GroupRate.extend({ channel: Channel, pooled: z.boolean() })
export type ChannelRate = z.infer<typeof ChannelRate>

export const CommunityRate = GroupRate.extend({
  communityId: z.string(),
  population: z.number().nullable(),
  quota: z.number().int().nullable(),
  sampleSize: z.object({ required: z.number().int(), adequate: z.boolean() }).nullable(),
  fieldwork: Fieldwork,
})
export type CommunityRate = z.infer<typeof CommunityRate>

/** METHOD.md §5 post-stratification: overall, and within each street in byStreet. */
export const PostStratified = z.object({
  rate: Rate.nullable(),
  se: z.number().nullable(),
  coverageGaps: z.array(z.string()),
  missingPopulation: z.array(z.string()),
})

/**
 * One street (街道) of byStreet: the fields of a byCommunity line for the street's communities pooled
 * (population and quota: their sums when every community has one), its communities (byCommunity
 * order) and the rate post-stratified within the street. streetId null: communities with no known street.
 */
export const StreetRate = GroupRate.extend({
  streetId: z.string().nullable(),
  communityIds: z.array(z.string()),
  population: z.number().nullable(),
  quota: z.number().int().nullable(),
  sampleSize: z.object({ required: z.number().int(), adequate: z.boolean() }).nullable(),
  fieldwork: Fieldwork,
  postStratified: PostStratified,
})
export type StreetRate = z.infer<typeof StreetRate>

export const ItemRate = z.object({
  questionId: z.string(),
  overall: z.boolean(),
  /** Rated (non-`na`) answers to the item among pooled valid questionnaires. */
  n: z.number().int(),
  na: z.number().int(),
  rate: Rate.nullable(),
  ci95: Interval.nullable(),
  topK: z.array(Rate),
  /** Answers per option score, best first, as [score, count]. */
  distribution: z.array(z.tuple([z.number(), z.number().int()])),
  smallSample: z.boolean(),
})
export type ItemRate = z.infer<typeof ItemRate>

/** The indicator object of `GET /api/v1/campaigns/:id/indicator` (normative field names; more may be added). */
export const Indicator = z.object({
  rate: Rate.nullable(),
  ci95: Interval.nullable(),
  n: z.object({
    received: z.number().int(),
    valid: z.number().int(),
    excluded: z.record(z.string(), z.number().int()),
    flagged: z.record(z.string(), z.number().int()),
  }),
  validRate: Rate.nullable(),
  basis: z.enum(['overall', 'items_mean']),
  /** Labels (zh) of the options counted as satisfied. */
  satisfiedSet: z.array(z.string()),
  topK: z.array(Rate),
  rho: z.number(),
  deff: z.number().min(1),
  nEff: z.number(),
  ci95Design: Interval.nullable(),
  postStratified: PostStratified,
  weightedIndex: z.number().nullable(),
  sampleSize: z.object({ required: z.number().int(), adequate: z.boolean() }),
  score: z.object({
    rule: z.enum(['proportional', 'tiers']),
    target: z.number(),
    weight: z.number(),
    on: z.enum(['rate', 'postStratified']),
    value: z.number().nullable(),
  }),
  smallSample: z.boolean(),
  channels: z.array(Channel),
  byChannel: z.array(ChannelRate),
  byCommunity: z.array(CommunityRate),
  /** The communities' lines grouped by street (街道), for views of hundreds or thousands of communities. */
  byStreet: z.array(StreetRate),
  byItem: z.array(ItemRate),
  /** Door-to-door visits (METHOD.md §11), all communities together. */
  fieldwork: Fieldwork,
  /** The interviewer check (METHOD.md §10), one entry per worker with a valid door questionnaire. */
  interviewers: z.array(InterviewerCheck),
  /** The evidence chain's signed head when the figures were read (added by the server; the method leaves it out). */
  evidence: EvidenceHead.optional(),
})
export type Indicator = z.infer<typeof Indicator>
