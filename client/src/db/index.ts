import type {
  CommunityProgress,
  FollowUpItem,
  RemarkItem,
  ResponseItem,
  StaffCampaignDetail,
  SymposiumItem,
  VisitItem,
  VisitOutcome,
} from '@minyi/shared/schemas'
import { Dexie, type EntityTable } from 'dexie'

export { Dexie }

import { DB_NAME } from '../constants/storage-keys.ts'

/**
 * What the outbox sends: a questionnaire, a worker's door-to-door visit (PRODUCT.md Contracts), or a
 * recorder's symposium, remark or follow-up change (docs/SERVER.md).
 */
export type OutboxItem = ResponseItem | VisitItem | SymposiumItem | RemarkItem | FollowUpItem

/** Whose an outbox row is: `''` for a resident's (sent anonymously), else the worker's user id. */
export const ANONYMOUS = ''

/** A finished item waiting for the server's acknowledgement. */
export interface OutboxRow {
  id: string
  /** ms since epoch; flush order (oldest first). */
  queuedAt: number
  /** The worker who saved it (sent only under that worker's token), or ANONYMOUS. */
  owner: string
  item: OutboxItem
}

/** Answers in progress, one per questionnaire link; survives a closed tab. */
export interface DraftRow {
  /** The QR link token (or `preview`). */
  key: string
  /** Chosen when the draft starts, so a double-tapped submit stores one response, not two. */
  responseId: string
  startedAt: string
  updatedAt: number
  answers: Record<string, unknown>
}

/** A response the server rejected permanently: kept and shown, never silently dropped. */
export interface AttentionRow {
  id: string
  movedAt: number
  code: string
  message?: string
  /** As in the outbox (absent on rows from before v2: the resident's). */
  owner?: string
  item: OutboxItem
}

/**
 * A worker signed in on this phone (C3). The bearer token lives here, not in the page's memory, so the
 * service worker's Background Sync can send that worker's items too. Signing out clears `token` but
 * keeps the row, so the worker's unsent items keep a name and wait for their owner to sign in again.
 */
export interface WorkerRow {
  /** The worker's user id (the `owner` of their outbox rows). */
  id: string
  name: string
  login: string
  communityIds: string[]
  token: string | null
  /** When the token stops working (30 days after sign-in). */
  expiresAt: string | null
  signedInAt: number
  /** Set when the server refused the token (revoked, expired, disabled): the queue waits for sign-in. */
  signInNeeded: string | null
  /** Last flush in which the server answered for this worker's items (ms since epoch). */
  lastSyncAt: number | null
}

/**
 * The phone's own visit register: what the worker needs for revisits. The raw door number stays on
 * the phone (only `householdKey`, its HMAC with the campaign's salt, is ever sent).
 */
export interface VisitRow {
  /** The visit item's id. */
  id: string
  workerId: string
  campaignId: string
  communityId: string
  door: string
  householdKey: string
  outcome: VisitOutcome
  visitedAt: string
  responseId: string | null
}

/**
 * Items the server acknowledged, counted as "sent" on the worker's home and in quota progress: one row
 * per (kind, campaign, community) of an acknowledged batch, with how many items it stands for (`count`;
 * rows written before it existed stand for one item each). One row per item cost a 10,000-item flush
 * 10,000 more IndexedDB writes.
 */
export interface SentRow {
  id: string
  owner: string
  kind: OutboxItem['kind']
  campaignId: string
  /** '' for an item of no one community (a street-level symposium, a remark, a follow-up change). */
  communityId: string
  sentAt: number
  count?: number
}

/**
 * The last known server figures, shown offline with their age; and a recorder's symposiums as recorded
 * on this phone (key `symposium:<workerId>:<id>`, written with their outbox items; worker/symposium.ts).
 */
export type CacheRow =
  | { key: string; kind: 'campaigns'; fetchedAt: number; value: StaffCampaignDetail[] }
  | { key: string; kind: 'progress'; fetchedAt: number; value: CommunityProgress[] }
  | { key: string; kind: 'symposium'; fetchedAt: number; value: LocalSymposium }

/** A symposium as its recorder's phone keeps it: what was sent, so remarks and follow-ups can be added offline. */
export interface LocalSymposium {
  symposium: SymposiumItem
  /** Remarks added after the first send, each with the follow-up changes recorded on this phone. */
  remarks: { item: RemarkItem; changes: FollowUpItem[] }[]
  /** Rating sheets typed on this phone. */
  sheets: number
}

export interface MetaRow {
  key: string
  value: string | number
}

export type MinyiDb = Dexie & {
  outbox: EntityTable<OutboxRow, 'id'>
  drafts: EntityTable<DraftRow, 'key'>
  attention: EntityTable<AttentionRow, 'id'>
  meta: EntityTable<MetaRow, 'key'>
  workers: EntityTable<WorkerRow, 'id'>
  visits: EntityTable<VisitRow, 'id'>
  sent: EntityTable<SentRow, 'id'>
  cache: EntityTable<CacheRow, 'key'>
}

/**
 * Opens the one Dexie database. Every transaction is `durability: 'strict'`: Dexie 4.4 takes the
 * durability hint as the constructor option `chromeTransactionDurability` (its `db.transaction()`
 * has no per-transaction options), and our writes are few and must reach the disk before the UI
 * says "saved" (https://developer.mozilla.org/docs/Web/API/IDBTransaction/durability).
 * `indexedDB` can be injected (fake-indexeddb in unit tests).
 */
export function openDb(opts: { name?: string; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}): MinyiDb {
  const db = new Dexie(opts.name ?? DB_NAME, {
    chromeTransactionDurability: 'strict',
    ...(opts.indexedDB ? { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange } : {}),
  }) as MinyiDb
  // Versions only move forward; never edit a published block, add a new one with a comment.
  // v1: outbox (by id, flushed oldest first), drafts per link, needs-attention box, meta (deviceId…).
  db.version(1).stores({
    outbox: 'id, queuedAt',
    drafts: 'key',
    attention: 'id, movedAt',
    meta: 'key',
  })
  // v2: the worker app (C3). Outbox rows get an `owner` ('' for a resident's, else the worker who saved
  // it), indexed so each worker's items go in their own batches under their own token; `workers` keeps
  // each signed-in worker's bearer token (readable by the service worker); `visits` is the phone's visit
  // register (raw door numbers stay here); `sent` counts acknowledged worker items (home, quota
  // progress); `cache` keeps the last known server figures for offline days. Existing rows are the
  // resident's: they get owner ''.
  db.version(2)
    .stores({
      outbox: 'id, queuedAt, owner, [owner+queuedAt]',
      workers: 'id',
      visits: 'id, [workerId+campaignId]',
      sent: 'id, [owner+sentAt]',
      cache: 'key',
    })
    .upgrade((tx) =>
      tx
        .table('outbox')
        .toCollection()
        .modify((row: Partial<OutboxRow>) => {
          row.owner ??= ANONYMOUS
        }),
    )
  return db
}
