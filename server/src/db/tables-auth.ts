// Tables of staff users, their communities, sessions and read-only API tokens (migration 0002).
// Login attempts are counted in the core `rate_limits` table (buckets `login:…`), shared by every instance.
// Portable types only; instants are UTC ISO-8601 text so they compare as strings.

export interface StaffUsersTable {
  id: string
  name: string
  /** Stored lower-case, so `Admin` and `admin` are one account. */
  login: string
  phone: string | null
  role: 'admin' | 'evaluator' | 'worker'
  /** `scrypt$ln=…,r=…,p=…$<salt>$<key>` (see server/src/auth/password.ts); the parameters travel with the hash. */
  password_hash: string
  /** 0 | 1: disabled users keep their history (responses name them) but cannot sign in. */
  disabled: number
  created_at: string
  updated_at: string
}

/** Communities a worker may collect in. No foreign key to org_units: staff may be set up before communities. */
export interface StaffCommunitiesTable {
  user_id: string
  community_id: string
}

export interface SessionsTable {
  /** SHA-256 (hex) of the secret token; the token itself is never stored. */
  id: string
  user_id: string
  /** The transport the token was last presented with: the browser cookie, or `Authorization: Bearer` (worker app, scripts). */
  kind: 'cookie' | 'bearer'
  created_at: string
  /** Absolute: a session does not slide, so a lost phone's token dies at a known time even if never revoked. */
  expires_at: string
  revoked_at: string | null
  /** Updated at most once a minute, so that authenticating is not a write per request. */
  last_used_at: string | null
  /** Helps an admin tell which phone a session is on before revoking it. */
  user_agent: string | null
}

/** Read-only tokens for statistics pulls (scripts, BI tools). */
export interface ApiTokensTable {
  id: string
  /** SHA-256 (hex) of the secret token. */
  token_hash: string
  name: string
  created_by: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

/** One-time enrolment codes for the worker app (migration 0007): valid 24 h, used at most once. */
export interface EnrolmentCodesTable {
  /** SHA-256 (hex) of the code; the code itself is shown once in the console and never stored. */
  id: string
  user_id: string
  /** The admin who made it. */
  created_by: string
  created_at: string
  expires_at: string
  /** Set when a phone traded it for a session; a used code never works again. */
  used_at: string | null
}

/**
 * The audit log of staff actions (migration 0011): append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained over the whole log (`services/audit.ts`).
 */
export interface AuditLogTable {
  seq: number
  at: string
  /** The staff user, or null for the server's own jobs (retention). */
  actor_id: string | null
  /** The login at the time (or `system:<job>`), so a later rename does not rewrite history. */
  actor_label: string
  actor_role: string
  /** `<noun>.<verb>`, e.g. `campaign.update` (`AUDIT_ACTIONS` in shared/src/schemas/audit.ts). */
  action: string
  target_type: string
  target_id: string | null
  campaign_id: string | null
  /** JSON of what the target was before and is after; null when there is nothing to show (a password). */
  before_json: string | null
  after_json: string | null
  prev_hash: string
  hash: string
}

/** The end of the audit chain: one row (id 1), locked by each appending transaction. */
export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface AuthTables {
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  staff_users: StaffUsersTable
  staff_communities: StaffCommunitiesTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  enrolment_codes: EnrolmentCodesTable
}
