import { DB_NAME } from '../constants/storage-keys.ts'
import type { DraftRow } from './index.ts'

/**
 * Reads one draft with the bare IndexedDB API, so a returning resident's answers come back without
 * waiting for Dexie (~30 KB gzip of script to evaluate on a slow phone; the outbox engine loads a
 * little later). Never creates the database: if it doesn't exist yet the upgrade is aborted.
 * Resolves undefined on any failure — a missing draft is never an error worth showing.
 */
export function peekDraft(key: string, idb: IDBFactory | undefined = globalThis.indexedDB): Promise<DraftRow | undefined> {
  return new Promise((resolve) => {
    if (!idb) return resolve(undefined)
    let req: IDBOpenDBRequest
    try {
      req = idb.open(DB_NAME)
    } catch {
      return resolve(undefined)
    }
    req.onupgradeneeded = () => req.transaction?.abort()
    req.onerror = () => resolve(undefined)
    req.onblocked = () => resolve(undefined)
    req.onsuccess = () => {
      const db = req.result
      const done = (v: DraftRow | undefined) => {
        db.close()
        resolve(v)
      }
      if (!db.objectStoreNames.contains('drafts')) return done(undefined)
      try {
        const get = db.transaction('drafts', 'readonly').objectStore('drafts').get(key)
        get.onsuccess = () => done(get.result as DraftRow | undefined)
        get.onerror = () => done(undefined)
      } catch {
        done(undefined)
      }
    }
  })
}
