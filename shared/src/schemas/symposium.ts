import { Id, LocalDate } from './common.ts'
import { z } from './zod.ts'

export const ATTENDEE_CATEGORIES = ['party_member', 'resident', 'unit', 'cadre', 'other'] as const
/** 党员代表, 居民代表, 驻区单位代表, 社区干部, 其他 */
export const AttendeeCategory = z.enum(ATTENDEE_CATEGORIES)
export type AttendeeCategory = z.infer<typeof AttendeeCategory>

/** 待办 / 整改中 / 已办结 */
export const FollowUpStatus = z.enum(['todo', 'in_progress', 'done'])
export const FollowUp = z.object({
  owner: z.string().max(100),
  dueDate: LocalDate.nullable(),
  status: FollowUpStatus,
})
export type FollowUp = z.infer<typeof FollowUp>

/** 问题 / 建议 / 表扬 */
export const RemarkKind = z.enum(['problem', 'suggestion', 'praise'])
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
