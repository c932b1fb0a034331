import { type Interval, proportion, wilsonInterval } from './wilson.ts'

/**
 * One cluster (community) of the basis variable y in [0, 1] per valid questionnaire: y is 0/1 for
 * the overall basis and the questionnaire's satisfied share for items_mean.
 */
export interface ClusterSums {
  n: number
  /** Σ y */
  sum: number
  /** Σ y²; equal to `sum` when y is 0/1. */
  sumSq: number
}

export interface DesignEffect {
  rho: number
  deff: number
  nEff: number
  rate: number | null
  ci95Design: Interval | null
}

/**
 * METHOD.md §5: intra-class correlation by one-way ANOVA,
 * ρ = (MSB − MSW) / (MSB + (m0 − 1)·MSW), m0 = (n − Σ n_h²/n) / (k − 1), over clusters with data.
 * ρ is 0 with fewer than 2 clusters, when it would be negative, or when it is undefined (no
 * within-cluster degrees of freedom or no variance at all); it is at most 1.
 */
export function intraClassCorrelation(clusters: readonly ClusterSums[]): number {
  const groups = clusters.filter((c) => c.n > 0)
  const k = groups.length
  const n = groups.reduce((a, g) => a + g.n, 0)
  if (k < 2 || n - k <= 0) return 0
  const grand = groups.reduce((a, g) => a + g.sum, 0) / n
  let ssb = 0
  let ssw = 0
  let sumN2 = 0
  for (const g of groups) {
    const mean = g.sum / g.n
    ssb += g.n * (mean - grand) ** 2
    // Σ (y − ȳ_h)² = Σ y² − n_h·ȳ_h²; never below 0 whatever the rounding.
    ssw += Math.max(0, g.sumSq - g.n * mean * mean)
    sumN2 += g.n * g.n
  }
  const msb = ssb / (k - 1)
  const msw = ssw / (n - k)
  const m0 = (n - sumN2 / n) / (k - 1)
  const denom = msb + (m0 - 1) * msw
  if (!(denom > 0)) return 0
  return Math.min(1, Math.max(0, (msb - msw) / denom))
}

/** deff = 1 + (m̄ − 1)·ρ with m̄ = n / k; n_eff = n / deff; Wilson with n_eff in place of n. */
export function designEffect(clusters: readonly ClusterSums[]): DesignEffect {
  const groups = clusters.filter((c) => c.n > 0)
  const n = groups.reduce((a, g) => a + g.n, 0)
  const x = groups.reduce((a, g) => a + g.sum, 0)
  const rho = intraClassCorrelation(groups)
  const mBar = groups.length > 0 ? n / groups.length : 0
  const deff = Math.max(1, 1 + (mBar - 1) * rho)
  const nEff = n / deff
  const rate = proportion(x, n)
  return { rho, deff, nEff, rate, ci95Design: rate === null ? null : wilsonInterval(rate, nEff) }
}
