import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database } from '../tables.ts'
import type { ApiTokensTable, EnrolmentCodesTable, SessionsTable, StaffUsersTable } from '../tables-auth.ts'

// All SQL of staff accounts, sessions, API tokens and login attempts. Plain data in and out; the rules
// (who may, what expires, what gets revoked together) live in services/auth.ts, staff.ts and api-tokens.ts.

type Q = Kysely<Database>
export type StaffUserRow = StaffUsersTable

// --- staff users -----------------------------------------------------------------------------------

export async function countStaffUsers(db: Q): Promise<number> {
  const row = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Returns false when the login is taken (the unique index decides, so two instances cannot both win). */
export async function insertStaffUser(db: Q, row: Insertable<StaffUsersTable>, communityIds: string[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('staff_users')
      .values(row)
      .onConflict((oc) => oc.column('login').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) return false
    await replaceCommunities(trx, row.id, communityIds)
    return true
  })
}

export async function findStaffUserByLogin(db: Q, login: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('login', '=', login).executeTakeFirst()
}

export async function findStaffUser(db: Q, id: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listStaffUsers(db: Q): Promise<StaffUserRow[]> {
  return db.selectFrom('staff_users').selectAll().orderBy('login').execute()
}

/** Community ids per user, for the given users (all users when omitted). */
export async function communitiesByUser(db: Q, userIds?: string[]): Promise<Map<string, string[]>> {
  let q = db.selectFrom('staff_communities').select(['user_id', 'community_id']).orderBy('community_id')
  if (userIds) {
    if (userIds.length === 0) return new Map()
    q = q.where('user_id', 'in', userIds)
  }
  const out = new Map<string, string[]>()
  for (const r of await q.execute()) {
    const list = out.get(r.user_id)
    if (list) list.push(r.community_id)
    else out.set(r.user_id, [r.community_id])
  }
  return out
}

export async function updateStaffUser(
  db: Q,
  id: string,
  patch: Updateable<StaffUsersTable>,
  communityIds: string[] | undefined,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx.updateTable('staff_users').set(patch).where('id', '=', id).executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) return false
    if (communityIds) await replaceCommunities(trx, id, communityIds)
    return true
  })
}

async function replaceCommunities(db: Q, userId: string, communityIds: string[]): Promise<void> {
  await db.deleteFrom('staff_communities').where('user_id', '=', userId).execute()
  const unique = [...new Set(communityIds)]
  if (unique.length > 0) {
    await db
      .insertInto('staff_communities')
      .values(unique.map((community_id) => ({ user_id: userId, community_id })))
      .execute()
  }
}

export async function countEnabledAdmins(db: Q, exceptUserId?: string): Promise<number> {
  let q = db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
  if (exceptUserId) q = q.where('id', '!=', exceptUserId)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

// --- sessions --------------------------------------------------------------------------------------

export async function insertSession(db: Q, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute()
}

export interface SessionWithUser {
  session: SessionsTable
  user: Pick<StaffUserRow, 'id' | 'role' | 'disabled'>
  communityIds: string[]
}

/** One round trip per authenticated request: the session, its user and the user's communities. */
export async function findSessionWithUser(db: Q, sessionId: string): Promise<SessionWithUser | undefined> {
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.user_id')
    .leftJoin('staff_communities as sc', 'sc.user_id', 'u.id')
    .select([
      's.id',
      's.user_id',
      's.kind',
      's.created_at',
      's.expires_at',
      's.revoked_at',
      's.last_used_at',
      's.user_agent',
      'u.role',
      'u.disabled',
      'sc.community_id',
    ])
    .where('s.id', '=', sessionId)
    .orderBy('sc.community_id')
    .execute()
  const first = rows[0]
  if (!first) return undefined
  const { role, disabled, community_id: _c, ...session } = first
  return {
    session,
    user: { id: first.user_id, role, disabled },
    communityIds: rows.flatMap((r) => (r.community_id === null ? [] : [r.community_id])),
  }
}

export async function findSession(db: Q, sessionId: string): Promise<SessionsTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst()
}

export async function touchSession(db: Q, sessionId: string, at: string, kind: SessionsTable['kind']): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: at, kind }).where('id', '=', sessionId).execute()
}

/** Returns whether a live session was revoked (already revoked ones keep their first revocation time). */
export async function revokeSession(db: Q, sessionId: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function revokeUserSessions(db: Q, userId: string, at: string, exceptSessionId?: string): Promise<number> {
  let q = db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null)
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  const res = await q.executeTakeFirst()
  return Number(res.numUpdatedRows)
}

export async function deleteSessionsExpiredBefore(db: Q, before: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', before).execute()
}

/** The user's sessions that could still be used (not revoked, not expired), newest first. */
export async function listLiveSessions(db: Q, userId: string, now: string): Promise<SessionsTable[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute()
}

// --- read-only API tokens --------------------------------------------------------------------------

export async function insertApiToken(db: Q, row: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute()
}

export async function findApiTokenByHash(db: Q, tokenHash: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

export async function listApiTokens(db: Q): Promise<ApiTokensTable[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute()
}

export async function findApiToken(db: Q, id: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function revokeApiToken(db: Q, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute()
}

export async function touchApiToken(db: Q, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
}

// --- login attempts (counted by services/rate-limit.ts in the core rate_limits table) ----------------

export async function clearAttempts(db: Q, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('bucket', '=', bucket).execute()
}

// --- enrolment codes (worker app sign-in by QR code) --------------------------------------------------

export async function insertEnrolmentCode(db: Q, row: Insertable<EnrolmentCodesTable>): Promise<void> {
  await db.insertInto('enrolment_codes').values(row).execute()
}

/** A new code replaces the user's earlier unused ones (one live code per worker), and spent rows go. */
export async function deleteUnusedEnrolmentCodes(db: Q, userId: string): Promise<void> {
  await db.deleteFrom('enrolment_codes').where('user_id', '=', userId).where('used_at', 'is', null).execute()
}

export async function deleteEnrolmentCodesExpiredBefore(db: Q, before: string): Promise<void> {
  await db.deleteFrom('enrolment_codes').where('expires_at', '<', before).execute()
}

/**
 * Marks the code used if it is live (unused, not expired) and returns its user; one UPDATE, so two
 * phones presenting the same code at once cannot both get a session.
 */
export async function useEnrolmentCode(db: Q, id: string, now: string): Promise<string | undefined> {
  const row = await db
    .updateTable('enrolment_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id
}
