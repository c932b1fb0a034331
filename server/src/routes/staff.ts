import { PasswordReset, StaffUserInput, StaffUserUpdate } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole, serverOrigin } from '../auth/index.ts'
import { readJson } from '../http/body.ts'
import { param } from '../http/params.ts'
import { audit } from '../services/audit.ts'
import { createEnrolmentCode } from '../services/auth.ts'
import type { Deps } from '../services/deps.ts'
import * as staff from '../services/staff.ts'

/** `/api/v1/staff`: staff accounts, admins only. */
export function staffRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .use(requireRole('admin'))
    .get('/', async (c) => c.json(await staff.listStaff(deps), 200))
    .post('/', async (c) => {
      const created = await staff.createStaff(deps, await readJson(c, StaffUserInput, 'settings'))
      await audit(deps, currentStaff(c), 'staff.create', { type: 'staff', id: created.id }, null, created)
      return c.json(created, 201)
    })
    .get('/:id', async (c) => c.json(await staff.getStaff(deps, param(c, 'id')), 200))
    .patch('/:id', async (c) => {
      const id = param(c, 'id')
      const patch = await readJson(c, StaffUserUpdate, 'settings')
      const before = await staff.getStaff(deps, id)
      const after = await staff.updateStaff(deps, currentStaff(c), id, patch)
      await audit(deps, currentStaff(c), 'staff.update', { type: 'staff', id }, before, after)
      return c.json(after, 200)
    })
    .post('/:id/password', async (c) => {
      const id = param(c, 'id')
      const { password } = await readJson(c, PasswordReset, 'settings')
      await staff.resetPassword(deps, currentStaff(c), id, password)
      // Neither password nor hash: only that it was reset (which also ended the user's sessions).
      await audit(deps, currentStaff(c), 'staff.password', { type: 'staff', id }, null, { reset: true })
      return c.body(null, 204)
    })
    .get('/:id/sessions', async (c) => c.json(await staff.listSessions(deps, param(c, 'id')), 200))
    .post('/:id/enrolment', async (c) => {
      const id = param(c, 'id')
      c.header('Cache-Control', 'no-store')
      const enrolment = await createEnrolmentCode(deps, currentStaff(c), id, serverOrigin(c, deps.env))
      // The code (also inside the URL) is a credential: only its expiry is recorded.
      await audit(deps, currentStaff(c), 'staff.enrolment', { type: 'staff', id }, null, { expiresAt: enrolment.expiresAt })
      return c.json(enrolment, 201)
    })
    .post('/:id/sessions/revoke', async (c) => {
      const id = param(c, 'id')
      const revoked = await staff.revokeAllSessions(deps, currentStaff(c), id)
      await audit(deps, currentStaff(c), 'staff.sessions_revoke', { type: 'staff', id }, null, revoked)
      return c.json(revoked, 200)
    })
}
