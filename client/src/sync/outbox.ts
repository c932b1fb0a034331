import {
  Answers as AnswersSchema,
  FollowUpItem as FollowUpItemSchema,
  RemarkItem as RemarkItemSchema,
  ResponseItem as ResponseItemSchema,
  type OutboxExport as SharedOutboxExport,
  SymposiumItem as SymposiumItemSchema,
  VisitItem as VisitItemSchema,
} from '@minyi/shared/schemas'
import { uuidv4 } from '@minyi/shared/uuid'
import { META_DEVICE_ID, META_FIRST_SAVE_AT } from '../constants/storage-keys.ts'
import { ANONYMOUS, type CacheRow, type DraftRow, type MinyiDb, type OutboxItem, type VisitRow } from '../db/index.ts'
import { isQuotaError, SyncError } from './errors.ts'

/** The install's device id, created on first use. A transaction so two tabs can't create two. */
export async function getDeviceId(db: MinyiDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(META_DEVICE_ID)
    if (typeof row?.value === 'string') return row.value
    const id = uuidv4()
    // `add`, not `put`: a concurrent creator makes this throw instead of silently replacing an id in use.
    await db.meta.add({ key: META_DEVICE_ID, value: id })
    return id
  })
}

export interface SaveResult {
  /** True when this was the device's first saved response (time to ask for persistent storage). */
  first: boolean
}

/**
 * Stores a finished response in the outbox and deletes its draft in one strict transaction; only
 * when this resolves may the UI say "saved". The item is parsed with the shared schema first, so
 * nothing malformed is ever queued. `put`, not `add`: saving the same response id again (a double
 * tap, a retry after a crash) is a no-op replay rather than an error or a second response.
 */
export async function saveResponse(db: MinyiDb, input: unknown, draftKey?: string, now: number = Date.now()): Promise<SaveResult> {
  const item = ResponseItemSchema.parse(input)
  try {
    return await db.transaction('rw', [db.outbox, db.drafts, db.meta], async () => {
      await db.outbox.put({ id: item.id, queuedAt: now, owner: ANONYMOUS, item })
      if (draftKey) await db.drafts.delete(draftKey)
      const first = !(await db.meta.get(META_FIRST_SAVE_AT))
      if (first) await db.meta.put({ key: META_FIRST_SAVE_AT, value: now })
      return { first }
    })
  } catch (err) {
    if (isQuotaError(err)) throw new SyncError('quota_exceeded', err)
    throw err
  }
}

/** What a worker saves at once: a questionnaire and/or a visit, and the visit's line in the phone's register. */
export interface WorkerSave {
  response?: unknown
  visit?: unknown
  register?: VisitRow
  draftKey?: string
  /** A recorder's symposium, remark or follow-up change, queued before the response (worker/symposium.ts). */
  record?: unknown
  /** The phone's copy of the symposium it belongs to, written in the same transaction. */
  local?: CacheRow
}

const RECORD_SCHEMAS = { symposium: SymposiumItemSchema, remark: RemarkItemSchema, follow_up: FollowUpItemSchema } as const

/** A recorder's item, parsed with the shared schema of its kind. */
function parseRecord(raw: unknown): OutboxItem {
  const kind = (raw as { kind?: unknown } | null)?.kind
  if (kind !== 'symposium' && kind !== 'remark' && kind !== 'follow_up') throw new Error(`not a recorder's item: ${String(kind)}`)
  return RECORD_SCHEMAS[kind].parse(raw)
}

/** Connections that have stored (or seen) the first-save mark: their later saves need not read it. */
const firstSaveSeen = new WeakSet<MinyiDb>()

/**
 * A worker's save (C3): the questionnaire, the visit and the phone's register line in one strict
 * transaction, each queued item stamped with the worker (`owner`) so it is sent only under their token.
 * Items are parsed with the shared schemas first; the response is queued just before its visit, so a
 * batch carries the questionnaire ahead of the visit that names it. `put`: a replayed save is a no-op.
 *
 * This is the worker's hot path (a stack of paper forms, a day of doors): it runs one native IndexedDB
 * transaction on Dexie's own connection (`backendDB()`), same stores, same durability. Through Dexie's
 * transaction layer the same writes took about twice as long in Chromium (docs/PERFORMANCE.md, outbox).
 */
