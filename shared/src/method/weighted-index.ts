import type { WeightedIndexConfig } from '../schemas/campaign.ts'
import { MethodError } from './errors.ts'

/** The national statistics bureau's weights for a 5-level scale, best first. */
export const NBS_WEIGHTS_5 = [100, 80, 60, 30, 0] as const

/**
 * Per-option weights, best first, for a scale of `size` options (METHOD.md §7).
 * - `linear`: evenly spaced from 100 down in steps of 100/size, so the lowest weight is 100/size
 *   (5 → 100/80/60/40/20, 4 → 100/75/50/25, 3 → 100/66.7/33.3).
 * - `nbs`: defined for 5 levels (100/80/60/30/0). For other sizes the 5-level curve is read as a
 *   piecewise-linear function of the option's position in [0, 1] and sampled at evenly spaced
 *   positions, so the best option is always 100 and the worst 0 (3 → 100/60/0, 4 → 100/73.3/40/0).
 * - explicit weights must have one weight per option.
 * @throws MethodError `weights_mismatch`
 */
export function indexWeights(config: WeightedIndexConfig, size: number): number[] {
  if ('weights' in config) {
    if (config.weights.length !== size)
      throw new MethodError('weights_mismatch', `${config.weights.length} weights given for a scale of ${size} options`)
    return [...config.weights]
  }
  if (config.preset === 'linear') return Array.from({ length: size }, (_, i) => 100 - (i * 100) / size)
  if (size === NBS_WEIGHTS_5.length) return [...NBS_WEIGHTS_5]
  const last = NBS_WEIGHTS_5.length - 1
  return Array.from({ length: size }, (_, i) => {
    const at = size > 1 ? (i / (size - 1)) * last : 0
    const lo = Math.floor(at)
    const hi = Math.min(last, lo + 1)
    const a = NBS_WEIGHTS_5[lo] ?? 0
    const b = NBS_WEIGHTS_5[hi] ?? 0
    return a + (b - a) * (at - lo)
  })
}

/** index = Σ share_k·w_k over the options (counts and weights best first); null with no rated answer. */
export function weightedIndex(countsBestFirst: readonly number[], weights: readonly number[]): number | null {
  const total = countsBestFirst.reduce((a, c) => a + c, 0)
  if (!(total > 0)) return null
  return countsBestFirst.reduce((a, c, i) => a + (c / total) * (weights[i] ?? 0), 0)
}
