/** METHOD.md §9: a rate on fewer valid questionnaires than this is marked small-sample everywhere. */
export const SMALL_SAMPLE = 30

export function isSmallSample(valid: number): boolean {
  return valid < SMALL_SAMPLE
}

/** 0.866310… → "86.63%" (METHOD.md §9); "—" when there is no rate. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`
}

/** Scores are rounded to 2 decimals for display only (METHOD.md §8): 9.62566… → "9.63". */
export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2)
}

/** A 95% interval as two rates (METHOD.md §9): [0.81, 0.9078] → "81.00%–90.78%"; "—" when there is none. */
export function formatInterval(ci: readonly [number, number] | null, sep = '–'): string {
  return ci === null ? '—' : `${formatRate(ci[0])}${sep}${formatRate(ci[1])}`
}