export async function saveWorkerItems(db: MinyiDb, owner: string, save: WorkerSave, now: number = Date.now()): Promise<SaveResult> {
  if (!owner) throw new Error('a worker item needs its worker')
  const response = save.response === undefined ? null : ResponseItemSchema.parse(save.response)
  const visit = save.visit === undefined ? null : VisitItemSchema.parse(save.visit)
  const record = save.record === undefined ? null : parseRecord(save.record)
  if (!db.isOpen()) await db.open()
  // Only the stores this save writes; the first-save mark is read until this connection has seen it.
  const askFirst = !firstSaveSeen.has(db)
  const stores = [
    'outbox',
    ...(save.register ? ['visits'] : []),
    ...(save.draftKey ? ['drafts'] : []),
    ...(askFirst ? ['meta'] : []),
    ...(save.local ? ['cache'] : []),
  ]
  try {
    return await new Promise<SaveResult>((resolve, reject) => {
      const tx = db.backendDB().transaction(stores, 'readwrite', { durability: 'strict' })
      let first = false
      const outbox = tx.objectStore('outbox')
      if (record) outbox.put({ id: record.id, queuedAt: now - 0.5, owner, item: record })
      if (save.local) tx.objectStore('cache').put(save.local)
      if (response) outbox.put({ id: response.id, queuedAt: now, owner, item: response })
      // A fraction of a millisecond later: same save, but ordered after its questionnaire.
      if (visit) outbox.put({ id: visit.id, queuedAt: now + 0.5, owner, item: visit })
      if (save.register) tx.objectStore('visits').put(save.register)
      if (save.draftKey) tx.objectStore('drafts').delete(save.draftKey)
      if (askFirst) {
        const meta = tx.objectStore('meta')
        const seen = meta.get(META_FIRST_SAVE_AT)
        seen.onsuccess = () => {
          if (seen.result) return
          first = true
          meta.put({ key: META_FIRST_SAVE_AT, value: now })
        }
      }
      tx.oncomplete = () => {
        firstSaveSeen.add(db)
        resolve({ first })
      }
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'))
    })
  } catch (err) {
    if (isQuotaError(err)) throw new SyncError('quota_exceeded', err)
    throw err
  }
}

/**
 * Drafts are rewritten on every change: `put` replaces the previous snapshot of the same link.
 * The answers are parsed with the shared `Answers` schema first (unset questions dropped).
 */
export async function saveDraft(db: MinyiDb, draft: DraftRow): Promise<void> {
  const set = Object.fromEntries(Object.entries(draft.answers).filter(([, v]) => v !== undefined))
  const answers = AnswersSchema.parse(set)
  try {
    await db.drafts.put({ ...draft, answers })
  } catch (err) {
    if (isQuotaError(err)) throw new SyncError('quota_exceeded', err)
    throw err
  }
}

export function loadDraft(db: MinyiDb, key: string): Promise<DraftRow | undefined> {
  return db.drafts.get(key)
}

export function deleteDraft(db: MinyiDb, key: string): Promise<void> {
  return db.drafts.delete(key)
}

export interface OutboxCounts {
  queued: number
  attention: number
}

/**
 * The resident's own counts. A phone a worker also uses holds that worker's door and paper items too:
 * they are counted, shown and exported in the worker app under their worker, never on a resident's page.
 */
export async function countOutbox(db: MinyiDb): Promise<OutboxCounts> {
  const [queued, attention] = await Promise.all([
    db.outbox.where('owner').equals(ANONYMOUS).count(),
    db.attention.filter((r) => !r.owner).count(),
  ])
  return { queued, attention }
}

/** The export file of PRODUCT.md C2 (shared `OutboxExport`, imported by `POST /api/v1/sync/import`). */
export type OutboxExport = SharedOutboxExport & { items: OutboxItem[] }

/**
 * Everything of the resident's not yet acknowledged: the outbox, the needs-attention box, and `extra` (a
 * response the full disk refused to store, so the export still carries it). A worker's items on the same
 * phone are not the resident's to export: they stay out.
 */
export async function buildExport(db: MinyiDb | null, deviceId: string, extra: OutboxItem[] = [], now = new Date()): Promise<OutboxExport> {
  const queued = db ? await db.outbox.where('[owner+queuedAt]').between([ANONYMOUS, -Infinity], [ANONYMOUS, Infinity]).toArray() : []
  const attention = db
    ? await db.attention
        .orderBy('movedAt')
        .filter((r) => !r.owner)
        .toArray()
    : []
  const seen = new Set<string>()
  const items: OutboxItem[] = []
  for (const item of [...queued.map((r) => r.item), ...attention.map((r) => r.item), ...extra]) {
    if (seen.has(item.id)) continue
    seen.add(item.id)
    items.push(item)
  }
  return { format: 'minyi-outbox', version: 1, deviceId, exportedAt: now.toISOString(), items }
}
