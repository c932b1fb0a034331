import { ApiTokenInput } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { createApiToken, listApiTokens, revokeApiToken } from '../services/api-tokens.ts'
import { audit } from '../services/audit.ts'
import type { Deps } from '../services/deps.ts'

/** `/api/v1/tokens`: read-only API tokens, admins only. The secret is in the create answer and nowhere else. */
export function tokenRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .use(requireRole('admin'))
    .get('/', async (c) => c.json(await listApiTokens(deps), 200))
    .post('/', async (c) => {
      const { name } = await readJson(c, ApiTokenInput, 'settings')
      c.header('Cache-Control', 'no-store')
      const created = await createApiToken(deps, currentStaff(c), name)
      await audit(deps, currentStaff(c), 'token.create', { type: 'api_token', id: created.id }, null, created)
      return c.json(created, 201)
    })
    .post('/:id/revoke', async (c) => {
      const id = param(c, 'id')
      const before = (await listApiTokens(deps)).find((t) => t.id === id) ?? null
      const after = await revokeApiToken(deps, id)
      await audit(deps, currentStaff(c), 'token.revoke', { type: 'api_token', id }, before, after)
      return c.json(after, 200)
    })
}
