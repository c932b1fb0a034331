import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Env } from '../env.ts'
import { isHttps } from './request.ts'

export const SESSION_COOKIE = 'minyi_session'

type CookieEnv = Pick<Env, 'PUBLIC_URL' | 'TRUST_PROXY'>

/**
 * HttpOnly (page scripts never see it), SameSite=Lax (not sent on cross-site POSTs; the Origin check
 * covers the rest), Secure whenever the server is reached over https, scoped to the API, and kept
 * exactly as long as the session is valid.
 */
export function setSessionCookie(c: Context, env: CookieEnv, token: string, expiresAt: string, now: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, env),
    path: '/api',
    expires: new Date(expiresAt),
    maxAge: Math.max(0, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000)),
  })
}

export function clearSessionCookie(c: Context, env: CookieEnv): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/api', httpOnly: true, sameSite: 'Lax', secure: isHttps(c, env) })
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined
}
