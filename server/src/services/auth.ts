import { randomBytes, randomUUID } from 'node:crypto'
import type { ProblemCode } from '@minyi/shared/problems'
import {
  ENROLMENT_TTL_HOURS,
  type EnrolmentCode,
  type LoginRequest,
  type LoginResponse,
  type MeResponse,
  type Role,
} from '@minyi/shared/schemas'
import { dummyHash, hashPassword, verifyPassword } from '../auth/password.ts'
import type { Principal, StaffPrincipal } from '../auth/principal.ts'
import { hashToken, newToken, tokenKind } from '../auth/tokens.ts'
import type { Db } from '../db/index.ts'
import * as q from '../db/queries/auth.ts'
import type { Env } from '../env.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'
import { addressKey } from './keys.ts'
import { overLimit, refundHit } from './rate-limit.ts'
import { toStaffUser } from './staff.ts'

/**
 * Login attempts per (login, client IP) per sliding window, and per client IP over all logins
 * (LOGIN_RATE_LIMIT_ADDRESS: a flood of made-up logins from one address would otherwise each cost a
 * scrypt and slow real sign-ins). Counted before the password is checked, so that a burst of parallel
 * guesses cannot all slip under the limits; a successful login clears its own count and takes its hit
 * back from the address's, so an office behind one address is held to its failures only.
 */
const LOGIN_WINDOW_SECONDS = 15 * 60
const LOGIN_MAX_ATTEMPTS = 10
/** Ended sessions stay listed this long after expiry (who was signed in where), then go at the next login. */
const KEEP_ENDED_SESSIONS_MS = 30 * 86_400_000
/** Authenticating writes `last_used_at` at most this often per session or token. */
const TOUCH_EVERY_MS = 60_000

export interface LoginResult extends LoginResponse {
  sessionId: string
}

export async function login(deps: Deps, input: LoginRequest, meta: { ip: string; userAgent: string | null }): Promise<LoginResult> {
  const loginName = input.login.toLowerCase()
  // The address is a keyed hash: like the anonymous limits, the table keeps no one's IP.
  const address = addressKey(deps.env, meta.ip)
  const bucket = `login:${loginName}|${address}`
  const addressBucket = `login-address:${address}`
  const wait =
    (await overLimit(deps, addressBucket, deps.env.LOGIN_RATE_LIMIT_ADDRESS, LOGIN_WINDOW_SECONDS)) ??
    (await overLimit(deps, bucket, LOGIN_MAX_ATTEMPTS, LOGIN_WINDOW_SECONDS))
  if (wait !== null) throw new ProblemError('rate_limited', { headers: { 'Retry-After': String(wait) } })

  const user = await q.findStaffUserByLogin(deps.db.db, loginName)
  // Always run scrypt, also for unknown logins, so the answer time does not tell which logins exist.
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash()))
  if (!user || !ok || user.disabled) throw new ProblemError('invalid_credentials')

  await q.clearAttempts(deps.db.db, bucket)
  await refundHit(deps, addressBucket, LOGIN_WINDOW_SECONDS)
  await q.deleteSessionsExpiredBefore(deps.db.db, new Date(deps.now().getTime() - KEEP_ENDED_SESSIONS_MS).toISOString())
  return signedIn(deps, user, meta.userAgent, 'cookie')
}

/** A new session for a user who just proved who they are, as the login answer. */
async function signedIn(deps: Deps, user: q.StaffUserRow, userAgent: string | null, kind: 'cookie' | 'bearer'): Promise<LoginResult> {
  const session = await createSession(deps, user.id, userAgent, kind)
  const communityIds = (await q.communitiesByUser(deps.db.db, [user.id])).get(user.id) ?? []
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    sessionId: session.id,
    user: { id: user.id, role: user.role, name: user.name, communityIds },
  }
}

/** Enrolment attempts per client IP per window: codes are 192 random bits, this only keeps scanners out of the logs. */
const ENROL_MAX_ATTEMPTS = 30

