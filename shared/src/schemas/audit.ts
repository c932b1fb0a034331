import { Id, Instant } from './common.ts'
import { z } from './zod.ts'

// The audit log of staff actions (issue 12 point 6): `GET /api/v1/audit` (admins), its CSV export and
// its chain check. Each entry says who, when, what, and the before / after of what changed; secrets
// (passwords, token and code secrets, salts) are never in it.

/**
 * Every action the server records, `<noun>.<verb>`. The console filters by these and names them with
 * `AUDIT_ACTION_LABELS` (shared/src/labels.ts); recording one not listed here is a type error.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.enrol',
  'auth.logout',
  'session.revoke',
  'staff.create',
  'staff.update',
  'staff.password',
  'staff.sessions_revoke',
  'staff.enrolment',
  'token.create',
  'token.revoke',
  'org_unit.create',
  'org_unit.update',
  'campaign.create',
  'campaign.update',
  'campaign.retention',
  'questionnaire.save',
  'questionnaire.publish',
  'link.create',
  'household_codes.create',
  'response.review',
  'symposium.update',
  'remark.public',
  'followup.update',
  'sync.import',
  'export.download',
  'report.download',
  'audit.export',
  'retention.delete',
] as const
export const AuditAction = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditAction>

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: Instant,
  /** The staff user; null for the server's own jobs (then `actorLabel` is `system:<job>`). */
  actorId: Id.nullable(),
  actorLabel: z.string(),
  actorRole: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  campaignId: Id.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntry>

/** A page, newest first; `next` is the `before` of the following page (null at the end). */
export const AuditPage = z.object({ entries: z.array(AuditEntry), next: z.number().int().positive().nullable() })
export type AuditPage = z.infer<typeof AuditPage>

/** `GET /api/v1/audit/verify`: the whole chain walked from its start. */
export const AuditVerdict = z.object({ ok: z.boolean(), length: z.number().int().min(0), firstBadSeq: z.number().int().nullable() })
export type AuditVerdict = z.infer<typeof AuditVerdict>
