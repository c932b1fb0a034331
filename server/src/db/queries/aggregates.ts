import type { BasisKey, ExclusionKey, ReviewKey, TallyRow } from '@minyi/shared/method'
import type { Channel } from '@minyi/shared/schemas'
import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'

/** A tally row as the shared method emits it (`tallyToRows`); stored under its campaign. */
export type AggregateDelta = TallyRow

const KEY = ['campaign_id', 'community_id', 'channel', 'flags_key', 'exclusion_key', 'basis_key', 'review_key', 'metric'] as const
/** 9 parameters a row: 500 rows stay below every parameter limit. */
const CHUNK = 500

/**
 * Adds the deltas with `count = count + excluded.count`, one multi-row upsert per chunk. Rows are
 * expected merged (one per key) and sorted, so that concurrent instances lock keys in the same order.
 */
export async function addAggregates(db: Kysely<Database>, campaignId: string, rows: readonly AggregateDelta[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => ({
      campaign_id: campaignId,
      community_id: r.communityId,
      channel: r.channel,
      flags_key: r.flagsKey,
      exclusion_key: r.exclusionKey,
      basis_key: r.basisKey,
      review_key: r.reviewKey,
      metric: r.metric,
      count: r.count,
    }))
    await db
      .insertInto('aggregates')
      .values(values)
      .onConflict((oc) => oc.columns([...KEY]).doUpdateSet((eb) => ({ count: eb('aggregates.count', '+', eb.ref('excluded.count')) })))
      .execute()
  }
}

export async function listAggregates(db: Kysely<Database>, campaignId: string): Promise<AggregateDelta[]> {
  const rows = await db
    .selectFrom('aggregates')
    .select(['community_id', 'channel', 'flags_key', 'exclusion_key', 'basis_key', 'review_key', 'metric', 'count'])
    .where('campaign_id', '=', campaignId)
    // Zero rows are left by moves (exclusion, review, conflict flag); the tally drops them anyway.
    .where('count', '<>', 0)
    .execute()
  return rows.map((r) => ({
    communityId: r.community_id,
    // Written only from TallyRows, so the stored text is one of the method's keys.
    channel: r.channel as Channel,
    flagsKey: r.flags_key,
    exclusionKey: r.exclusion_key as ExclusionKey,
    basisKey: r.basis_key as BasisKey,
    reviewKey: r.review_key as ReviewKey,
    metric: r.metric,
    count: Number(r.count),
  }))
}
