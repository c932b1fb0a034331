import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { DevicesTable } from '../tables-core.ts'

export type DeviceRow = Selectable<DevicesTable>

/** Last seen, app version and the outbox size the device reported, on every sync call. */
export async function upsertDevice(db: Kysely<Database>, row: DeviceRow): Promise<void> {
  await db
    .insertInto('devices')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        app_version: eb.ref('excluded.app_version'),
        last_seen_at: eb.ref('excluded.last_seen_at'),
        outbox_size: eb.ref('excluded.outbox_size'),
        // An anonymous call from a device a worker once used keeps the worker it was seen with.
        user_id: eb.fn.coalesce(eb.ref('excluded.user_id'), eb.ref('devices.user_id')),
      })),
    )
    .execute()
}

/** Adds to the per-(campaign, device) counters and returns the totals after this batch. */
export async function bumpDeviceCampaigns(
  db: Kysely<Database>,
  rows: { campaign_id: string; device_id: string; qr: number; total: number; at: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (rows.length === 0) return out
  const sorted = [...rows].sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0))
  const got = await db
    .insertInto('device_campaigns')
    .values(
      sorted.map((r) => ({ campaign_id: r.campaign_id, device_id: r.device_id, qr_count: r.qr, total_count: r.total, last_seen_at: r.at })),
    )
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'device_id']).doUpdateSet((eb) => ({
        qr_count: eb('device_campaigns.qr_count', '+', eb.ref('excluded.qr_count')),
        total_count: eb('device_campaigns.total_count', '+', eb.ref('excluded.total_count')),
        last_seen_at: eb.ref('excluded.last_seen_at'),
      })),
    )
    .returning(['campaign_id', 'qr_count'])
    .execute()
  for (const r of got) out.set(r.campaign_id, Number(r.qr_count))
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
