import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'

/** Counts one hit in (bucket, window) and returns the window's count so far, atomically on both dialects. */
export async function hitRateLimit(db: Kysely<Database>, bucket: string, windowStart: number): Promise<number> {
  const r = await db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })))
    .returning('count')
    .executeTakeFirstOrThrow()
  return Number(r.count)
}

/** Deletes old windows of the buckets starting with `prefix` (other users of the table keep their own windows). */
export async function pruneRateLimits(db: Kysely<Database>, prefix: string, before: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('bucket', 'like', `${prefix}%`).where('window_start', '<', before).execute()
}
