import type { TallyRow } from '@minyi/shared/method'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../tables.ts'
import { bulkInsert } from './bulk.ts'

/** A tally row as the shared method emits it (`tallyToRows`); stored under its campaign. */
export type AggregateDelta = TallyRow

const KEY = ['campaign_id', 'community_id', 'channel', 'flags_key', 'exclusion_key', 'basis_key', 'review_key', 'metric'] as const

const UPSERT = {
  name: 'aggregates',
  table: 'aggregates',
  columns: [...KEY, 'count'],
  suffix: `on conflict (${KEY.join(', ')}) do update set count = aggregates.count + excluded.count`,
}

/**
 * Adds the deltas with `count = count + excluded.count`, in multi-row upserts. Rows are expected merged
 * (one per key, or one statement would touch a row twice) and sorted, so that concurrent instances
 * lock keys in the same order.
 */
export async function addAggregates(db: Kysely<Database>, campaignId: string, rows: readonly AggregateDelta[]): Promise<void> {
  await bulkInsert(
    db,
    UPSERT,
    rows.map((r) => [campaignId, r.communityId, r.channel, r.flagsKey, r.exclusionKey, r.basisKey, r.reviewKey, r.metric, r.count]),
    128,
  )
}

/** Selected under the method's field names, so the rows feed the tally without another pass. */
export async function listAggregates(db: Kysely<Database>, campaignId: string): Promise<AggregateDelta[]> {
  const rows = await db
    .selectFrom('aggregates')
    .select([
      'community_id as communityId',
      'channel',
      'flags_key as flagsKey',
      'exclusion_key as exclusionKey',
      'basis_key as basisKey',
      'review_key as reviewKey',
      'metric',
      'count',
    ])
    .where('campaign_id', '=', campaignId)
    // Zero rows are left by moves (exclusion, review, conflict flag); the tally drops them anyway.
    .where('count', '<>', 0)
    .execute()
  // Written only from TallyRows, so the stored text is one of the method's keys (and counts are integers).
  return rows as AggregateDelta[]
}

/** One cell of a campaign's aggregate: its coordinates and `metric=count` pairs joined with ';'. */
export interface AggregateCellRow {
  communityId: string
  channel: string
  flagsKey: string
  exclusionKey: string
  basisKey: string
  reviewKey: string
  counts: string
}

/**
 * The aggregate folded per cell by the database (`string_agg`, in SQLite ≥ 3.44 and PostgreSQL):
 * about a hundred rows instead of ten thousand, because materialising eight strings per row in
 * JavaScript was most of the indicator's time at a million responses. Metrics are slugs such as
 * `item:q_overall:5` or `mean:k3:7/10`: they never contain '=' or ';'.
 */
export async function listAggregateCells(db: Kysely<Database>, campaignId: string): Promise<AggregateCellRow[]> {
  const rows = await db
    .selectFrom('aggregates')
    .select([
      'community_id as communityId',
      'channel',
      'flags_key as flagsKey',
      'exclusion_key as exclusionKey',
      'basis_key as basisKey',
      'review_key as reviewKey',
      sql<string>`string_agg(metric || '=' || count, ';')`.as('counts'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('count', '<>', 0)
    .groupBy(['community_id', 'channel', 'flags_key', 'exclusion_key', 'basis_key', 'review_key'])
    .execute()
  return rows
}
