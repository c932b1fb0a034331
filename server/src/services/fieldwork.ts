import { addHousehold, emptyOutcomeCounts, type FieldworkTally, finalVisits, type VisitInput } from '@minyi/shared/method'
import { VisitOutcome } from '@minyi/shared/schemas'
import { listFieldworkCells, pageVisitsByHousehold } from '../db/queries/visits.ts'
import type { Deps } from './deps.ts'

/** The kept households-by-final-outcome counts of a campaign (a few rows), as the method's FieldworkTally. */
export async function keptFieldwork(deps: Deps, campaignId: string): Promise<FieldworkTally> {
  const out: FieldworkTally = {}
  for (const row of await listFieldworkCells(deps.db.db, campaignId)) {
    const count = Number(row.count)
    if (count === 0) continue
    const counts = out[row.community_id] ?? emptyOutcomeCounts()
    counts[VisitOutcome.parse(row.outcome)] += count
    out[row.community_id] = counts
  }
  return out
}

/**
 * The same from the raw visits: read household by household (bounded pages), each household's final
 * visit found by the shared method (`finalVisits`), then counted. The kept counts are not read.
 */
export async function recomputeFieldwork(deps: Deps, campaignId: string, pageSize = 5000): Promise<FieldworkTally> {
  const out: FieldworkTally = {}
  let household: VisitInput[] = []
  const flush = () => {
    for (const final of finalVisits(household).values()) addHousehold(out, final)
    household = []
  }
  let after: { householdKey: string; id: string } | null = null
  for (;;) {
    const page = await pageVisitsByHousehold(deps.db.db, campaignId, after, pageSize)
    for (const v of page) {
      if (household.length > 0 && household[0]?.householdKey !== v.household_key) flush()
      household.push({
        id: v.id,
        communityId: v.community_id,
        householdKey: v.household_key,
        outcome: VisitOutcome.parse(v.outcome),
        visitedAt: v.visited_at,
      })
    }
    const last = page[page.length - 1]
    if (!last || page.length < pageSize) break
    after = { householdKey: last.household_key, id: last.id }
  }
  flush()
  return out
}
