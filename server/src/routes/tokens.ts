import { ApiTokenInput } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { createApiToken, listApiTokens, revokeApiToken } from '../services/api-tokens.ts'
import type { Deps } from '../services/deps.ts'

/** `/api/v1/tokens`: read-only API tokens, admins only. The secret is in the create answer and nowhere else. */
export function tokenRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .use(requireRole('admin'))
    .get('/', async (c) => c.json(await listApiTokens(deps), 200))
    .post('/', async (c) => {
      const { name } = await readJson(c, ApiTokenInput, 'settings')
      c.header('Cache-Control', 'no-store')
      return c.json(await createApiToken(deps, currentStaff(c), name), 201)
    })
    .post('/:id/revoke', async (c) => {
      return c.json(await revokeApiToken(deps, param(c, 'id')), 200)
    })
}
