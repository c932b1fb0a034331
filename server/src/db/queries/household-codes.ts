import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { HouseholdCodesTable } from '../tables-core.ts'

export type HouseholdCodeRow = Selectable<HouseholdCodesTable>

export async function insertHouseholdCodes(db: Kysely<Database>, rows: HouseholdCodeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('household_codes')
      .values(rows.slice(i, i + 500))
      .execute()
}

/**
 * Marks the code used if it is unused and printed for `communityId`; true when this call used it (the
 * row lock makes it single-use across instances).
 */
export async function useHouseholdCode(
  db: Kysely<Database>,
  campaignId: string,
  communityId: string,
  codeHash: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('household_codes')
    .set({ used_at: at })
    .where('code_hash', '=', codeHash)
    .where('campaign_id', '=', campaignId)
    .where('community_id', '=', communityId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function getHouseholdCode(db: Kysely<Database>, campaignId: string, codeHash: string): Promise<HouseholdCodeRow | undefined> {
  return db
    .selectFrom('household_codes')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
}
