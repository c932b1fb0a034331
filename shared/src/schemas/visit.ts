import { CoarsePosition, Id, Instant, UuidV7 } from './common.ts'
import { z } from './zod.ts'

/** 完成 / 不在家 / 拒访 / 需回访 (METHOD.md §11). */
export const VISIT_OUTCOMES = ['completed', 'not_home', 'refused', 'revisit'] as const
export const VisitOutcome = z.enum(VISIT_OUTCOMES)
export type VisitOutcome = z.infer<typeof VisitOutcome>

/**
 * A household key made on the device: HMAC-SHA-256 of the normalised door number with the campaign's
 * salt, as 64 lowercase hex digits. Anything else (a raw door number above all) is refused, so a
 * client bug can never send a door number to the server.
 */
export const HOUSEHOLD_KEY_PATTERN = /^[0-9a-f]{64}$/
export const HouseholdKey = z.string().regex(HOUSEHOLD_KEY_PATTERN, 'expected the HMAC-SHA-256 of the door number (64 hex digits)')

/**
 * One visit to a household as a sync item (PRODUCT.md Contracts, kind `visit`), sent under the
 * worker's credentials for a community assigned to them. `responseId` names the questionnaire a
 * `completed` visit produced; every other outcome has none.
 */
export const VisitItem = z
  .object({
    kind: z.literal('visit'),
    id: UuidV7,
    campaignId: Id,
    communityId: Id,
    householdKey: HouseholdKey,
    outcome: VisitOutcome,
    visitedAt: Instant,
    responseId: UuidV7.nullable().default(null),
    /** Coarse position, with consent only; absent or null otherwise. */
    evidence: CoarsePosition.nullable().optional(),
  })
  .refine((v) => v.responseId === null || v.outcome === 'completed', {
    path: ['responseId'],
    message: 'only a completed visit names a response',
  })
export type VisitItem = z.infer<typeof VisitItem>
export type VisitItemInput = z.input<typeof VisitItem>
