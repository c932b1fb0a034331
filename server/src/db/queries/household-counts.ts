import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'

/** Rows per multi-row statement. */
const INSERT_CHUNK = 100

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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
