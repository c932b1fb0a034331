import { FLAGS, type IndicatorConfig } from '../schemas/campaign.ts'
import type { ClusterSums } from './design.ts'
import { flagsOfKey, type TallyCell } from './tally.ts'

/**
 * Why a cell's responses are not valid under the config, or null when they are. One reason per
 * response, hard reasons first: the stored one (test, evaluator_excluded), then missing_basis, then
 * the first of the response's flags (in `FLAGS` order) that the config's excludeFlags names —
 * unless an evaluator reviewed the response and kept it.
 */
export function exclusionReason(cell: TallyCell, config: IndicatorConfig): string | null {
  if (cell.exclusionKey !== '') return cell.exclusionKey
  const missingBasis = config.basis === 'overall' ? cell.basisKey !== 'overall' : cell.basisKey === 'none'
  if (missingBasis) return 'missing_basis'
  if (cell.reviewKey === 'include' || config.excludeFlags.length === 0) return null
  const flags = new Set(flagsOfKey(cell.flagsKey))
  return FLAGS.find((f) => flags.has(f) && config.excludeFlags.includes(f)) ?? null
}

const count = (cell: Pick<TallyCell, 'counts'>, metric: string): number => cell.counts[metric] ?? 0

/**
 * Σ share and Σ share² of the items_mean basis with the satisfied set of the k best options, from
 * the `mean:k<k>:<s>/<r>` rationals (keys in sorted order, so the floating sum is reproducible).
 * A response without a key for k answered a version whose scales have at most k options: all its
 * rated items are among the k best, so its share is 1.
 */
export function meanShareSums(cell: Pick<TallyCell, 'counts'>, k: number): ClusterSums {
  const n = count(cell, 'n') - count(cell, 'mean:none')
  const prefix = `mean:k${k}:`
  let covered = 0
  let sum = 0
  let sumSq = 0
  for (const metric of Object.keys(cell.counts).sort()) {
    if (!metric.startsWith(prefix)) continue
    const c = count(cell, metric)
    const [s, r] = metric.slice(prefix.length).split('/').map(Number)
    const share = (s ?? 0) / (r ?? 1)
    covered += c
    sum += c * share
    sumSq += c * share * share
  }
  const rest = n - covered
  return { n, sum: sum + rest, sumSq: sumSq + rest }
}

/**
 * The overall basis: n rated answers to the overall item, sum = those among the satisfied scores (0/1 each).
 * Every response counts `n` and exactly one `overall:` metric (a score, `na` or `missing`), so the
 * rated ones are n − na − missing: a few lookups per cell, not a pass over its metrics.
 */
export function overallSums(cell: TallyCell, satisfiedScores: readonly number[]): ClusterSums {
  const counts = cell.counts
  const n = (counts.n ?? 0) - (counts['overall:na'] ?? 0) - (counts['overall:missing'] ?? 0)
  let sum = 0
  for (const s of satisfiedScores) sum += counts[`overall:${s}`] ?? 0
  return { n, sum, sumSq: sum }
}

export function basisSums(cell: TallyCell, config: IndicatorConfig, k: number, satisfiedScores: readonly number[]): ClusterSums {
  return config.basis === 'overall' ? overallSums(cell, satisfiedScores) : meanShareSums(cell, k)
}

export function addSums(a: ClusterSums, b: ClusterSums): ClusterSums {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq }
}

export const ZERO_SUMS: ClusterSums = { n: 0, sum: 0, sumSq: 0 }

/** Adds every metric's count of `counts` into `into` in place (integers, so the order does not matter). */
export function addCountsInto(into: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const metric in counts) into[metric] = (into[metric] ?? 0) + (counts[metric] ?? 0)
}

/** One metric family of summed counts, keyed by what follows the prefix (e.g. `item:q1:` → `{ "5": 40, "na": 3 }`). */
export function countsWithPrefix(counts: Readonly<Record<string, number>>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const metric of Object.keys(counts).sort())
    if (metric.startsWith(prefix)) out[metric.slice(prefix.length)] = (out[metric.slice(prefix.length)] ?? 0) + (counts[metric] ?? 0)
  return out
}
