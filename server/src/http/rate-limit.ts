import { createMiddleware } from 'hono/factory'
import { type AuthEnv, clientIp } from '../auth/index.ts'
import type { Deps } from '../services/deps.ts'
import { addressKey } from '../services/keys.ts'
import { overLimit } from '../services/rate-limit.ts'
import { ProblemError } from './problem.ts'

/**
 * Limits anonymous calls per client IP (a keyed hash, `services/keys.ts`: the table never holds a resident's address) with the
 * counters in the database, so several instances share them. Staff and token calls are not limited
 * here: they are authenticated and attributable.
 */
export function anonymousRateLimit(deps: Deps, name: string) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (c.get('principal').kind === 'anonymous') {
      const address = addressKey(deps.env, clientIp(c, deps.env))
      const wait = await overLimit(deps, `anon:${name}:${address}`, deps.env.RATE_LIMIT_ANON, deps.env.RATE_LIMIT_WINDOW_SECONDS)
      if (wait !== null) throw new ProblemError('rate_limited', { headers: { 'Retry-After': String(wait) } })
    }
    await next()
  })
}
