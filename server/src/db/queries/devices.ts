import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { DevicesTable } from '../tables-core.ts'
import { fixed, runFixed } from './bulk.ts'

export type DeviceRow = Selectable<DevicesTable>

const UPSERT_DEVICE = fixed(
  `insert into devices (id, app_version, last_seen_at, outbox_size, user_id) values (?, ?, ?, ?, ?)
   on conflict (id) do update set app_version = excluded.app_version, last_seen_at = excluded.last_seen_at,
   outbox_size = excluded.outbox_size, user_id = coalesce(excluded.user_id, devices.user_id)`,
)

/**
 * Last seen, app version and the outbox size the device reported, on every sync call. An anonymous
 * call from a device a worker once used keeps the worker it was seen with. (Fixed SQL: it runs once
 * per sync call.)
 */
export async function upsertDevice(db: Kysely<Database>, row: DeviceRow): Promise<void> {
  await runFixed(db, UPSERT_DEVICE, [row.id, row.app_version, row.last_seen_at, row.outbox_size, row.user_id])
}

const BUMP_DEVICE_CAMPAIGN = fixed(
  `insert into device_campaigns (campaign_id, device_id, qr_count, total_count, last_seen_at) values (?, ?, ?, ?, ?)
   on conflict (campaign_id, device_id) do update set qr_count = device_campaigns.qr_count + excluded.qr_count,
   total_count = device_campaigns.total_count + excluded.total_count, last_seen_at = excluded.last_seen_at
   returning qr_count`,
)

/**
 * Adds to the per-(campaign, device) counters and returns the QR totals after this batch, per
 * campaign. One statement per campaign (a batch nearly always names one), in campaign order, so two
 * instances lock the rows in the same order.
 */
export async function bumpDeviceCampaigns(
  db: Kysely<Database>,
  rows: { campaign_id: string; device_id: string; qr: number; total: number; at: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const sorted = [...rows].sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0))
  for (const r of sorted) {
    const [got] = await runFixed<{ qr_count: number }>(db, BUMP_DEVICE_CAMPAIGN, [r.campaign_id, r.device_id, r.qr, r.total, r.at])
    if (got) out.set(r.campaign_id, Number(got.qr_count))
  }
  return out
}

export interface CampaignDeviceRow extends DeviceRow {
  responses: number
  campaign_last_seen_at: string
}

/** Devices that sent to this campaign, most recently seen first. */
export async function listCampaignDevices(db: Kysely<Database>, campaignId: string, onlyUnsent: boolean): Promise<CampaignDeviceRow[]> {
  let q = db
    .selectFrom('device_campaigns as dc')
    .innerJoin('devices as d', 'd.id', 'dc.device_id')
    .select([
      'd.id',
      'd.app_version',
      'd.last_seen_at',
      'd.outbox_size',
      'd.user_id',
      'dc.total_count as responses',
      'dc.last_seen_at as campaign_last_seen_at',
    ])
    .where('dc.campaign_id', '=', campaignId)
  if (onlyUnsent) q = q.where('d.outbox_size', '>', 0)
  const rows = await q.orderBy('d.last_seen_at', 'desc').execute()
  return rows.map((r) => ({ ...r, outbox_size: Number(r.outbox_size), responses: Number(r.responses) }))
}
