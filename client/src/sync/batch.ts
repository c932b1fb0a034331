import { SYNC_MAX_BYTES, SYNC_MAX_ITEMS } from '@minyi/shared/schemas'
import type { OutboxRow } from '../db/index.ts'

/** Room left for the envelope around the items (deviceId, appVersion, outboxSize, brackets). */
const ENVELOPE_BYTES = 512
const encoder = new TextEncoder()

export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length
}

/**
 * The next batch, oldest first: at most SYNC_MAX_ITEMS items and SYNC_MAX_BYTES of JSON, so the
 * server never answers 413. A single item is always sent alone even if large (the server then
 * rejects it with a code and it moves to the needs-attention box rather than blocking the queue).
 */
export function takeBatch(rows: OutboxRow[], maxItems = SYNC_MAX_ITEMS, maxBytes = SYNC_MAX_BYTES): OutboxRow[] {
  const batch: OutboxRow[] = []
  let bytes = ENVELOPE_BYTES
  for (const row of rows) {
    if (batch.length >= maxItems) break
    const size = jsonBytes(row.item) + 1
    if (batch.length > 0 && bytes + size > maxBytes) break
    batch.push(row)
    bytes += size
  }
  return batch
}
