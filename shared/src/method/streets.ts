import type { IndicatorConfig } from '../schemas/campaign.ts'
import type { StreetRate } from '../schemas/indicator.ts'
import type { VisitOutcome } from '../schemas/visit.ts'
import { addOutcomeCounts, emptyOutcomeCounts, type FieldworkTally, fieldworkFigures } from './fieldwork.ts'
import { type CommunityInput, groupRate, type JudgedCell } from './indicator-parts.ts'
import { postStratify, type Stratum } from './post-stratify.ts'
import { requiredSampleSize } from './sample-size.ts'

export interface StreetLinesInput {
  /** Every community of byCommunity, in its order. */
  communityIds: readonly string[]
  known: ReadonlyMap<string, CommunityInput>
  /** The pooled cells of each community, in key order. */
  cellsOf: ReadonlyMap<string, readonly JudgedCell[]>
  /** Each community's valid sample on the basis (the strata of the overall post-stratification). */
  strata: ReadonlyMap<string, Stratum<string>>
  fieldwork: FieldworkTally
  config: IndicatorConfig
}

/**
 * `byStreet`: one line per street (街道), in the order its first community comes in byCommunity;
 * communities with no known street (outside the scope, or without a parent) make the line with
 * streetId null. Each line pools its communities' cells (rate x/n over them, Wilson interval),
 * post-stratifies within the street by their populations (METHOD.md §5, the street's communities
 * as strata), and carries:
 * - population: the sum of its communities' populations when every one has one, else null;
 * - quota: the sum of their quotas when every one has one, else null;
 * - sampleSize: as a community's, at the street's population with deff 1 (null without one);
 * - fieldwork: its communities' households together.
 * Work is one pass over the communities and their cells.
 */
export function streetLines({ communityIds, known, cellsOf, strata, fieldwork, config }: StreetLinesInput): StreetRate[] {
  const streets = new Map<string | null, string[]>()
  for (const id of communityIds) {
    const street = known.get(id)?.streetId ?? null
    const members = streets.get(street)
    if (members) members.push(id)
    else streets.set(street, [id])
  }
  const { margin, p, expectedValidRate } = config.sampleSize
  return [...streets].map(([streetId, members]) => {
    const cells: JudgedCell[] = []
    const outcomes: Record<VisitOutcome, number> = emptyOutcomeCounts()
    let population: number | null = 0
    let quota: number | null = 0
    for (const id of members) {
      for (const j of cellsOf.get(id) ?? []) cells.push(j)
      const counts = fieldwork[id]
      if (counts) addOutcomeCounts(outcomes, counts)
      const community = known.get(id)
      const pop = community?.population ?? null
      population = population === null || pop === null || !(pop > 0) ? null : population + pop
      const q = community?.quota ?? null
      quota = quota === null || q === null ? null : quota + q
    }
    const group = groupRate(cells)
    const required = population === null ? null : requiredSampleSize({ margin, p, population, deff: 1, validRate: expectedValidRate })
    return {
      streetId,
      communityIds: members,
      population,
      quota,
      ...group,
      sampleSize: required === null ? null : { required, adequate: group.valid >= required },
      fieldwork: fieldworkFigures(outcomes),
      postStratified: postStratify(
        members.map((id) => strata.get(id) ?? { id, population: known.get(id)?.population ?? null, n: 0, x: 0 }),
      ),
    }
  })
}
