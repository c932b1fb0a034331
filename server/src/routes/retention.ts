import { RetentionDeleteInput } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import type { Deps } from '../services/deps.ts'
import { deleteNow, retentionPlan } from '../services/retention/index.ts'

/**
 * `/api/v1/campaigns/:id/retention` (admins): the dry run of the retention deletion (counts per table),
 * and "delete now" for a closed campaign with its title typed again (audited as `retention.delete`).
 */
export function retentionRoutes(deps: Deps) {
  const ADMIN = requireRole('admin')
  return new Hono<AuthEnv>()
    .get('/:id/retention', ADMIN, async (c) => c.json(await retentionPlan(deps, param(c, 'id')), 200))
    .post('/:id/retention/delete', ADMIN, async (c) => {
      const { confirm } = await readJson(c, RetentionDeleteInput, 'settings')
      return c.json(await deleteNow(deps, param(c, 'id'), confirm, currentStaff(c)), 200)
    })
}
