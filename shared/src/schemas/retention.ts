import { Id, Instant } from './common.ts'
import { z } from './zod.ts'

// Issue 15: a campaign's retention — the dry run that lists what a deletion would remove, with
// counts, and an admin's "delete now" (typed confirmation: the campaign's title).

/** What deleting a campaign's raw material removes, as rows per table (docs/PRIVACY.md says what each holds). */
export const RetentionCounts = z.record(z.string(), z.number().int().min(0))
export type RetentionCounts = z.infer<typeof RetentionCounts>

/** `GET /api/v1/campaigns/:id/retention`: the dry run. */
export const RetentionPlan = z.object({
  campaignId: Id,
  retentionMonths: z.number().int(),
  closesAt: Instant,
  /** closesAt + retentionMonths: the daily job deletes on or after it. */
  retentionEndsAt: Instant,
  closed: z.boolean(),
  due: z.boolean(),
  rawDeletedAt: Instant.nullable(),
  /** Rows that would be deleted (or blanked, for the symposium records' names and device ids). */
  counts: RetentionCounts,
})
export type RetentionPlan = z.infer<typeof RetentionPlan>

/** `POST /api/v1/campaigns/:id/retention/delete`: the campaign's title typed again. */
export const RetentionDeleteInput = z.object({ confirm: z.string().max(300) })

/** What a deletion did. */
export const RetentionResult = z.object({
  campaignId: Id,
  deletedAt: Instant,
  counts: RetentionCounts,
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
})
export type RetentionResult = z.infer<typeof RetentionResult>
