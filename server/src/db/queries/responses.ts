import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { ConflictsTable, ResponseReviewsTable, ResponsesTable } from '../tables-core.ts'
import { bulkInsert } from './bulk.ts'

export type ResponseRow = Selectable<ResponsesTable>
export type ConflictRow = Selectable<ConflictsTable>

/** Rows per multi-row statement of the counters. */
const INSERT_CHUNK = 100

/** What ingest needs to tell a replay from a conflict. */
export async function findStoredHashes(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, { hash: string; flags: string }>> {
  const out = new Map<string, { hash: string; flags: string }>()
  if (ids.length === 0) return out
  const rows = await db.selectFrom('responses').select(['id', 'content_hash', 'flags']).where('id', 'in', ids).execute()
  for (const r of rows) out.set(r.id, { hash: r.content_hash, flags: r.flags })
  return out
}

export function getResponses(db: Kysely<Database>, ids: readonly string[]): Promise<ResponseRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('responses').selectAll().where('id', 'in', ids).execute()
}

export function getResponse(db: Kysely<Database>, id: string): Promise<ResponseRow | undefined> {
  return db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst()
}

const RESPONSE_COLUMNS = [
  'id',
  'campaign_id',
  'questionnaire_version',
  'community_id',
  'channel',
  'device_id',
  'worker_id',
  'household_key',
  'symposium_id',
  'started_at',
  'submitted_at',
  'received_at',
  'answers_json',
  'flags',
  'exclusion',
  'review',
  'content_hash',
  'test',
  'evidence_json',
] as const satisfies readonly (keyof ResponseRow)[]

/** Plain INSERT (no ON CONFLICT): an id another instance stored meanwhile fails the batch, which is then retried. */
export async function insertResponses(db: Kysely<Database>, rows: ResponseRow[]): Promise<void> {
  await bulkInsert(
    db,
    { name: 'responses', table: 'responses', columns: RESPONSE_COLUMNS },
    rows.map((r) => RESPONSE_COLUMNS.map((c) => r[c])),
  )
}

export type ResponseState = Pick<ResponseRow, 'flags' | 'exclusion' | 'review'>

/**
 * Compare-and-set of a response's server-side state: applies `next` only if the row still has
 * `expected`. On PostgreSQL a concurrent writer's change makes this match nothing (the WHERE is
 * re-checked after the row lock), so aggregate moves are never applied twice.
 */
export async function setResponseStateIf(
  db: Kysely<Database>,
  id: string,
  expected: ResponseState,
  next: Partial<ResponseState>,
): Promise<boolean> {
  let q = db.updateTable('responses').set(next).where('id', '=', id).where('flags', '=', expected.flags)
  q = expected.exclusion === null ? q.where('exclusion', 'is', null) : q.where('exclusion', '=', expected.exclusion)
  q = expected.review === null ? q.where('review', 'is', null) : q.where('review', '=', expected.review)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Responses with any flag or exclusion, for the review list (newest first). */
export function listFlaggedResponses(db: Kysely<Database>, campaignId: string, limit: number, offset: number): Promise<ResponseRow[]> {
  return db
    .selectFrom('responses')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('flags', '<>', ''), eb('exclusion', 'is not', null), eb('review', 'is not', null)]))
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute()
}

/** The same conflicting payload replayed is kept once. */
export async function insertConflicts(db: Kysely<Database>, rows: ConflictRow[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('conflicts')
    .values(rows)
    .onConflict((oc) => oc.columns(['response_id', 'content_hash']).doNothing())
    .execute()
}

export function listConflicts(db: Kysely<Database>, campaignId: string): Promise<ConflictRow[]> {
  return db.selectFrom('conflicts').selectAll().where('campaign_id', '=', campaignId).orderBy('received_at').orderBy('id').execute()
}

export async function insertReview(db: Kysely<Database>, row: Selectable<ResponseReviewsTable>): Promise<void> {
  await db.insertInto('response_reviews').values(row).execute()
}

/** Adds to the per-(campaign, household key) counters; returns the totals after this batch. */
export async function bumpHouseholdCounts(
  db: Kysely<Database>,
  rows: { campaign_id: string; household_key: string; count: number }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (rows.length === 0) return out
  // Sorted, so that two instances lock the same rows in the same order (no deadlock).
  const sorted = [...rows].sort((a, b) => cmp(a.campaign_id + a.household_key, b.campaign_id + b.household_key))
  for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
    const got = await db
      .insertInto('household_counts')
      .values(sorted.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['campaign_id', 'household_key'])
          .doUpdateSet((eb) => ({ count: eb('household_counts.count', '+', eb.ref('excluded.count')) })),
      )
      .returning(['campaign_id', 'household_key', 'count'])
      .execute()
    for (const r of got) out.set(`${r.campaign_id}|${r.household_key}`, Number(r.count))
  }
  return out
}

/** What the method tallies of a stored response (`tallyInputOf`). */
const TALLY_COLUMNS = [
  'id',
  'questionnaire_version',
  'community_id',
  'channel',
  'worker_id',
  'started_at',
  'submitted_at',
  'answers_json',
  'flags',
  'exclusion',
  'review',
] as const satisfies readonly (keyof ResponseRow)[]

/** Every column a reviewer reads in the exports. */
const EXPORT_COLUMNS = [...TALLY_COLUMNS, 'received_at', 'content_hash'] as const

function pageById<C extends keyof ResponseRow & string>(
  db: Kysely<Database>,
  columns: readonly C[],
  campaignId: string,
  afterId: string,
  limit: number,
): Promise<Pick<ResponseRow, C>[]> {
  return db
    .selectFrom('responses')
    .select(columns)
    .where('campaign_id', '=', campaignId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute() as unknown as Promise<Pick<ResponseRow, C>[]> // Kysely cannot infer a selection from a generic column list
}

/** Page through a campaign's responses by id (stable order, bounded memory). */
export function pageCampaignResponses(db: Kysely<Database>, campaignId: string, afterId: string, limit: number) {
  return pageById(db, TALLY_COLUMNS, campaignId, afterId, limit)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export type ExportResponseRow = Pick<ResponseRow, (typeof EXPORT_COLUMNS)[number]>

/** Page through a campaign's responses by id for the exports (every column a reviewer reads). */
export function pageResponsesForExport(
  db: Kysely<Database>,
  campaignId: string,
  afterId: string,
  limit: number,
): Promise<ExportResponseRow[]> {
  return pageById(db, EXPORT_COLUMNS, campaignId, afterId, limit)
}

/** Every evaluator decision on the campaign's responses, oldest first, with who made it. */
export function listCampaignReviews(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('response_reviews')
    .leftJoin('staff_users', 'staff_users.id', 'response_reviews.user_id')
    .select([
      'response_reviews.response_id',
      'response_reviews.action',
      'response_reviews.reason',
      'response_reviews.at',
      'staff_users.login',
      'staff_users.name',
    ])
    .where('response_reviews.campaign_id', '=', campaignId)
    .orderBy('response_reviews.at')
    .orderBy('response_reviews.id')
    .execute()
}

/** A campaign's responses newest first (by id: UUIDv7, time-ordered), before `beforeId` ('' for the newest). */
export function pageResponsesNewestFirst(db: Kysely<Database>, campaignId: string, beforeId: string, limit: number) {
  let q = db
    .selectFrom('responses')
    .select(['id', 'community_id', 'channel', 'questionnaire_version', 'submitted_at', 'answers_json'])
    .where('campaign_id', '=', campaignId)
  if (beforeId !== '') q = q.where('id', '<', beforeId)
  return q.orderBy('id', 'desc').limit(limit).execute()
}
