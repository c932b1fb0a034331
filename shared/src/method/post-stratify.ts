/** One stratum (community): its population N_h (residents or households) and its valid sample. */
export interface Stratum<Id> {
  id: Id
  population: number | null
  /** Valid questionnaires with a rating on the basis. */
  n: number
  /** Satisfied among them (a sum of shares for items_mean). */
  x: number
}

export interface PostStratified<Id> {
  rate: number | null
  se: number | null
  /** Strata with a population (> 0) and no valid questionnaire: left out of N'. */
  coverageGaps: Id[]
  /** Strata with valid questionnaires but no population: while any exists there is no p_ps. */
  missingPopulation: Id[]
}

/**
 * METHOD.md §5: p_ps = Σ_h (N_h / N')·p_h over strata with data, N' their total population;
 * se = sqrt(Σ (N_h/N')²·p_h(1−p_h)/n_h). Null when any stratum with data lacks a population,
 * when no stratum has data, or when N' is 0. Strata are taken in the order given.
 */
export function postStratify<Id>(strata: readonly Stratum<Id>[]): PostStratified<Id> {
  const withData = strata.filter((s) => s.n > 0)
  const coverageGaps = strata.filter((s) => s.n <= 0 && s.population !== null && s.population > 0).map((s) => s.id)
  const missingPopulation = withData.filter((s) => s.population === null).map((s) => s.id)
  const total = withData.reduce((a, s) => a + (s.population ?? 0), 0)
  if (withData.length === 0 || missingPopulation.length > 0 || !(total > 0))
    return { rate: null, se: null, coverageGaps, missingPopulation }
  let rate = 0
  let variance = 0
  for (const s of withData) {
    const w = (s.population ?? 0) / total
    const p = Math.min(1, Math.max(0, s.x / s.n))
    rate += w * p
    variance += (w * w * p * (1 - p)) / s.n
  }
  return { rate: Math.min(1, Math.max(0, rate)), se: Math.sqrt(variance), coverageGaps, missingPopulation }
}
