import { CampaignInput, IndicatorConfig, RetentionMonths } from './campaign.ts'
import { Id, Instant } from './common.ts'
import { OrgKind } from './org.ts'
import { QuestionnaireContent } from './questionnaire.ts'
import { z } from './zod.ts'

// Bodies of the evaluator's and admin's write endpoints (campaign setup, org units, review, codes).

/** `POST /api/v1/campaigns`: from the template (default), or a copy of another campaign's questionnaire and config. */
export const CampaignCreate = CampaignInput.extend({ copyOf: Id.optional() })
export type CampaignCreate = z.infer<typeof CampaignCreate>
export type CampaignCreateInput = z.input<typeof CampaignCreate>

/** `PATCH /api/v1/campaigns/:id`: any subset; quotas replace the whole map. */
export const CampaignPatch = z.object({
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  opensAt: Instant.optional(),
  closesAt: Instant.optional(),
  communityIds: z.array(Id).min(1).optional(),
  quotas: z.record(z.string(), z.number().int().min(0)).optional(),
  indicatorConfig: IndicatorConfig.optional(),
  retentionMonths: RetentionMonths.optional(),
  /** Required to change `retentionMonths` once answers have arrived; kept in the audit log. */
  retentionReason: z.string().trim().min(1).max(500).optional(),
})
export type CampaignPatch = z.infer<typeof CampaignPatch>
export type CampaignPatchInput = z.input<typeof CampaignPatch>

/** `PUT /api/v1/campaigns/:id/questionnaire` saves the draft; `POST …/questionnaire/publish` makes it the next immutable version. */
export const QuestionnaireDraftInput = QuestionnaireContent
export const PublishResult = z.object({ version: z.number().int().positive(), publishedAt: Instant })

export const OrgUnitInput = z.object({
  kind: OrgKind,
  parentId: Id.nullable().default(null),
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  population: z.number().int().positive().nullable().default(null),
})
export type OrgUnitInput = z.infer<typeof OrgUnitInput>
export const OrgUnitPatch = z.object({
  code: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(200).optional(),
  population: z.number().int().positive().nullable().optional(),
})

/** `POST /api/v1/campaigns/:id/household-codes` */
export const HouseholdCodeRequest = z.object({ communityId: Id, count: z.number().int().min(1).max(2000) })
/** The codes are shown once (only their hashes are kept): print them now. */
export const HouseholdCodeBatch = z.object({
  communityId: Id,
  codes: z.array(z.object({ code: z.string(), url: z.string() })),
})
export type HouseholdCodeBatch = z.infer<typeof HouseholdCodeBatch>

/** `PATCH /api/v1/campaigns/:id/responses/:responseId/review`: an evaluator's audited decision on a flagged response. */
export const ResponseReviewInput = z.object({
  /** exclude: not valid (evaluator_excluded); include: valid even if its flags would exclude it; reset: back to the config's rule. */
  action: z.enum(['exclude', 'include', 'reset']),
  reason: z.string().trim().min(1).max(1000),
})
export type ResponseReviewInput = z.infer<typeof ResponseReviewInput>
