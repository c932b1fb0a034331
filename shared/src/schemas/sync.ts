import { Instant } from './common.ts'
import { ResponseItem } from './response.ts'
import { FollowUpItem, RemarkItem, SymposiumItem } from './symposium.ts'
import { StrippedString } from './text.ts'
import { VisitItem } from './visit.ts'
import { z } from './zod.ts'

export const SYNC_MAX_ITEMS = 100
export const SYNC_MAX_BYTES = 512 * 1024
/**
 * An exported outbox file holds at most this many items and bytes (`import_too_large` beyond). A
 * worker's month of door-to-door work is a few thousand answers of about 1 KB; the server checks the
 * whole file before storing any of it and parses one batch of items at a time, so these bound its
 * memory (it runs on a 128 MB heap).
 */
export const IMPORT_MAX_ITEMS = 10_000
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024

/**
 * The envelope of `POST /api/v1/sync`. Items are checked one by one (see SyncItem)
 * so that one bad item is `rejected` with a code while the good items of the batch are stored.
 */
export const SyncRequest = z.object({
  deviceId: StrippedString.min(8).max(64),
  appVersion: StrippedString.max(64),
  outboxSize: z.number().int().min(0),
  items: z.array(z.unknown()).max(SYNC_MAX_ITEMS),
})
export type SyncRequest = z.infer<typeof SyncRequest>

/**
 * One item of `items[]`: a questionnaire, a symposium record, a door-to-door visit, a symposium's later
 * remark or a follow-up change, each kind with
 * its own schema; an item of another kind is `rejected` with `unknown_kind`.
 */
export const SyncItem = z.union([ResponseItem, SymposiumItem, VisitItem, RemarkItem, FollowUpItem])
export type SyncItem = z.infer<typeof SyncItem>

export const SYNC_STATUSES = ['created', 'duplicate', 'conflict', 'rejected'] as const
export const SyncStatus = z.enum(SYNC_STATUSES)
export type SyncStatus = z.infer<typeof SyncStatus>

export const SyncItemResult = z.object({
  id: z.string(),
  status: SyncStatus,
  code: z.string().optional(),
  message: z.string().optional(),
})
export type SyncItemResult = z.infer<typeof SyncItemResult>

export const SyncResponse = z.object({ results: z.array(SyncItemResult), serverTime: Instant })
export type SyncResponse = z.infer<typeof SyncResponse>

/** The file a device exports when it cannot sync (PRODUCT.md C2), without its items: what the import checks first. */
export const OutboxExportHeader = z.object({
  format: z.literal('minyi-outbox'),
  version: z.literal(1),
  deviceId: StrippedString.min(8).max(64),
  exportedAt: Instant,
})
/** The whole file, imported by `POST /api/v1/sync/import`. */
export const OutboxExport = OutboxExportHeader.extend({
  /** Checked one by one like sync items (imported in batches of SYNC_MAX_ITEMS). */
  items: z.array(z.unknown()).max(IMPORT_MAX_ITEMS),
})
export type OutboxExport = z.infer<typeof OutboxExport>
