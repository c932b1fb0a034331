import { EnrolRequest, LoginRequest, SessionId } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { clearSessionCookie, setSessionCookie } from '../auth/cookie.ts'
import { type AuthEnv, clientIp, currentStaff, requireRole, STAFF } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { audit } from '../services/audit.ts'
import { enrol, login, logout, me, revokeSession } from '../services/auth.ts'
import type { Deps } from '../services/deps.ts'

/** `/api/v1/auth`: sign in (password or enrolment code) and out, who am I, revoke a session. */
export function authRoutes(deps: Deps) {
  return (
    new Hono<AuthEnv>()
      .post('/login', async (c) => {
        const input = await readJson(c, LoginRequest, 'login')
        const { sessionId, ...result } = await login(deps, input, {
          ip: clientIp(c, deps.env),
          userAgent: c.req.header('user-agent') ?? null,
        })
        await audit(deps, { userId: result.user.id, role: result.user.role }, 'auth.login', { type: 'session', id: sessionId }, null, {
          userAgent: c.req.header('user-agent') ?? null,
        })
        setSessionCookie(c, deps.env, result.token, result.expiresAt, deps.now())
        c.header('Cache-Control', 'no-store')
        return c.json(result, 200)
      })
      // The worker app's QR sign-in: a one-time code for a bearer session, and no cookie (each worker on a
      // shared phone has their own token; a cookie would belong to whoever signed in last).
      .post('/enrol', async (c) => {
        const { code } = await readJson(c, EnrolRequest, 'login')
        const { sessionId, ...result } = await enrol(deps, code, {
          ip: clientIp(c, deps.env),
          userAgent: c.req.header('user-agent') ?? null,
        })
        await audit(deps, { userId: result.user.id, role: result.user.role }, 'auth.enrol', { type: 'session', id: sessionId }, null, {
          userAgent: c.req.header('user-agent') ?? null,
        })
        c.header('Cache-Control', 'no-store')
        return c.json(result, 200)
      })
      .post('/logout', async (c) => {
        const principal = c.get('principal')
        await logout(deps, principal)
        if (principal.kind === 'staff')
          await audit(deps, principal, 'auth.logout', { type: 'session', id: principal.sessionId }, null, null)
        clearSessionCookie(c, deps.env)
        return c.body(null, 204)
      })
      .get('/me', requireRole(...STAFF), async (c) => c.json(await me(deps, currentStaff(c)), 200))
      .post('/sessions/:id/revoke', requireRole(...STAFF), async (c) => {
        const id = param(c, 'id', SessionId)
        await revokeSession(deps, currentStaff(c), id)
        await audit(deps, currentStaff(c), 'session.revoke', { type: 'session', id }, null, null)
        return c.body(null, 204)
      })
  )
}
