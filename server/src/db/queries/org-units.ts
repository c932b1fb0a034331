import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { OrgUnitsTable } from '../tables-core.ts'

export type OrgUnitRow = Selectable<OrgUnitsTable>

export async function insertOrgUnit(db: Kysely<Database>, row: OrgUnitRow): Promise<void> {
  await db.insertInto('org_units').values(row).execute()
}

export async function updateOrgUnit(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Pick<OrgUnitRow, 'name' | 'code' | 'population' | 'parent_id'>>,
): Promise<boolean> {
  // An empty patch (`PATCH` with `{}`) would be `UPDATE … SET` with nothing to set: invalid SQL.
  if (Object.values(patch).every((v) => v === undefined)) return (await getOrgUnit(db, id)) !== undefined
  const r = await db.updateTable('org_units').set(patch).where('id', '=', id).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export function listOrgUnits(db: Kysely<Database>): Promise<OrgUnitRow[]> {
  return db.selectFrom('org_units').selectAll().orderBy('kind').orderBy('code').execute()
}

export function getOrgUnit(db: Kysely<Database>, id: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst()
}

export function getOrgUnitByCode(db: Kysely<Database>, code: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function getOrgUnits(db: Kysely<Database>, ids: readonly string[]): Promise<OrgUnitRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('org_units').selectAll().where('id', 'in', ids).execute()
}
