/** Two-sided 95% normal quantile, as METHOD.md §5 fixes it. */
export const Z95 = 1.959964

export type Interval = [number, number]

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v))

/**
 * Wilson score interval for a proportion `p` observed on `n` (which may be fractional, e.g. an
 * effective sample size). Null at n <= 0: there is no rate, and no division by zero.
 */
export function wilsonInterval(p: number, n: number, z: number = Z95): Interval | null {
  if (!(n > 0)) return null
  p = clamp01(p)
  const z2 = z * z
  const centre = p + z2 / (2 * n)
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  const denom = 1 + z2 / n
  // The interval contains p by construction; keep it so when rounding says otherwise (p = 0, large n).
  return [clamp01(Math.min(p, (centre - half) / denom)), clamp01(Math.max(p, (centre + half) / denom))]
}

/** Wilson interval for `x` satisfied among `n` (x may be a sum of shares for the items_mean basis). */
export function wilson(x: number, n: number, z: number = Z95): Interval | null {
  return n > 0 ? wilsonInterval(x / n, n, z) : null
}

/** x / n, or null when n is 0; clamped to [0, 1] against floating error in sums of shares. */
export function proportion(x: number, n: number): number | null {
  return n > 0 ? clamp01(x / n) : null
}
