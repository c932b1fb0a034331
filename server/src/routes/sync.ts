import { OutboxExport, SYNC_MAX_ITEMS, type SyncItemResult, SyncRequest } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, currentStaff, requireRole, STAFF } from '../auth/index.ts'
import { readJsonValue } from '../http/body.ts'
import { ProblemError, validationFailed } from '../http/problem.ts'
import { anonymousRateLimit } from '../http/rate-limit.ts'
import type { Deps } from '../services/deps.ts'
import { ingest } from '../services/sync/index.ts'

/** `/api/v1/sync`: the devices' outbox flush (anonymous for QR answers, staff for door/paper), and the file import. */
export function syncRoutes(deps: Deps) {
  return new Hono<AuthEnv>()
    .post('/', anonymousRateLimit(deps, 'sync'), async (c) => {
      const principal = c.get('principal')
      // Read-only API tokens pull statistics; they never write.
      if (principal.kind === 'token') throw new ProblemError('forbidden')
      const raw = await readJsonValue(c, 'sync')
      const items = raw !== null && typeof raw === 'object' ? (raw as { items?: unknown }).items : undefined
      if (Array.isArray(items) && items.length > SYNC_MAX_ITEMS) throw new ProblemError('payload_too_large')
      const envelope = SyncRequest.safeParse(raw)
      if (!envelope.success) throw validationFailed(envelope.error.issues)
      return c.json(await ingest(deps, principal, envelope.data), 200)
    })
    .post('/import', requireRole(...STAFF), async (c) => {
      const principal = currentStaff(c)
      const raw = await readJsonValue(c, 'import')
      const file = OutboxExport.safeParse(raw)
      if (!file.success) throw validationFailed(file.error.issues)
      const results: SyncItemResult[] = []
      let serverTime = deps.now().toISOString()
      // Same rules as sync, one transaction per 100 items: a huge file never holds one long lock.
      for (let i = 0; i < file.data.items.length; i += SYNC_MAX_ITEMS) {
        const chunk = file.data.items.slice(i, i + SYNC_MAX_ITEMS)
        const r = await ingest(
          deps,
          principal,
          { deviceId: file.data.deviceId, appVersion: 'import', outboxSize: 0, items: chunk },
          { touchDevice: false, importing: true },
        )
        results.push(...r.results)
        serverTime = r.serverTime
      }
      return c.json({ results, serverTime }, 200)
    })
}
