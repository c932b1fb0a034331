// The page `pnpm bench:outbox` opens in Chromium: the app's own outbox modules (client/src/db, client/src/sync,
// client/src/worker/save.ts), built by Vite like the app, exposed to the benchmark as `window.bench`.
import { openDb } from '../../../client/src/db/index.ts'
import { SyncEngine } from '../../../client/src/sync/engine.ts'
import { saveWorkerItems } from '../../../client/src/sync/outbox.ts'
import { fetchTransport } from '../../../client/src/sync/transport.ts'
import { visitSave } from '../../../client/src/worker/save.ts'

interface Setup {
  worker: { id: string; token: string; expiresAt: string }
  campaignId: string
  communityId: string
  version: number
  answers: Record<string, unknown>
}

const RAW_DB = 'bench-raw'

/**
 * n door interviews saved one at a time through the worker app's save path (a questionnaire, its visit,
 * the register line), and n single-record readwrite transactions with durability 'strict' and nothing
 * else (the browser's own limit), in alternating blocks of ten, so that both see the same machine: the
 * machine this runs on is shared, and run one after the other, whichever went second met another load.
 */
async function saves(s: Setup, n: number, record: unknown): Promise<{ app: number; raw: number }> {
  const db = openDb()
  await db.open()
  const raw = await openRaw()
  let app = 0
  let rawMs = 0
  for (let block = 0; block < n; block += BLOCK) {
    let start = performance.now()
    for (let i = block; i < Math.min(n, block + BLOCK); i++) {
      const h = { campaignId: s.campaignId, communityId: s.communityId, door: `${i}号`, householdKey: i.toString(16).padStart(64, '0') }
      const interview = {
        questionnaireVersion: s.version,
        channel: 'door' as const,
        answers: s.answers as never,
        startedAt: new Date(Date.now() - 120_000).toISOString(),
      }
      await saveWorkerItems(db, s.worker.id, visitSave(s.worker.id, h, 'completed', new Date(), interview))
    }
    app += performance.now() - start
    start = performance.now()
    for (let i = block; i < Math.min(n, block + BLOCK); i++) await rawSave(raw, i, record)
    rawMs += performance.now() - start
  }
  await db.outbox.clear()
  await db.visits.clear()
  db.close()
  raw.close()
  return { app, raw: rawMs }
}

const BLOCK = 10

function openRaw(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(RAW_DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore('rows', { keyPath: 'id' })
    req.onerror = () => reject(req.error)
    req.onsuccess = () => resolve(req.result)
  })
}

/** One record in its own readwrite transaction with durability 'strict'. */
function rawSave(db: IDBDatabase, id: number, record: unknown): Promise<void> {
  return new Promise<void>((done, fail) => {
    const tx = db.transaction('rows', 'readwrite', { durability: 'strict' })
    tx.objectStore('rows').put({ id, record })
    tx.oncomplete = () => done()
    tx.onerror = () => fail(tx.error)
  })
}

/** n door questionnaires queued for the worker at once, then one flush to the real server, timed. */
async function flush(s: Setup, n: number): Promise<{ ms: number; remaining: number; acknowledged: number }> {
  const db = openDb()
  await db.open()
  await db.workers.put({
    ...s.worker,
    name: 'bench',
    login: 'bench',
    communityIds: [s.communityId],
    signedInAt: Date.now(),
    signInNeeded: null,
    lastSyncAt: null,
  })
  const now = Date.now()
  const rows = []
  for (let i = 0; i < n; i++) {
    const h = { campaignId: s.campaignId, communityId: s.communityId, door: '', householdKey: null }
    const save = visitSave(
      s.worker.id,
      { ...h, householdKey: (i + 1_000_000).toString(16).padStart(64, '0') },
      'completed',
      new Date(now - n + i),
      {
        questionnaireVersion: s.version,
        channel: 'door',
        answers: s.answers as never,
        startedAt: new Date(now - 600_000).toISOString(),
      },
    )
    const item = save.response as { id: string }
    rows.push({ id: item.id, queuedAt: now + i, owner: s.worker.id, item })
  }
  await db.outbox.bulkPut(rows as never)
  const engine = new SyncEngine({ db, transport: fetchTransport(), appVersion: 'bench', setTimer: () => null, clearTimer: () => undefined })
  const start = performance.now()
  const out = await engine.flush()
  const ms = performance.now() - start
  db.close()
  return { ms, remaining: out.remaining, acknowledged: out.acknowledged.length }
}

;(window as unknown as { bench: unknown }).bench = { saves, flush }
