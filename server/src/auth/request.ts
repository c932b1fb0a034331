import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { Env } from '../env.ts'

// Facts about the request that depend on whether a reverse proxy sits in front (TRUST_PROXY).

/**
 * The client's IP. Behind a trusted proxy, the last X-Forwarded-For entry: the one our proxy appended
 * (entries before it come from the client and can be forged). In-process test requests have no socket.
 */
export function clientIp(c: Context, env: Pick<Env, 'TRUST_PROXY'>): string {
  if (env.TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** The origin this server is reached at: PUBLIC_URL when set, else the request's own scheme and Host. */
export function serverOrigin(c: Context, env: Pick<Env, 'PUBLIC_URL' | 'TRUST_PROXY'>): string {
  if (env.PUBLIC_URL) return new URL(env.PUBLIC_URL).origin
  const url = new URL(c.req.url)
  const proto = (env.TRUST_PROXY && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim()) || url.protocol.replace(':', '')
  const host = (env.TRUST_PROXY && c.req.header('x-forwarded-host')?.split(',')[0]?.trim()) || c.req.header('host') || url.host
  return `${proto}://${host}`.toLowerCase()
}

export function isHttps(c: Context, env: Pick<Env, 'PUBLIC_URL' | 'TRUST_PROXY'>): boolean {
  return serverOrigin(c, env).startsWith('https:')
}

/** The Origin header, or the origin of the Referer when a browser left Origin out; null when neither is usable. */
export function requestOrigin(c: Context): string | null {
  const origin = c.req.header('origin')
  if (origin && origin !== 'null') return origin.toLowerCase()
  const referer = c.req.header('referer')
  if (!referer) return null
  try {
    return new URL(referer).origin.toLowerCase()
  } catch {
    return null
  }
}
