import { IMPORT_MAX_ITEMS, OutboxExportHeader, SYNC_MAX_ITEMS, SyncRequest } from '@minyi/shared/schemas'
import { Hono } from 'hono'
import { type AuthEnv, clientIp, currentStaff, requireRole, STAFF } from '../auth/index.ts'
import type { Principal } from '../auth/principal.ts'
import { readBody, readJsonValue } from '../http/body.ts'
import { type JsonOutline, outlineJson } from '../http/json-outline.ts'
import { ProblemError, validationFailed } from '../http/problem.ts'
import { anonymousRateLimit } from '../http/rate-limit.ts'
import { audit } from '../services/audit.ts'
import type { Deps } from '../services/deps.ts'
import { addressKey } from '../services/keys.ts'
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
      // The address only as a keyed hash, for `network_burst` (none known: an in-process call without a socket).
      const ip = clientIp(c, deps.env)
      const networkKey = ip === 'unknown' ? undefined : addressKey(deps.env, ip)
      return c.json(await ingest(deps, principal, envelope.data, { touchDevice: true, importing: false, networkKey }), 200)
    })
    .post('/import', requireRole(...STAFF), async (c) => {
      const principal = currentStaff(c)
      // The whole file is checked before any item is stored: bytes and item count within the limits
      // (413 `import_too_large`), valid JSON, a valid header. Items stay as byte ranges until their batch.
      const body = Buffer.concat(await readBody(c, 'import', 'import_too_large'))
      const outline = outlineJson(body, 'items', IMPORT_MAX_ITEMS, () => new ProblemError('import_too_large'))
      const header = OutboxExportHeader.safeParse(outline.members)
      if (!header.success) throw validationFailed(header.error.issues)
      if (!outline.elements) throw validationFailed([{ path: ['items'], message: 'expected an array of items' }])
      // Recorded when the import starts (its answer streams): which device's file, how many items.
      const file = { deviceId: header.data.deviceId, items: outline.elements.length }
      await audit(deps, principal, 'sync.import', { type: 'device', id: header.data.deviceId }, null, file)
      return c.body(importAnswer(deps, principal, header.data.deviceId, outline), 200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      })
    })
}

/**
 * The import's answer, `{ results, serverTime }` like sync's, written as the items are stored: one
 * batch of SYNC_MAX_ITEMS per pull, each parsed, checked and stored in its own transaction (same rules
 * as sync), so neither the file's items nor their results are ever all in memory, and a huge file
 * never holds one long lock. A client that goes away stops the import after the current batch; what
 * was stored stays, and importing the file again answers those items `duplicate`. Should the database
 * fail half-way, the answer is cut off (not valid JSON): the same re-import applies.
 */
function importAnswer(deps: Deps, principal: Principal, deviceId: string, outline: JsonOutline): ReadableStream<Uint8Array> {
  const total = outline.elements?.length ?? 0
  const text = new TextEncoder()
  let next = 0
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(text.encode('{"results":['))
    },
    async pull(controller) {
      if (next >= total) {
        controller.enqueue(text.encode(`],"serverTime":${JSON.stringify(deps.now().toISOString())}}`))
        controller.close()
        return
      }
      const items: unknown[] = []
      for (let i = next; i < Math.min(total, next + SYNC_MAX_ITEMS); i++) items.push(outline.element(i))
      try {
        const { results } = await ingest(
          deps,
          principal,
          { deviceId, appVersion: 'import', outboxSize: 0, items },
          { touchDevice: false, importing: true },
        )
        const json = results.map((r) => JSON.stringify(r)).join(',')
        controller.enqueue(text.encode(next === 0 ? json : `,${json}`))
        next += items.length
      } catch (err) {
        console.error(err)
        controller.error(err)
      }
    },
  })
}
