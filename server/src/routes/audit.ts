import { AuditQuery } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole } from '../auth/index.ts'
import { download } from '../http/download.ts'
import { readQuery } from '../http/params.ts'
import { audit, exportAudit, listAudit, verifyAudit } from '../services/audit.ts'
import type { Deps } from '../services/deps.ts'

/** `/api/v1/audit`: the audit log of staff actions, admins only (read, filter, export, check the chain). */
export function auditRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .use(requireRole('admin'))
    .get('/', async (c) => c.json(await listAudit(deps, readQuery(c, AuditQuery)), 200))
    .get('/verify', async (c) => c.json(await verifyAudit(deps), 200))
    .get('/export.csv', async (c) => {
      const query = readQuery(c, AuditQuery)
      // Taking the log away is itself an action worth a line (with the filters it was taken with).
      const filters = Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== '' && k !== 'before' && k !== 'limit'))
      await audit(deps, currentStaff(c), 'audit.export', { type: 'audit_log' }, null, filters)
      return download(exportAudit(deps, query))
    })
}
