import type { SyncItemResult, SyncRequest } from '@minyi/shared/schemas'
import type { Principal } from '../../auth/principal.ts'
import { insertConflicts } from '../../db/queries/conflicts.ts'
import { bumpDeviceCampaigns, upsertDevice } from '../../db/queries/devices.ts'
import type { Q } from '../../db/tx.ts'
import type { Deps } from '../deps.ts'
import {
  type Batch,
  type CheckedItem,
  type Group,
  type IngestOptions,
  isRejected,
  type KindWriter,
  type Rejected,
  rejectedResult,
} from './kind.ts'
import { KINDS } from './kinds/index.ts'

/** One envelope, checked, waiting for its transaction. */
export interface Job {
  principal: Principal
  req: SyncRequest
  checked: (CheckedItem | Rejected)[]
  opts: IngestOptions
}

/**
 * Stores one envelope inside the group's transaction: the device's call, then every kind's reads,
 * each item's outcome in the envelope's order, the device's counters, every kind's writes, and the
 * conflicting payloads. Returns one result per item, in order.
 */
export async function store(deps: Deps, trx: Q, { principal, req, checked, opts }: Job, group: Group): Promise<SyncItemResult[]> {
  const receivedAt = deps.now().toISOString()
  if (opts.touchDevice)
    await upsertDevice(trx, {
      id: req.deviceId,
      app_version: req.appVersion,
      last_seen_at: receivedAt,
      outbox_size: req.outboxSize,
      user_id: principal.kind === 'staff' ? principal.userId : null,
    })

  const items = checked.filter((c): c is CheckedItem => !isRejected(c))
  const batch: Batch = {
    deps,
    trx,
    principal,
    req,
    opts,
    receivedAt,
    items,
    group,
    conflicts: [],
    symposiums: new Map(),
    deviceCounts: new Map(items.map((c) => [c.ctx.row.id, { qr: 0, total: 0 }])),
    qrBefore: new Map(),
  }
  const writers = new Map<string, KindWriter>(KINDS.map((k) => [k.kind, k.writer(batch)]))
  await Promise.all([...writers].map(([kind, w]) => w.load(items.filter((c) => c.kind === kind))))

  const results: SyncItemResult[] = []
  for (const c of checked) {
    if (isRejected(c)) {
      results.push(rejectedResult(c.id, c.code, c.message))
      continue
    }
    const writer = writers.get(c.kind)
    // Unreachable without a writer: only a registered kind checks an item.
    results.push(writer ? await writer.decide(c) : rejectedResult(c.id, 'unknown_kind'))
  }

  await countDevice(batch)
  for (const w of writers.values()) await w.write()
  await insertConflicts(trx, batch.conflicts)
  return results
}

/**
 * Adds the responses created to the per-(campaign, device) counters, locked in campaign order; the
 * totals after this batch give each new QR response its "how many before me" for `duplicate_device`.
 */
async function countDevice(batch: Batch): Promise<void> {
  const { req, receivedAt, deviceCounts } = batch
  const qrAfter = await bumpDeviceCampaigns(
    batch.trx,
    [...deviceCounts].map(([campaign_id, n]) => ({ campaign_id, device_id: req.deviceId, qr: n.qr, total: n.total, at: receivedAt })),
  )
  for (const [campaign, n] of deviceCounts) batch.qrBefore.set(campaign, (qrAfter.get(campaign) ?? n.qr) - n.qr)
}
