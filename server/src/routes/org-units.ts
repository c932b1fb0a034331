import { OrgUnitInput, OrgUnitPatch } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, requireRole, STAFF } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import type { Deps } from '../services/deps.ts'
import { createUnit, listUnits, patchUnit } from '../services/org-units.ts'

/** `/api/v1/org-units`: district → street → community, with populations. */
export function orgUnitRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .get('/', requireRole(...STAFF, 'readonly'), async (c) => c.json(await listUnits(deps), 200))
    .post('/', requireRole('admin', 'evaluator'), async (c) =>
      c.json(await createUnit(deps, await readJson(c, OrgUnitInput, 'settings')), 201),
    )
    .patch('/:id', requireRole('admin', 'evaluator'), async (c) =>
      c.json(await patchUnit(deps, param(c, 'id'), await readJson(c, OrgUnitPatch, 'settings')), 200),
    )
}
