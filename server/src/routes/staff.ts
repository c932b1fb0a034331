import { PasswordReset, StaffUserInput, StaffUserUpdate } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole, serverOrigin } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { createEnrolmentCode } from '../services/auth.ts'
import type { Deps } from '../services/deps.ts'
import * as staff from '../services/staff.ts'

/** `/api/v1/staff`: staff accounts, admins only. */
export function staffRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .use(requireRole('admin'))
    .get('/', async (c) => c.json(await staff.listStaff(deps), 200))
    .post('/', async (c) => c.json(await staff.createStaff(deps, await readJson(c, StaffUserInput, 'settings')), 201))
    .get('/:id', async (c) => c.json(await staff.getStaff(deps, param(c, 'id')), 200))
    .patch('/:id', async (c) => {
      const id = param(c, 'id')
      return c.json(await staff.updateStaff(deps, currentStaff(c), id, await readJson(c, StaffUserUpdate, 'settings')), 200)
    })
    .post('/:id/password', async (c) => {
      const id = param(c, 'id')
      const { password } = await readJson(c, PasswordReset, 'settings')
      await staff.resetPassword(deps, currentStaff(c), id, password)
      return c.body(null, 204)
    })
    .get('/:id/sessions', async (c) => c.json(await staff.listSessions(deps, param(c, 'id')), 200))
    .post('/:id/enrolment', async (c) => {
      const id = param(c, 'id')
      c.header('Cache-Control', 'no-store')
      return c.json(await createEnrolmentCode(deps, currentStaff(c), id, serverOrigin(c, deps.env)), 201)
    })
    .post('/:id/sessions/revoke', async (c) => c.json(await staff.revokeAllSessions(deps, currentStaff(c), param(c, 'id')), 200))
}
