import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { ResponsesTable } from '../tables-core.ts'
import { bulkInsert, runFixed, styleOf } from './bulk.ts'

export type ResponseRow = Selectable<ResponsesTable>

interface StoredHash {
  id: string
  content_hash: string
  flags: string
}
const STORED_HASHES = {
  qmark: 'select id, content_hash, flags from responses where id in (select value from json_each(?))',
  dollar: 'select id, content_hash, flags from responses where id = any($1::text[])',
}

/** What ingest needs to tell a replay from a conflict. */
export async function findStoredHashes(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, { hash: string; flags: string }>> {
  const out = new Map<string, { hash: string; flags: string }>()
  if (ids.length === 0) return out
  // One statement text whatever the batch size (an `in (?, ?, …)` list was a new statement per size,
  // built by the query builder value by value on every sync call): the ids travel as one parameter.
  const rows =
    styleOf(db) === 'qmark'
      ? await runFixed<StoredHash>(db, STORED_HASHES, [JSON.stringify(ids)])
      : await runFixed<StoredHash>(db, STORED_HASHES, [ids])
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
  'serial',
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
const EXPORT_COLUMNS = [...TALLY_COLUMNS, 'received_at', 'content_hash', 'serial'] as const

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

/** A campaign's responses newest first (by id: UUIDv7, time-ordered), before `beforeId` ('' for the newest). */
export function pageResponsesNewestFirst(db: Kysely<Database>, campaignId: string, beforeId: string, limit: number) {
  let q = db
    .selectFrom('responses')
    .select(['id', 'community_id', 'channel', 'questionnaire_version', 'submitted_at', 'answers_json'])
    .where('campaign_id', '=', campaignId)
  if (beforeId !== '') q = q.where('id', '<', beforeId)
  return q.orderBy('id', 'desc').limit(limit).execute()
}
