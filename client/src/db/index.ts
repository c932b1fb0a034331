import type { ResponseItem } from '@minyi/shared/schemas'
import { Dexie, type EntityTable } from 'dexie'

export { Dexie }

import { DB_NAME } from '../constants/storage-keys.ts'

/** A finished response waiting for the server's acknowledgement. */
export interface OutboxRow {
  id: string
  /** ms since epoch; flush order (oldest first). */
  queuedAt: number
  item: ResponseItem
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
  item: ResponseItem
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
  return db
}
