import { type Kysely, sql } from 'kysely'
import type { Database } from '../tables.ts'
import { styleOf } from './bulk.ts'

/**
 * Moves each (campaign, community)'s last activity forward, never back: two instances committing
 * out of order keep the later time. Rows sorted by key, so concurrent transactions lock in one order.
 */
export async function touchCommunityActivity(
  db: Kysely<Database>,
  rows: readonly { campaign_id: string; community_id: string; last_received_at: string }[],
): Promise<void> {
  if (rows.length === 0) return
  const later =
    styleOf(db) === 'dollar'
      ? sql<string>`greatest(community_activity.last_received_at, excluded.last_received_at)`
      : sql<string>`max(community_activity.last_received_at, excluded.last_received_at)`
  await db
    .insertInto('community_activity')
    .values([...rows].sort((a, b) => (a.campaign_id + a.community_id < b.campaign_id + b.community_id ? -1 : 1)))
    .onConflict((oc) => oc.columns(['campaign_id', 'community_id']).doUpdateSet({ last_received_at: later }))
    .execute()
}

export function listCommunityActivity(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('community_activity')
    .select(['community_id', 'last_received_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('community_id')
    .execute()
}
