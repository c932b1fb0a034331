import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { FollowUpChangesTable, RemarksTable } from '../tables-ledger.ts'

// SQL of the 整改台账: remarks and the changes of their follow-ups.

export type RemarkRow = Selectable<RemarksTable>
export type FollowUpChangeRow = Selectable<FollowUpChangesTable>

/** Stored remarks by id: what ingest needs to tell a replay, a conflict, and whom a follow-up concerns. */
export async function findRemarks(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Pick<RemarkRow, 'id' | 'campaign_id' | 'community_id' | 'street_id' | 'content_hash'>>> {
  const out = new Map<string, Pick<RemarkRow, 'id' | 'campaign_id' | 'community_id' | 'street_id' | 'content_hash'>>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('remarks')
    .select(['id', 'campaign_id', 'community_id', 'street_id', 'content_hash'])
    .where('id', 'in', ids)
    .execute()
  for (const r of rows) out.set(r.id, r)
  return out
}

/** Stored follow-up changes by id. */
export async function findChanges(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Pick<FollowUpChangeRow, 'id' | 'remark_id' | 'status' | 'content_hash'>>> {
  const out = new Map<string, Pick<FollowUpChangeRow, 'id' | 'remark_id' | 'status' | 'content_hash'>>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('follow_up_changes')
    .select(['id', 'remark_id', 'status', 'content_hash'])
    .where('id', 'in', ids)
    .execute()
  for (const r of rows) out.set(r.id, r)
  return out
}

export async function insertRemarks(db: Kysely<Database>, rows: RemarkRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('remarks').values(rows).execute()
}

export async function insertChanges(db: Kysely<Database>, rows: FollowUpChangeRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('follow_up_changes').values(rows).execute()
}

export function listRemarks(db: Kysely<Database>, campaignId: string): Promise<RemarkRow[]> {
  return db.selectFrom('remarks').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute()
}

/** Every change of a campaign's follow-ups, with the name of the staff member who made it. */
export function listChanges(db: Kysely<Database>, campaignId: string): Promise<(FollowUpChangeRow & { by: string | null })[]> {
  return db
    .selectFrom('follow_up_changes as f')
    .leftJoin('staff_users as u', 'u.id', 'f.user_id')
    .selectAll('f')
    .select('u.name as by')
    .where('f.campaign_id', '=', campaignId)
    .orderBy('f.changed_at')
    .orderBy('f.id')
    .execute()
}

/** Public remarks of symposiums held in this community or in its street. */
export function listPublicRemarks(
  db: Kysely<Database>,
  campaignId: string,
  communityId: string,
  streetId: string | null,
): Promise<RemarkRow[]> {
  return db
    .selectFrom('remarks')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('public', '=', 1)
    .where((eb) =>
      streetId ? eb.or([eb('community_id', '=', communityId), eb('street_id', '=', streetId)]) : eb('community_id', '=', communityId),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .execute()
}

export function listRemarkChanges(db: Kysely<Database>, remarkIds: readonly string[]): Promise<FollowUpChangeRow[]> {
  if (remarkIds.length === 0) return Promise.resolve([])
  return db.selectFrom('follow_up_changes').selectAll().where('remark_id', 'in', remarkIds).execute()
}

export function getRemark(db: Kysely<Database>, id: string): Promise<RemarkRow | undefined> {
  return db.selectFrom('remarks').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function setRemarkPublic(db: Kysely<Database>, id: string, pub: boolean, at: string, by: string): Promise<void> {
  await db
    .updateTable('remarks')
    .set({ public: pub ? 1 : 0, public_changed_at: at, public_by: by })
    .where('id', '=', id)
    .execute()
}

/** Remarks per symposium (recorded with it and added later). */
export async function countRemarks(db: Kysely<Database>, symposiumIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (symposiumIds.length === 0) return out
  const rows = await db
    .selectFrom('remarks')
    .select(['symposium_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('symposium_id', 'in', symposiumIds)
    .groupBy('symposium_id')
    .execute()
  for (const r of rows) out.set(r.symposium_id, Number(r.n))
  return out
}
