import { Channel, CoarsePosition, Id, Instant, UuidV7 } from './common.ts'
import { Answers } from './questionnaire.ts'
import { z } from './zod.ts'

/** One filled questionnaire as a device sends it (the `items[]` of `POST /api/v1/sync`, kind `response`). */
export const ResponseItem = z.object({
  kind: z.literal('response'),
  id: UuidV7,
  campaignId: Id,
  questionnaireVersion: z.number().int().positive(),
  communityId: Id,
  channel: Channel,
  startedAt: Instant,
  submittedAt: Instant,
  answers: Answers,
  /** Door number hashed on the device with a per-campaign salt, or a single-use household code token. */
  householdKey: z.string().min(1).max(128).nullable().default(null),
  symposiumId: Id.nullable().default(null),
  /** Preview/test mode: stored, never valid (METHOD.md §3 `test`). */
  test: z.boolean().optional(),
  /**
   * The paper form's serial number (channel `paper`, C3): kept with the transcribed answers so that a
   * reviewer can find the sheet. Absent on every other channel.
   */
  serial: z.string().trim().min(1).max(32).nullable().optional(),
  /** Optional evidence with consent: a coarse position (3 decimals). */
  evidence: CoarsePosition.nullable().optional(),
})
export type ResponseItem = z.infer<typeof ResponseItem>
export type ResponseItemInput = z.input<typeof ResponseItem>
