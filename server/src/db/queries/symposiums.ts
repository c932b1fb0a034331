import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { SymposiumsTable } from '../tables-core.ts'

export type SymposiumRow = Selectable<SymposiumsTable>

export async function findSymposiums(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Pick<SymposiumRow, 'campaign_id' | 'content_hash' | 'community_id' | 'street_id'>>> {
  const out = new Map<string, Pick<SymposiumRow, 'campaign_id' | 'content_hash' | 'community_id' | 'street_id'>>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('symposiums')
    .select(['id', 'campaign_id', 'content_hash', 'community_id', 'street_id'])
    .where('id', 'in', ids)
    .execute()
  for (const r of rows) out.set(r.id, r)
  return out
}

export async function insertSymposiums(db: Kysely<Database>, rows: SymposiumRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('symposiums').values(rows).execute()
}

export function listSymposiums(db: Kysely<Database>, campaignId: string): Promise<SymposiumRow[]> {
  return db.selectFrom('symposiums').selectAll().where('campaign_id', '=', campaignId).orderBy('date').execute()
}

export function getSymposium(db: Kysely<Database>, id: string): Promise<SymposiumRow | undefined> {
  return db.selectFrom('symposiums').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Rating sheets received per symposium of a campaign (responses carrying its id). */
export async function countSheets(db: Kysely<Database>, symposiumIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (symposiumIds.length === 0) return out
  const rows = await db
    .selectFrom('responses')
    .select(['symposium_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('symposium_id', 'in', symposiumIds)
    .groupBy('symposium_id')
    .execute()
  for (const r of rows) if (r.symposium_id) out.set(r.symposium_id, Number(r.n))
  return out
}

/** The symposium's own QR link, if one was made. */
export function getSymposiumLink(db: Kysely<Database>, symposiumId: string): Promise<{ token: string } | undefined> {
  return db.selectFrom('link_tokens').select('token').where('symposium_id', '=', symposiumId).executeTakeFirst()
}

/** The QR links of these symposiums, by symposium id. */
export async function getSymposiumLinks(db: Kysely<Database>, symposiumIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (symposiumIds.length === 0) return out
  const rows = await db.selectFrom('link_tokens').select(['symposium_id', 'token']).where('symposium_id', 'in', symposiumIds).execute()
  for (const r of rows) if (r.symposium_id) out.set(r.symposium_id, r.token)
  return out
}
