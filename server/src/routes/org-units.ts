import { OrgUnitInput, OrgUnitPatch } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole, STAFF } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { audit } from '../services/audit.ts'
import type { Deps } from '../services/deps.ts'
import { createUnit, listUnits, patchUnit } from '../services/org-units.ts'

/** `/api/v1/org-units`: district → street → community, with populations. */
export function orgUnitRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .get('/', requireRole(...STAFF, 'readonly'), async (c) => c.json(await listUnits(deps), 200))
    .post('/', requireRole('admin', 'evaluator'), async (c) => {
      const unit = await createUnit(deps, await readJson(c, OrgUnitInput, 'settings'))
      await audit(deps, currentStaff(c), 'org_unit.create', { type: 'org_unit', id: unit.id }, null, unit)
      return c.json(unit, 201)
    })
    .patch('/:id', requireRole('admin', 'evaluator'), async (c) => {
      const id = param(c, 'id')
      const patch = await readJson(c, OrgUnitPatch, 'settings')
      const before = (await listUnits(deps)).find((u) => u.id === id) ?? null
      const after = await patchUnit(deps, id, patch)
      await audit(deps, currentStaff(c), 'org_unit.update', { type: 'org_unit', id }, before, after)
      return c.json(after, 200)
    })
}
