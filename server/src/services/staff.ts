import { randomUUID } from 'node:crypto'
import type { SessionsRevoked, StaffSession, StaffUser, StaffUserInput, StaffUserUpdate } from '@minyi/shared/schemas'
import { hashPassword } from '../auth/password.ts'
import type { StaffPrincipal } from '../auth/principal.ts'
import * as q from '../db/queries/auth.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'

// Staff accounts, managed by admins. Role and community changes take effect on the user's next request
// (authenticate reads them from the database each time); disabling or a password reset also ends the
// user's sessions, so a dismissed worker's phone stops syncing at once.

export function toStaffUser(row: q.StaffUserRow, communityIds: string[]): StaffUser {
  return {
    id: row.id,
    name: row.name,
    login: row.login,
    phone: row.phone,
    role: row.role,
    communityIds,
    disabled: row.disabled === 1,
  }
}

/** Only workers are limited to communities; for other roles an assignment would mean nothing. */
function assignable(role: StaffUser['role'], communityIds: string[]): string[] {
  return role === 'worker' ? [...new Set(communityIds)] : []
}

export async function listStaff(deps: Deps): Promise<StaffUser[]> {
  const [rows, communities] = await Promise.all([q.listStaffUsers(deps.db.db), q.communitiesByUser(deps.db.db)])
  return rows.map((r) => toStaffUser(r, communities.get(r.id) ?? []))
}

export async function getStaff(deps: Deps, id: string): Promise<StaffUser> {
  const row = await q.findStaffUser(deps.db.db, id)
  if (!row) throw new ProblemError('not_found')
  return toStaffUser(row, (await q.communitiesByUser(deps.db.db, [id])).get(id) ?? [])
}

export async function createStaff(deps: Deps, input: StaffUserInput): Promise<StaffUser> {
  const at = deps.now().toISOString()
  const id = randomUUID()
  const role = input.role
  const communityIds = assignable(role, input.communityIds ?? [])
  const created = await q.insertStaffUser(
    deps.db.db,
    {
      id,
      name: input.name,
      login: input.login.toLowerCase(),
      phone: input.phone ?? null,
      role,
      password_hash: await hashPassword(input.password),
      disabled: 0,
      created_at: at,
      updated_at: at,
    },
    communityIds,
  )
  if (!created) throw new ProblemError('conflict', { details: [{ path: 'login', message: 'login already taken' }] })
  return getStaff(deps, id)
}

export async function updateStaff(deps: Deps, actor: StaffPrincipal, id: string, patch: StaffUserUpdate): Promise<StaffUser> {
  const current = await q.findStaffUser(deps.db.db, id)
  if (!current) throw new ProblemError('not_found')
  const role = patch.role ?? current.role
  const disabled = patch.disabled ?? current.disabled === 1
  // Never leave the system without an enabled admin: nobody could then manage accounts at all.
  const losesAdmin = current.role === 'admin' && current.disabled === 0 && (role !== 'admin' || disabled)
  if (losesAdmin && (await q.countEnabledAdmins(deps.db.db, id)) === 0) {
    throw new ProblemError('conflict', { details: [{ path: 'role', message: 'the last enabled admin must stay an enabled admin' }] })
  }
  let communityIds: string[] | undefined
  if (patch.communityIds !== undefined || patch.role !== undefined) {
    const assigned = (await q.communitiesByUser(deps.db.db, [id])).get(id) ?? []
    communityIds = assignable(role, patch.communityIds ?? assigned)
  }
  const at = deps.now().toISOString()
  await q.updateStaffUser(
    deps.db.db,
    id,
    {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      role,
      disabled: disabled ? 1 : 0,
      updated_at: at,
    },
    communityIds,
  )
  if (disabled && current.disabled === 0) await q.revokeUserSessions(deps.db.db, id, at, actor.sessionId)
  return getStaff(deps, id)
}

/** Sets a new password and ends the user's other sessions (a reset usually means the old one leaked or was lost). */
export async function resetPassword(deps: Deps, actor: StaffPrincipal, id: string, password: string): Promise<void> {
  if (!(await q.findStaffUser(deps.db.db, id))) throw new ProblemError('not_found')
  const at = deps.now().toISOString()
  await q.updateStaffUser(deps.db.db, id, { password_hash: await hashPassword(password), updated_at: at }, undefined)
  await q.revokeUserSessions(deps.db.db, id, at, actor.sessionId)
}

export async function listSessions(deps: Deps, userId: string): Promise<StaffSession[]> {
  if (!(await q.findStaffUser(deps.db.db, userId))) throw new ProblemError('not_found')
  const rows = await q.listLiveSessions(deps.db.db, userId, deps.now().toISOString())
  return rows.map((s) => ({
    id: s.id,
    kind: s.kind,
    createdAt: s.created_at,
    expiresAt: s.expires_at,
    lastUsedAt: s.last_used_at,
    userAgent: s.user_agent,
  }))
}

/** "Sign out everywhere" for a user, e.g. a worker whose phone was lost. The acting admin's own session survives. */
export async function revokeAllSessions(deps: Deps, actor: StaffPrincipal, userId: string): Promise<SessionsRevoked> {
  if (!(await q.findStaffUser(deps.db.db, userId))) throw new ProblemError('not_found')
  return { revoked: await q.revokeUserSessions(deps.db.db, userId, deps.now().toISOString(), actor.sessionId) }
}
