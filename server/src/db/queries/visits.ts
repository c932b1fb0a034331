import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { HouseholdsTable, VisitsTable } from '../tables-core.ts'
import { bulkInsert } from './bulk.ts'

export type VisitRow = Selectable<VisitsTable>
export type HouseholdRow = Selectable<HouseholdsTable>

const CHUNK = 100

/** Content hash of the batch's visit ids already stored (a replay, or a conflict). */
export async function findStoredVisitHashes(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (ids.length === 0) return out
  const rows = await db.selectFrom('visits').select(['id', 'content_hash']).where('id', 'in', ids).execute()
  for (const r of rows) out.set(r.id, r.content_hash)
  return out
}

const VISIT_COLUMNS = [
  'id',
  'campaign_id',
  'community_id',
  'household_key',
  'outcome',
  'visited_at',
  'response_id',
  'worker_id',
  'device_id',
  'received_at',
  'content_hash',
  'evidence_json',
] as const satisfies readonly (keyof VisitRow)[]

/** Plain INSERT: an id another instance stored meanwhile fails the batch, which is then retried (as for responses). */
export async function insertVisits(db: Kysely<Database>, rows: readonly VisitRow[]): Promise<void> {
  await bulkInsert(
    db,
    { name: 'visits', table: 'visits', columns: VISIT_COLUMNS },
    rows.map((r) => VISIT_COLUMNS.map((c) => r[c])),
  )
}

/**
 * Inserts the households not stored yet (expected sorted by key, so instances lock in one order) and
 * returns the `campaign|key` of those it inserted; a household stored already, or by a concurrent
 * transaction, is left as it is.
 */
export async function insertNewHouseholds(db: Kysely<Database>, rows: readonly HouseholdRow[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  for (let i = 0; i < rows.length; i += CHUNK) {
    const got = await db
      .insertInto('households')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['campaign_id', 'household_key']).doNothing())
      .returning(['campaign_id', 'household_key'])
      .execute()
    for (const r of got) inserted.add(`${r.campaign_id}|${r.household_key}`)
  }
  return inserted
}

export function getHousehold(db: Kysely<Database>, campaignId: string, householdKey: string): Promise<HouseholdRow | undefined> {
  return db
    .selectFrom('households')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('household_key', '=', householdKey)
    .executeTakeFirst()
}

/**
 * Compare-and-set of a household's final visit: replaces it only if its final visit is still
 * `expectedVisitId`. On PostgreSQL a concurrent writer's change makes this match nothing (the WHERE is
 * re-checked after the row lock), so a fieldwork count is never moved twice.
 */
export async function replaceHouseholdIf(db: Kysely<Database>, next: HouseholdRow, expectedVisitId: string): Promise<boolean> {
  const r = await db
    .updateTable('households')
    .set({ community_id: next.community_id, outcome: next.outcome, visited_at: next.visited_at, visit_id: next.visit_id })
    .where('campaign_id', '=', next.campaign_id)
    .where('household_key', '=', next.household_key)
    .where('visit_id', '=', expectedVisitId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export interface FieldworkDelta {
  campaign_id: string
  community_id: string
  outcome: string
  count: number
}

/** Adds to the households-by-final-outcome counts (rows sorted by key, so instances lock in one order). */
export async function addFieldworkCounts(db: Kysely<Database>, deltas: readonly FieldworkDelta[]): Promise<void> {
  const rows = deltas
    .filter((d) => d.count !== 0)
    .sort((a, b) => cmp(`${a.campaign_id}|${a.community_id}|${a.outcome}`, `${b.campaign_id}|${b.community_id}|${b.outcome}`))
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('fieldwork_cells')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'community_id', 'outcome']).doUpdateSet((eb) => ({
          count: eb('fieldwork_cells.count', '+', eb.ref('excluded.count')),
        })),
      )
      .execute()
}

/** A campaign's households by final outcome per community: a few rows whatever the number of visits. */
export function listFieldworkCells(db: Kysely<Database>, campaignId: string) {
  return db.selectFrom('fieldwork_cells').select(['community_id', 'outcome', 'count']).where('campaign_id', '=', campaignId).execute()
}

/** A campaign's visits household by household (then by id), after (household key, id); bounded pages. */
export function pageVisitsByHousehold(
  db: Kysely<Database>,
  campaignId: string,
  after: { householdKey: string; id: string } | null,
  limit: number,
): Promise<Pick<VisitRow, 'id' | 'community_id' | 'household_key' | 'outcome' | 'visited_at'>[]> {
  let q = db
    .selectFrom('visits')
    .select(['id', 'community_id', 'household_key', 'outcome', 'visited_at'])
    .where('campaign_id', '=', campaignId)
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('household_key', '>', after.householdKey),
        eb.and([eb('household_key', '=', after.householdKey), eb('id', '>', after.id)]),
      ]),
    )
  return q.orderBy('household_key').orderBy('id').limit(limit).execute()
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