/**
 * An admin makes a one-time enrolment code for a worker (PRODUCT.md C3: sign in with a QR code the console
 * shows). It replaces the worker's earlier unused codes, lives ENROLMENT_TTL_HOURS, and is returned once.
 * Only workers enrol this way: the other roles use the console, where a password is at hand.
 */
export async function createEnrolmentCode(deps: Deps, actor: StaffPrincipal, userId: string, origin: string): Promise<EnrolmentCode> {
  const user = await q.findStaffUser(deps.db.db, userId)
  if (!user) throw new ProblemError('not_found')
  if (user.role !== 'worker' || user.disabled) {
    throw new ProblemError('conflict', { details: [{ path: 'id', message: 'only an enabled worker can be enrolled by QR code' }] })
  }
  const now = deps.now()
  const code = randomBytes(24).toString('base64url')
  const expiresAt = new Date(now.getTime() + ENROLMENT_TTL_HOURS * 3_600_000).toISOString()
  await q.deleteUnusedEnrolmentCodes(deps.db.db, userId)
  await q.deleteEnrolmentCodesExpiredBefore(deps.db.db, new Date(now.getTime() - KEEP_ENDED_SESSIONS_MS).toISOString())
  await q.insertEnrolmentCode(deps.db.db, {
    id: hashToken(code),
    user_id: userId,
    created_by: actor.userId,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    used_at: null,
  })
  return { code, url: `${origin}/w/enrol#${code}`, expiresAt }
}

/**
 * `POST /api/v1/auth/enrol`: trades a live enrolment code for a bearer session (no cookie: the worker
 * app sends each worker's token itself). Unknown, used and expired codes all answer `enrolment_invalid`.
 */
export async function enrol(deps: Deps, code: string, meta: { ip: string; userAgent: string | null }): Promise<LoginResult> {
  const bucket = `enrol:${addressKey(deps.env, meta.ip)}`
  const wait = await overLimit(deps, bucket, ENROL_MAX_ATTEMPTS, LOGIN_WINDOW_SECONDS)
  if (wait !== null) throw new ProblemError('rate_limited', { headers: { 'Retry-After': String(wait) } })
  const userId = await q.useEnrolmentCode(deps.db.db, hashToken(code), deps.now().toISOString())
  const user = userId ? await q.findStaffUser(deps.db.db, userId) : undefined
  if (!user || user.disabled || user.role !== 'worker') throw new ProblemError('enrolment_invalid')
  return signedIn(deps, user, meta.userAgent, 'bearer')
}

/** A new session for `userId`, valid SESSION_TTL_DAYS from now. The token is returned once and never stored. */
export async function createSession(
  deps: Deps,
  userId: string,
  userAgent: string | null = null,
  kind: 'cookie' | 'bearer' = 'cookie',
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = newToken('session')
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + deps.env.SESSION_TTL_DAYS * 86_400_000).toISOString()
  const id = hashToken(token)
  await q.insertSession(deps.db.db, {
    id,
    user_id: userId,
    // Login sets the cookie and also returns the token; the first bearer use flips this to 'bearer'.
    kind,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    revoked_at: null,
    last_used_at: null,
    user_agent: userAgent?.slice(0, 200) ?? null,
  })
  return { token, id, expiresAt }
}

/**
 * Who does this secret belong to? A principal, or the problem code to answer with: revoked sessions,
 * disabled users and unknown or revoked tokens are `unauthenticated`; a session past its time is
 * `session_expired` (so the worker app knows to ask for the password again, keeping its queue).
 */
