import { Z95 } from './wilson.ts'

export interface SampleSizeInput {
  /** Margin of error e (default 0.05). */
  margin?: number
  /** Anticipated proportion (default 0.5, the most demanding). */
  p?: number
  /** Finite population N; null or ≤ 0 means no correction. */
  population?: number | null
  /** Design effect, when known (default 1). */
  deff?: number
  /** Expected share of received questionnaires that will be valid (default 1). */
  validRate?: number
}

// Products like 357.00000000000006 must not round up to 358: ignore a surplus below this.
const CEIL_SLACK = 1e-9

/**
 * METHOD.md §6: n0 = z²·p(1−p)/e²; with N, n = n0 / (1 + (n0 − 1)/N); × deff ÷ expected valid
 * rate; rounded up. Returns the required number of valid questionnaires.
 */
export function requiredSampleSize({ margin = 0.05, p = 0.5, population = null, deff = 1, validRate = 1 }: SampleSizeInput = {}): number {
  const n0 = (Z95 * Z95 * p * (1 - p)) / (margin * margin)
  const n = population !== null && population > 0 ? n0 / (1 + (n0 - 1) / population) : n0
  return Math.ceil((n * deff) / validRate - CEIL_SLACK)
}
