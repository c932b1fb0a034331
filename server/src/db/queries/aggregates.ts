import type { TallyCell } from '@minyi/shared/method'
import { CompiledQuery, type Kysely } from 'kysely'
import type { Database } from '../tables.ts'
import { bulkInsert, styleOf } from './bulk.ts'

/** A cell's delta as the method emits it (`tallyResponse(...).cells[key]`, summed over a transaction). */
export type AggregateCellDelta = TallyCell

const KEY = ['campaign_id', 'community_id', 'channel', 'worker_id', 'flags_key', 'exclusion_key', 'basis_key', 'review_key'] as const

const READ = {
  qmark: `select counts_json from aggregate_cells where ${KEY.map((c) => `${c} = ?`).join(' and ')}`,
  dollar: `select counts_json from aggregate_cells where ${KEY.map((c, i) => `${c} = $${i + 1}`).join(' and ')}`,
}

/** SQLite: the transaction already holds the only write lock, so the new counts simply replace the old. */
const WRITE = {
  name: 'aggregate_cells_write',
  table: 'aggregate_cells',
  columns: [...KEY, 'counts_json'],
  suffix: `on conflict (${KEY.join(', ')}) do update set counts_json = excluded.counts_json`,
}

/**
 * PostgreSQL, where several instances write at once: the merge happens inside the upsert, under the
 * row lock that ON CONFLICT DO UPDATE takes, so no delta is lost; rows are sent sorted by key, so
 * concurrent transactions lock cells in one order. Metrics whose sum is zero are left out.
 */
const MERGE = {
  name: 'aggregate_cells_merge',
  table: 'aggregate_cells',
  columns: [...KEY, 'counts_json'],
  suffix: `on conflict (${KEY.join(', ')}) do update set counts_json = (
    select coalesce(jsonb_object_agg(m, c), '{}'::jsonb)::text from (
      select m, sum(c) as c from (
        select key as m, value::bigint as c from jsonb_each_text(aggregate_cells.counts_json::jsonb)
        union all
        select key as m, value::bigint as c from jsonb_each_text(excluded.counts_json::jsonb)
      ) d group by m having sum(c) <> 0
    ) s)`,
}

/** `stored + delta` as the stored JSON text; zero counts are dropped. */
export function addCounts(stored: string | undefined, delta: Readonly<Record<string, number>>): string {
  const counts: Record<string, number> = stored ? JSON.parse(stored) : {}
  for (const metric in delta) {
    const sum = (counts[metric] ?? 0) + (delta[metric] ?? 0)
    if (sum === 0) delete counts[metric]
    else counts[metric] = sum
  }
  return JSON.stringify(counts)
}

const keyOf = (campaignId: string, c: AggregateCellDelta) => [
  campaignId,
  c.communityId,
  c.channel,
  c.workerId,
  c.flagsKey,
  c.exclusionKey,
  c.basisKey,
  c.reviewKey,
]

/**
 * Adds each cell's summed deltas to its stored counts: one read and one write per touched cell.
 * Cells are expected merged (one per key) and sorted by key, so concurrent instances lock them in
 * the same order. Deltas with no non-zero count are expected left out by the caller.
 */
export async function addAggregateCells(db: Kysely<Database>, campaignId: string, cells: readonly AggregateCellDelta[]): Promise<void> {
  if (cells.length === 0) return
  const style = styleOf(db)
  if (style === 'dollar') {
    await bulkInsert(
      db,
      MERGE,
      cells.map((c) => [...keyOf(campaignId, c), addCounts(undefined, c.counts)]),
      32,
    )
    return
  }
  const rows: unknown[][] = []
  for (const c of cells) {
    const key = keyOf(campaignId, c)
    const { rows: found } = await db.executeQuery<{ counts_json: string }>(CompiledQuery.raw(READ[style], key))
    rows.push([...key, addCounts(found[0]?.counts_json, c.counts)])
  }
  await bulkInsert(db, WRITE, rows, 32)
}

/** One cell of a campaign's aggregate: its coordinates and its counts as stored (JSON text). */
export interface AggregateCellRow {
  communityId: string
  channel: string
  workerId: string
  flagsKey: string
  exclusionKey: string
  basisKey: string
  reviewKey: string
  counts: string
}

function selectCells(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('aggregate_cells')
    .select([
      'community_id as communityId',
      'channel',
      'worker_id as workerId',
      'flags_key as flagsKey',
      'exclusion_key as exclusionKey',
      'basis_key as basisKey',
      'review_key as reviewKey',
      'counts_json as counts',
    ])
    .where('campaign_id', '=', campaignId)
}

/** Every cell of a campaign at once (a few hundred rows for a district; `aggregateCellPages` for a city). */
export async function listAggregateCells(db: Kysely<Database>, campaignId: string): Promise<AggregateCellRow[]> {
  return selectCells(db, campaignId).execute()
}

/**
 * A campaign's cells page by page, each page whole communities (at most `pageSize` rows unless one
 * community alone has more; then that community is its own page), so a caller holds one page of
 * counts at a time. Each community's cells come from one query: a community is read as of one
 * moment (a review moving a response between two of its cells is never half seen).
 */
export async function* aggregateCellPages(db: Kysely<Database>, campaignId: string, pageSize = 2000): AsyncGenerator<AggregateCellRow[]> {
  let after: string | null = null
  for (;;) {
    const query = selectCells(db, campaignId)
    const rows: AggregateCellRow[] = await (after === null ? query : query.where('community_id', '>', after))
      .orderBy('community_id')
      .limit(pageSize)
      .execute()
    if (rows.length < pageSize) {
      if (rows.length > 0) yield rows
      return
    }
    // The last community may go on past the page: it starts the next one.
    const last: string = rows[rows.length - 1]?.communityId ?? ''
    let cut = rows.length
    while (cut > 0 && rows[cut - 1]?.communityId === last) cut--
    if (cut === 0) {
      yield await selectCells(db, campaignId).where('community_id', '=', last).execute()
      after = last
    } else {
      yield rows.slice(0, cut)
      after = rows[cut - 1]?.communityId ?? last
    }
  }
}
