import { LinkToken } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import type { AuthEnv } from '../auth/index.ts'
import { param } from '../http/params.ts'
import { anonymousRateLimit } from '../http/rate-limit.ts'
import type { Deps } from '../services/deps.ts'
import { resolveLink } from '../services/links.ts'
import { publicRemarks } from '../services/symposiums/index.ts'

/**
 * `/api/v1/links/:token`: what a resident's phone needs after scanning a QR code, anonymously. The
 * token is the capability; the campaign detail route itself stays staff-only, so an id seen in a
 * payload does not reveal quotas, config or other communities.
 */
export function linkRoutes(deps: Deps) {
  return (
    new Hono<AuthEnv>()
      .get('/:token', anonymousRateLimit(deps, 'links'), async (c) => {
        c.header('Cache-Control', 'no-cache')
        return c.json(await resolveLink(deps, param(c, 'token', LinkToken)), 200)
      })
      // The community's public page of what became of the remarks (C4): what staff marked public, never who said it.
      .get('/:token/remarks', anonymousRateLimit(deps, 'links'), async (c) => {
        c.header('Cache-Control', 'no-cache')
        return c.json(await publicRemarks(deps, param(c, 'token', LinkToken)), 200)
      })
  )
}
