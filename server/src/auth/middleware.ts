import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ProblemError } from '../http/problem.ts'
import { resolveToken } from '../services/auth.ts'
import type { Deps } from '../services/deps.ts'
import { clearSessionCookie, readSessionCookie } from './cookie.ts'
import type { Access, AuthEnv, StaffPrincipal } from './principal.ts'
import { requestOrigin, serverOrigin } from './request.ts'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Where a client trades credentials: a stale token sent along must not stop it signing in or out. */
const CREDENTIAL_EXCHANGE = /\/auth\/(?:login|logout|enrol)$/

/**
 * Sets `c.var.principal` for every request and refuses what must never reach a handler:
 * - `Authorization: Bearer …` that is unknown, revoked or expired → 401 (`session_expired` when expired).
 *   A program that presents a credential wants to act as someone; silently going on as anonymous would
 *   turn a worker's door-to-door batch into a resident's (or reject it item by item).
 * - the session cookie, when stale, is dropped and the request goes on as anonymous (a phone that once
 *   held a staff login must still open resident pages); `requireRole` then answers with the precise code.
 * - a cookie-authenticated write whose Origin (or Referer) is not this server → 403 `bad_origin`:
 *   cookies ride along on cross-site requests, bearer tokens do not, so only cookie writes need it.
 */
export function authenticate(deps: Deps): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization')
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
      const resolved = match ? await resolveToken(deps, match[1]!, 'bearer') : 'unauthenticated'
      if (typeof resolved === 'string') {
        if (!CREDENTIAL_EXCHANGE.test(c.req.path)) throw new ProblemError(resolved)
        c.set('principal', { kind: 'anonymous' })
      } else {
        c.set('principal', resolved)
      }
      return next()
    }

    const cookie = readSessionCookie(c)
    if (cookie === undefined) {
      c.set('principal', { kind: 'anonymous' })
      return next()
    }
    const resolved = await resolveToken(deps, cookie, 'cookie')
    if (typeof resolved === 'string') {
      clearSessionCookie(c, deps.env)
      c.set('principal', { kind: 'anonymous', problem: resolved === 'session_expired' ? resolved : 'unauthenticated' })
      return next()
    }
    if (WRITE_METHODS.has(c.req.method) && requestOrigin(c) !== serverOrigin(c, deps.env)) {
      throw new ProblemError('bad_origin')
    }
    c.set('principal', resolved)
    return next()
  })
}

/**
 * Lets the request through only for the listed roles; `readonly` admits read-only API tokens, and only
 * for GET/HEAD whatever the list says. Anonymous → 401 (`unauthenticated`, or `session_expired` when a
 * stale cookie came along); signed in but not allowed → 403 `forbidden`.
 */
export function requireRole(...allowed: Access[]): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const p = c.get('principal')
    if (p.kind === 'anonymous') throw new ProblemError(p.problem ?? 'unauthenticated')
    const ok =
      p.kind === 'staff' ? allowed.includes(p.role) : allowed.includes('readonly') && (c.req.method === 'GET' || c.req.method === 'HEAD')
    if (!ok) throw new ProblemError('forbidden')
    await next()
  })
}

/** Any signed-in staff member. */
export const STAFF: Access[] = ['admin', 'evaluator', 'worker']

/** The signed-in staff member, in a handler behind `requireRole(<staff roles>)`; anything else is a 401. */
export function currentStaff(c: Context<AuthEnv>): StaffPrincipal {
  const p = c.get('principal')
  if (p.kind !== 'staff') throw new ProblemError('unauthenticated')
  return p
}
