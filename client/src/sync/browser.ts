import type { ResponseItem, SyncItemResult } from '@minyi/shared/schemas'
import { uuidv4 } from '@minyi/shared/uuid'
import { SYNC_LOCK } from '../constants/storage-keys.ts'
import { type AttentionRow, type DraftRow, type MinyiDb, type OutboxItem, openDb } from '../db/index.ts'
import { type FlushOutcome, SyncEngine } from './engine.ts'
import { SyncError } from './errors.ts'
import { defaultLock } from './lock.ts'
import {
  buildExport,
  countOutbox,
  deleteDraft,
  getDeviceId,
  loadDraft,
  type OutboxCounts,
  type OutboxExport,
  type SaveResult,
  saveDraft,
  saveResponse,
  saveWorkerItems,
  type WorkerSave,
} from './outbox.ts'
import { checkStorage, requestPersistence, type StorageHealth } from './storage.ts'
import { fetchTransport, type Transport } from './transport.ts'
import { installTriggers } from './triggers.ts'

/**
 * The outbox as the page uses it: the Dexie database, the engine, the triggers. Loaded with a
 * dynamic import after first paint (Dexie is ~30 KB gzip that the questionnaire doesn't need to
 * render). No Vue here either; the Pinia store wraps it.
 */
export interface OutboxRuntime {
  /** `none`: no usable IndexedDB (some WeChat WebViews, Firefox private mode before v115). */
  readonly mode: 'indexeddb' | 'none'
  /** The database itself, for the worker app's own tables (workers, visits, cache); null without IndexedDB. */
  readonly db: MinyiDb | null
  save(item: ResponseItem, draftKey?: string): Promise<SaveResult>
  /** A worker's questionnaire and/or visit, stamped with the worker (see saveWorkerItems). */
  saveWorker(owner: string, save: WorkerSave): Promise<SaveResult>
  flush(): Promise<FlushOutcome | null>
  /** Without IndexedDB: send this one response now; the result for it, or null when the network failed. */
  sendDirect(item: ResponseItem): Promise<SyncItemResult | null>
  counts(): Promise<OutboxCounts>
  attention(): Promise<AttentionRow[]>
  loadDraft(key: string): Promise<DraftRow | undefined>
  saveDraft(draft: DraftRow): Promise<void>
  deleteDraft(key: string): Promise<void>
  exportFile(extra?: OutboxItem[]): Promise<OutboxExport>
  health(): Promise<StorageHealth>
  persist(): Promise<boolean | null>
}

async function probe(): Promise<MinyiDb | null> {
  if (typeof indexedDB === 'undefined') return null
  try {
    const db = openDb()
    await db.open()
    return db
  } catch {
    return null
  }
}

export async function startOutbox(opts: {
  appVersion: string
  onFlushed?: (o: FlushOutcome) => void
  transport?: Transport
}): Promise<OutboxRuntime> {
  const transport = opts.transport ?? fetchTransport()
  const db = await probe()
  if (!db) return memoryRuntime(transport, opts.appVersion)

  const engine = new SyncEngine({
    db,
    transport,
    appVersion: opts.appVersion,
    lock: defaultLock(SYNC_LOCK),
    ...(opts.onFlushed ? { onFlushed: opts.onFlushed } : {}),
  })
  installTriggers(engine)
  // App start is a flush trigger: whatever an earlier visit left behind goes now.
  void engine.flush().catch(() => undefined)

  return {
    mode: 'indexeddb',
    db,
    save: (item, key) => saveResponse(db, item, key),
    saveWorker: (owner, save) => saveWorkerItems(db, owner, save),
    flush: () => engine.flush(),
    sendDirect: async () => null,
    counts: () => countOutbox(db),
    // The resident's own box: a worker's rejected items show in the worker app, under that worker.
    attention: () =>
      db.attention
        .orderBy('movedAt')
        .filter((r) => !r.owner)
        .toArray(),
    loadDraft: (key) => loadDraft(db, key),
    saveDraft: (d) => saveDraft(db, d),
    deleteDraft: (key) => deleteDraft(db, key),
    exportFile: async (extra) => buildExport(db, await getDeviceId(db), extra),
    health: () => checkStorage(),
    persist: () => requestPersistence(),
  }
}

/** Without IndexedDB nothing can wait: each response is sent at once, and the UI says so up front. */
function memoryRuntime(transport: Transport, appVersion: string): OutboxRuntime {
  const deviceId = uuidv4()
  return {
    mode: 'none',
    db: null,
    save: async () => {
      throw new Error('no storage')
    },
    saveWorker: async () => {
      throw new SyncError('no_storage')
    },
    flush: async () => null,
    sendDirect: async (item) => {
      const res = await transport({ deviceId, appVersion, outboxSize: 1, items: [item] })
      return res.kind === 'ok' ? (res.response.results.find((r) => r.id === item.id) ?? null) : null
    },
    counts: async () => ({ queued: 0, attention: 0 }),
    attention: async () => [],
    loadDraft: async () => undefined,
    saveDraft: async () => undefined,
    deleteDraft: async () => undefined,
    exportFile: async (extra) => buildExport(null, deviceId, extra),
    health: async () => ({ persisted: null, privateMode: false, nearQuota: false }),
    persist: async () => null,
  }
}
