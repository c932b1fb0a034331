import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'

/**
 * Locks the (campaign, address) window rows for this transaction, in sorted order (two instances lock
 * them the same way: no deadlock), and returns each one's stored receive times (ms). A no-op UPDATE
 * takes the row lock on PostgreSQL; SQLite locks the database for a writing transaction anyway.
 */
export async function lockNetworkWindows(
  db: Kysely<Database>,
  keys: { campaign_id: string; network_key: string }[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>()
  const sorted = [...keys].sort((a, b) =>
    a.campaign_id === b.campaign_id ? (a.network_key < b.network_key ? -1 : 1) : a.campaign_id < b.campaign_id ? -1 : 1,
  )
  for (const k of sorted) {
    await db
      .insertInto('network_windows')
      .values({ ...k, times_json: '[]' })
      .onConflict((oc) => oc.columns(['campaign_id', 'network_key']).doNothing())
      .execute()
    const row = await db
      .updateTable('network_windows')
      .set((eb) => ({ times_json: eb.ref('times_json') }))
      .where('campaign_id', '=', k.campaign_id)
      .where('network_key', '=', k.network_key)
      .returning('times_json')
      .executeTakeFirstOrThrow()
    out.set(
      `${k.campaign_id}|${k.network_key}`,
      (JSON.parse(row.times_json) as string[]).map((t) => Date.parse(t)),
    )
  }
  return out
}

export async function saveNetworkWindow(db: Kysely<Database>, campaignId: string, networkKey: string, timesMs: number[]): Promise<void> {
  await db
    .updateTable('network_windows')
    .set({ times_json: JSON.stringify(timesMs.map((t) => new Date(t).toISOString())) })
    .where('campaign_id', '=', campaignId)
    .where('network_key', '=', networkKey)
    .execute()
}
