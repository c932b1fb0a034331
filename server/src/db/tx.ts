import type { Kysely, Transaction } from 'kysely'
import type { Db } from './index.ts'
import type { Database } from './tables.ts'

/**
 * Errors after which the whole transaction may simply run again: another instance stored the same
 * id first (unique violation; the retry sees it as a duplicate), a deadlock or serialization failure
 * (PostgreSQL), or a busy database file (SQLite).
 */
function retryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return (
    code === '23505' ||
    code === '40P01' ||
    code === '40001' ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  )
}

/** Runs `fn` in one transaction, again from the start (up to `attempts` times) on a retryable error. */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.db.transaction().execute(fn)
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err
      // Jittered pause so that two instances replaying the same batch do not collide again in step.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt))
    }
  }
}

export type Q = Kysely<Database>
