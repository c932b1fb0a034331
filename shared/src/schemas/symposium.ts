import { Id, Instant, LocalDate, UuidV7 } from './common.ts'
import { z } from './zod.ts'

export const ATTENDEE_CATEGORIES = ['party_member', 'resident', 'unit', 'cadre', 'other'] as const
/** 党员代表, 居民代表, 驻区单位代表, 社区干部, 其他 */
export const AttendeeCategory = z.enum(ATTENDEE_CATEGORIES)
export type AttendeeCategory = z.infer<typeof AttendeeCategory>

/** 待办 / 整改中 / 已办结 */
export const FOLLOW_UP_STATUSES = ['todo', 'in_progress', 'done'] as const
export const FollowUpStatus = z.enum(FOLLOW_UP_STATUSES)
export type FollowUpStatus = z.infer<typeof FollowUpStatus>
export const FollowUp = z.object({
  owner: z.string().max(100),
  dueDate: LocalDate.nullable(),
  status: FollowUpStatus,
})
export type FollowUp = z.infer<typeof FollowUp>

/** 问题 / 建议 / 表扬 */
export const REMARK_KINDS = ['problem', 'suggestion', 'praise'] as const
export const RemarkKind = z.enum(REMARK_KINDS)
export type RemarkKind = z.infer<typeof RemarkKind>
export const Remark = z.object({
  id: Id,
  speakerCategory: AttendeeCategory,
  kind: RemarkKind,
  text: z.string().min(1).max(5000),
  followUp: FollowUp.nullable(),
})
export type Remark = z.infer<typeof Remark>

export const Symposium = z
  .object({
    id: Id,
    campaignId: Id,
    title: z.string().min(1).max(200),
    date: LocalDate,
    place: z.string().max(200),
    /** A community, or a street (街道) for a street-level symposium. */
    communityId: Id.nullable(),
    streetId: Id.nullable(),
    host: z.string().max(100),
    recorder: z.string().max(100),
    attendees: z.record(AttendeeCategory, z.number().int().min(0)),
    remarks: z.array(Remark).max(500),
  })
  .refine((s) => s.communityId !== null || s.streetId !== null, 'a symposium belongs to a community or a street')
export type Symposium = z.infer<typeof Symposium>

/** A symposium as a sync item (created offline by a recorder, sent before its rating sheets). */
export const SymposiumItem = z.object({ kind: z.literal('symposium') }).and(Symposium)
export type SymposiumItem = z.infer<typeof SymposiumItem>

/** A remark without its id: the body of a `remark` item, whose own id is the remark's. */
export const RemarkBody = Remark.omit({ id: true })
export type RemarkBody = z.infer<typeof RemarkBody>

/**
 * A remark added after its symposium was first sent (docs/SERVER.md, kind `remark`): its own item with
 * its own UUIDv7, which is the remark's id, so a replay is a `duplicate` and two recorders' remarks
 * never overwrite each other.
 */
export const RemarkItem = z.object({
  kind: z.literal('remark'),
  id: UuidV7,
  campaignId: Id,
  symposiumId: Id,
  remark: RemarkBody,
})
export type RemarkItem = z.infer<typeof RemarkItem>

/**
 * One change of a remark's follow-up (kind `follow_up`, the 整改台账's history): the whole follow-up
 * as it is after the change, a note, when, and `base`, the change the editor saw last (null: the
 * remark as recorded). Two changes on one base are concurrent: both are kept and shown as a conflict.
 */
export const FollowUpItem = z.object({
  kind: z.literal('follow_up'),
  id: UuidV7,
  campaignId: Id,
  remarkId: Id,
  base: Id.nullable(),
  followUp: FollowUp,
  note: z.string().max(1000),
  changedAt: Instant,
})
export type FollowUpItem = z.infer<typeof FollowUpItem>

/** One stored change of a follow-up, as the ledger shows it: who, when, from → to, the note. */
export const FollowUpChange = z.object({
  id: Id,
  base: Id.nullable(),
  changedAt: Instant,
  receivedAt: Instant,
  /** The staff member's name (null for the remark as first recorded by a device without a session). */
  by: z.string().nullable(),
  from: FollowUpStatus.nullable(),
  to: FollowUpStatus,
  owner: z.string(),
  dueDate: LocalDate.nullable(),
  note: z.string(),
  /** Another change has the same base: two edits made without seeing each other. */
  concurrent: z.boolean(),
})
export type FollowUpChange = z.infer<typeof FollowUpChange>

/** `GET …/ledger`: one remark of the 整改台账 with its current follow-up and every change. */
export const LedgerEntry = z.object({
  remarkId: Id,
  symposiumId: Id,
  symposiumTitle: z.string(),
  symposiumDate: LocalDate,
  communityId: Id.nullable(),
  streetId: Id.nullable(),
  speakerCategory: AttendeeCategory,
  kind: RemarkKind,
  text: z.string(),
  public: z.boolean(),
  followUp: FollowUp.nullable(),
  /** The id of the change that gives the current follow-up (the `base` of the next change). */
  head: Id.nullable(),
  lastChangedAt: Instant.nullable(),
  /** Due before today (Asia/Shanghai) and not done. */
  overdue: z.boolean(),
  /** Some of its changes are concurrent (see FollowUpChange.concurrent). */
  conflict: z.boolean(),
  history: z.array(FollowUpChange),
})
export type LedgerEntry = z.infer<typeof LedgerEntry>

const KindCount = z.object({
  /** Remarks of this kind. */
  raised: z.number().int().min(0),
  /** …of which with a follow-up. */
  followedUp: z.number().int().min(0),
  done: z.number().int().min(0),
  /** With a follow-up not yet done (待办 or 整改中). */
  open: z.number().int().min(0),
  overdue: z.number().int().min(0),
})

/** The symposium figures of a campaign (METHOD.md §8, reported separately): the ledger summed. */
export const LedgerSummary = z.object({
  symposiums: z.number().int().min(0),
  attendees: z.number().int().min(0),
  remarks: z.number().int().min(0),
  byKind: z.object({ problem: KindCount, suggestion: KindCount, praise: KindCount }),
})
export type LedgerSummary = z.infer<typeof LedgerSummary>

/** `PUT …/remarks/:remarkId/public`: staff show a remark on the community's public page, or take it off. */
export const RemarkPublicBody = z.object({ public: z.boolean() })

/** `GET /api/v1/public/…/remarks`: what residents see, never who said it. */
export const PublicRemark = z.object({
  id: Id,
  kind: RemarkKind,
  text: z.string(),
  status: FollowUpStatus.nullable(),
  /** When the follow-up last changed (or the remark was received), as an instant. */
  changedAt: Instant,
})
export const PublicRemarks = z.object({
  campaignTitle: z.string(),
  communityName: z.string(),
  remarks: z.array(PublicRemark),
})
export type PublicRemarks = z.infer<typeof PublicRemarks>
