import { hitRateLimit, pruneRateLimits, refundRateLimit } from '../db/queries/rate-limits.ts'
import type { Deps } from './deps.ts'

/**
 * A sliding-window counter in the database, so every instance counts the same hits: the current
 * window's count plus the previous window's, weighted by how much of it still lies within the last
 * `windowSeconds`. A fixed window let twice the limit through across its boundary (10 tries at its
 * end, 10 more at the next one's start); this estimate does not. Counts the hit and returns the
 * seconds to wait when over the limit, else null. Old windows are pruned now and then.
 */
export async function overLimit(deps: Deps, bucket: string, limit: number, windowSeconds: number): Promise<number | null> {
  if (limit <= 0) return null
  const nowMs = deps.now().getTime()
  const nowS = Math.floor(nowMs / 1000)
  const windowStart = nowS - (nowS % windowSeconds)
  const { count, previous } = await hitRateLimit(deps.db.db, bucket, windowStart, windowStart - windowSeconds)
  if (Math.random() < 0.01) await pruneRateLimits(deps.db.db, `${bucket.split(':')[0]}:`, windowStart - windowSeconds)
  const elapsed = nowMs / 1000 - windowStart
  const estimate = previous * (1 - elapsed / windowSeconds) + count
  if (estimate <= limit) return null
  // When one more hit fits again: once the previous window's weight has run down enough, or (when this
  // window alone is full) once this window's own weight in the next one has.
  const until =
    count + 1 <= limit
      ? windowStart + windowSeconds * (1 - (limit - count - 1) / previous)
      : windowStart + windowSeconds * (2 - (limit - 1) / count)
  return Math.max(1, Math.ceil(until - nowMs / 1000))
}

/** Takes back the hit counted now in `bucket` (a successful login is not an attempt to hold against an address). */
export async function refundHit(deps: Deps, bucket: string, windowSeconds: number): Promise<void> {
  const nowS = Math.floor(deps.now().getTime() / 1000)
  await refundRateLimit(deps.db.db, bucket, nowS - (nowS % windowSeconds))
}
