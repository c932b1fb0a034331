import { hitRateLimit, pruneRateLimits } from '../db/queries/rate-limits.ts'
import type { Deps } from './deps.ts'

/**
 * Fixed-window counter in the database, so every instance counts the same hits. Returns the seconds
 * to wait when over the limit, else null. Old windows are pruned now and then, not on every call.
 */
export async function overLimit(deps: Deps, bucket: string, limit: number, windowSeconds: number): Promise<number | null> {
  if (limit <= 0) return null
  const nowS = Math.floor(deps.now().getTime() / 1000)
  const windowStart = nowS - (nowS % windowSeconds)
  const count = await hitRateLimit(deps.db.db, bucket, windowStart)
  if (Math.random() < 0.01) await pruneRateLimits(deps.db.db, `${bucket.split(':')[0]}:`, windowStart - windowSeconds)
  return count > limit ? Math.max(1, windowStart + windowSeconds - nowS) : null
}