export async function resolveToken(deps: Deps, token: string, via: 'cookie' | 'bearer'): Promise<Principal | ProblemCode> {
  const kind = tokenKind(token)
  const now = deps.now()
  if (kind === 'api') {
    // API tokens are for scripts; one arriving in a cookie was not put there by this server.
    if (via !== 'bearer') return 'unauthenticated'
    const row = await q.findApiTokenByHash(deps.db.db, hashToken(token))
    if (!row || row.revoked_at !== null) return 'unauthenticated'
    if (isStale(row.last_used_at, now)) await q.touchApiToken(deps.db.db, row.id, now.toISOString())
    return { kind: 'token', tokenId: row.id, readOnly: true }
  }
  if (kind !== 'session') return 'unauthenticated'

  const found = await q.findSessionWithUser(deps.db.db, hashToken(token))
  if (!found) return 'unauthenticated'
  const { session, user, communityIds } = found
  if (session.revoked_at !== null || user.disabled) return 'unauthenticated'
  if (session.expires_at <= now.toISOString()) return 'session_expired'
  if (isStale(session.last_used_at, now) || session.kind !== via) await q.touchSession(deps.db.db, session.id, now.toISOString(), via)
  return { kind: 'staff', userId: user.id, role: user.role, communityIds, sessionId: session.id, via }
}

function isStale(lastUsedAt: string | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - Date.parse(lastUsedAt) >= TOUCH_EVERY_MS
}

export async function logout(deps: Deps, principal: Principal): Promise<void> {
  if (principal.kind === 'staff') await q.revokeSession(deps.db.db, principal.sessionId, deps.now().toISOString())
}

export async function me(deps: Deps, principal: StaffPrincipal): Promise<MeResponse> {
  const [user, session] = await Promise.all([q.findStaffUser(deps.db.db, principal.userId), q.findSession(deps.db.db, principal.sessionId)])
  if (!user || !session) throw new ProblemError('unauthenticated')
  return {
    user: toStaffUser(user, principal.communityIds),
    session: { id: session.id, via: principal.via, expiresAt: session.expires_at },
  }
}

/**
 * Revokes one session. Admins may revoke anyone's (a worker's lost phone); other staff only their own
 * (signing out an old device). Someone else's session id is answered like an unknown one.
 */
export async function revokeSession(deps: Deps, actor: StaffPrincipal, sessionId: string): Promise<void> {
  const session = await q.findSession(deps.db.db, sessionId)
  if (!session || (actor.role !== 'admin' && session.user_id !== actor.userId)) throw new ProblemError('not_found')
  await q.revokeSession(deps.db.db, sessionId, deps.now().toISOString())
}

export const ADMIN_LOGIN = 'admin'

/**
 * First start: when no staff user exists, creates the admin (login `admin`) with ADMIN_PASSWORD, or with a
 * random password printed once through `log`. Later starts do nothing, so the password is never shown
 * again (and a changed ADMIN_PASSWORD does not overwrite the admin's password). Safe when several
 * instances start together on one PostgreSQL: the unique login lets exactly one of them create it.
 */
export async function ensureAdmin(
  { db }: Db,
  env: Pick<Env, 'ADMIN_PASSWORD'>,
  log: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<{ created: boolean }> {
  if ((await q.countStaffUsers(db)) > 0) return { created: false }
  const password = env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url')
  const at = now().toISOString()
  const role: Role = 'admin'
  const created = await q.insertStaffUser(
    db,
    {
      id: randomUUID(),
      name: '管理员',
      login: ADMIN_LOGIN,
      phone: null,
      role,
      password_hash: await hashPassword(password),
      disabled: 0,
      created_at: at,
      updated_at: at,
    },
    [],
  )
  if (!created) return { created: false }
  if (env.ADMIN_PASSWORD) {
    log(`Created the admin account (login "${ADMIN_LOGIN}") with the password from ADMIN_PASSWORD.`)
  } else {
    log(
      `Created the admin account. Login: ${ADMIN_LOGIN}  Password: ${password}\n` +
        'This password is shown this once and never again: note it now (or set ADMIN_PASSWORD before the first start).',
    )
  }
  return { created: true }
}
