import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'
import { fixed, runFixed } from './bulk.ts'

const HIT = fixed(
  `insert into rate_limits (bucket, window_start, count) values (?, ?, 1)
   on conflict (bucket, window_start) do update set count = rate_limits.count + 1 returning count`,
)
const PREVIOUS = fixed('select count from rate_limits where bucket = ? and window_start = ?')

/**
 * Counts one hit in (bucket, window) atomically on both dialects, and returns the window's count so far
 * with the count of the previous window (0 when it has none), for the sliding estimate. Fixed SQL:
 * anonymous sync calls pass here once each.
 */
export async function hitRateLimit(
  db: Kysely<Database>,
  bucket: string,
  windowStart: number,
  previousStart: number,
): Promise<{ count: number; previous: number }> {
  const [r] = await runFixed<{ count: number }>(db, HIT, [bucket, windowStart])
  if (!r) throw new Error('rate_limits upsert returned no row')
  const [prev] = await runFixed<{ count: number }>(db, PREVIOUS, [bucket, previousStart])
  return { count: Number(r.count), previous: Number(prev?.count ?? 0) }
}

/** Takes one hit back from (bucket, window), never below zero. */
export async function refundRateLimit(db: Kysely<Database>, bucket: string, windowStart: number): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ count: eb('count', '-', 1) }))
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart)
    .where('count', '>', 0)
    .execute()
}

/** Deletes old windows of the buckets starting with `prefix` (other users of the table keep their own windows). */
export async function pruneRateLimits(db: Kysely<Database>, prefix: string, before: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('bucket', 'like', `${prefix}%`).where('window_start', '<', before).execute()
}
