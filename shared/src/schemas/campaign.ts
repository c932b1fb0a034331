import { Channel, I18nText, Id, Instant } from './common.ts'
import { Community, Street } from './org.ts'
import { QuestionnaireVersion } from './questionnaire.ts'
import { z } from './zod.ts'

/** METHOD.md §3: soft flags (never drop data by themselves). */
export const FLAGS = [
  'speeding',
  'straightlining',
  'duplicate_device',
  'duplicate_household',
  'network_burst',
  'late',
  'clock_skew',
  'conflict',
] as const
export const Flag = z.enum(FLAGS)
export type Flag = z.infer<typeof Flag>

/** METHOD.md §3: hard reasons a questionnaire is not valid. */
export const EXCLUSIONS = ['missing_basis', 'evaluator_excluded', 'test'] as const
export const Exclusion = z.enum(EXCLUSIONS)
export type Exclusion = z.infer<typeof Exclusion>

/** METHOD.md §2: `topN` presets, or the explicit scores that count as satisfied (must be the best N options). */
export const SatisfiedSet = z.union([z.enum(['top1', 'top2', 'top3', 'top4', 'top5']), z.array(z.number().finite()).min(1)])
export type SatisfiedSet = z.infer<typeof SatisfiedSet>

export const ScoringRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('proportional') }),
  z.object({
    rule: z.literal('tiers'),
    tiers: z.array(z.object({ minRate: z.number().min(0).max(1), score: z.number().min(0) })).min(1),
  }),
])
export type ScoringRule = z.infer<typeof ScoringRule>

export const WeightedIndexConfig = z.union([
  z.object({ preset: z.enum(['nbs', 'linear']) }),
  /** Explicit weights, one per scale option, best first. */
  z.object({ weights: z.array(z.number().finite()).min(3).max(11) }),
])
export type WeightedIndexConfig = z.infer<typeof WeightedIndexConfig>

/** Everything METHOD.md lets a campaign choose. Defaults are the method's defaults. */
export const IndicatorConfig = z.object({
  satisfiedSet: SatisfiedSet.default('top3'),
  basis: z.enum(['overall', 'items_mean']).default('overall'),
  channels: z.array(Channel).min(1).default(['qr', 'door', 'paper']),
  excludeFlags: z.array(Flag).default([]),
  target: z.number().gt(0).max(1).default(0.9),
  weight: z.number().min(0).default(10),
  scoring: ScoringRule.default({ rule: 'proportional' }),
  /** Which rate feeds the score: the plain rate `p`, or `p_ps` when populations are known. */
  scoreOn: z.enum(['rate', 'postStratified']).default('rate'),
  populationUnit: z.enum(['residents', 'households']).default('residents'),
  weightedIndex: WeightedIndexConfig.nullable().default(null),
  sampleSize: z
    .object({
      margin: z.number().gt(0).lt(1).default(0.05),
      p: z.number().gt(0).lt(1).default(0.5),
      expectedValidRate: z.number().gt(0).max(1).default(1),
    })
    .default({ margin: 0.05, p: 0.5, expectedValidRate: 1 }),
  flagRules: z
    .object({
      minSecondsBase: z.number().min(0).default(20),
      minSecondsPerItem: z.number().min(0).default(3),
      straightlineMinItems: z.number().int().min(2).default(6),
      maxPerDevice: z.number().int().positive().default(3),
    })
    .default({ minSecondsBase: 20, minSecondsPerItem: 3, straightlineMinItems: 6, maxPerDevice: 3 }),
})
export type IndicatorConfig = z.infer<typeof IndicatorConfig>
export type IndicatorConfigInput = z.input<typeof IndicatorConfig>

export const CampaignStatus = z.enum(['draft', 'open', 'closed'])
export type CampaignStatus = z.infer<typeof CampaignStatus>

export const Campaign = z.object({
  id: Id,
  title: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  status: CampaignStatus,
  opensAt: Instant,
  closesAt: Instant,
  publishedAt: Instant.nullable(),
  communityIds: z.array(Id),
  /** Target number of valid questionnaires per community id. */
  quotas: z.record(z.string(), z.number().int().min(0)),
  indicatorConfig: IndicatorConfig,
  questionnaireId: Id,
})
export type Campaign = z.infer<typeof Campaign>

/** Issue 15: raw material is kept this many months after the campaign closes, unless set otherwise ("三年"). */
export const DEFAULT_RETENTION_MONTHS = 36
/** At most ten years; at least one month. */
export const RetentionMonths = z.number().int().min(1).max(120)

/** Body of campaign create/update by an evaluator. */
export const CampaignInput = z.object({
  title: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  opensAt: Instant,
  closesAt: Instant,
  communityIds: z.array(Id).min(1),
  quotas: z.record(z.string(), z.number().int().min(0)).default({}),
  indicatorConfig: IndicatorConfig.default(IndicatorConfig.parse({})),
  retentionMonths: RetentionMonths.default(DEFAULT_RETENTION_MONTHS),
})
export type CampaignInput = z.input<typeof CampaignInput>

/** `GET /api/v1/campaigns` items. */
export const CampaignSummary = z.object({ id: Id, title: z.string(), status: CampaignStatus })
export type CampaignSummary = z.infer<typeof CampaignSummary>

/** `GET /api/v1/campaigns/:id` (normative fields: communities, indicatorConfig, questionnaire). */
export const CampaignDetail = Campaign.omit({ communityIds: true }).extend({
  communities: z.array(Community),
  /** The streets (街道) the communities belong to, by code (the console groups communities by them). */
  streets: z.array(Street).optional(),
  questionnaire: QuestionnaireVersion.nullable(),
  privacyNotice: I18nText.optional(),
  /** Issue 15: months kept after closing, the day raw material is deleted, and when it was (null: kept). */
  retentionMonths: RetentionMonths.optional(),
  retentionEndsAt: Instant.optional(),
  rawDeletedAt: Instant.nullable().optional(),
})
export type CampaignDetail = z.infer<typeof CampaignDetail>

/** `GET /api/v1/campaigns/:id` as staff see it: with the salt the worker app hashes door numbers with (C3). */
export const StaffCampaignDetail = CampaignDetail.extend({ householdSalt: z.string().min(1) })
export type StaffCampaignDetail = z.infer<typeof StaffCampaignDetail>

/** `GET /api/v1/campaigns/:id/links`: the QR links per (community, channel). */
export const CampaignLink = z.object({ communityId: Id, channel: Channel, url: z.string() })
export type CampaignLink = z.infer<typeof CampaignLink>

/**
 * `GET /api/v1/campaigns/:id/progress`: quota progress per community as the server counts it (every
 * channel), for the communities the caller may see (a worker: those assigned). The worker app adds
 * its own unsent questionnaires to `received`.
 */
export const CommunityProgress = z.object({
  communityId: Id,
  received: z.number().int().min(0),
  valid: z.number().int().min(0),
  quota: z.number().int().min(0).nullable(),
})
export type CommunityProgress = z.infer<typeof CommunityProgress>
