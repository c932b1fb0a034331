import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { ConflictsTable } from '../tables-core.ts'

/** A payload that came under a stored response's id with other content (the stored one is never changed). */
export type ConflictRow = Selectable<ConflictsTable>

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
