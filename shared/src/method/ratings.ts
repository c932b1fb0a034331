import type { Scale } from '../schemas/questionnaire.ts'
import { NA } from './scales.ts'
import { type Interval, proportion, wilson } from './wilson.ts'

/** Answers to one rating item counted by raw score (`"4"`) or `"na"`: the shape of the tally and the vectors. */
export type ScoreCounts = Readonly<Record<string, number>>

export interface RatingSummary {
  /** Rated (non-`na`) answers: the denominator. */
  n: number
  na: number
  /** Satisfied answers. */
  x: number
  rate: number | null
  ci95: Interval | null
  /** Cumulative rates of the best 1, 2, … K-1 options; empty when n is 0. */
  topK: number[]
  /** [score, count] for every option best first, then any score off the scale (an older version's), highest first. */
  distribution: [number, number][]
}

/**
 * METHOD.md §2 and §4 for one item: the share of rated answers among the scale's best `k` options.
 * A score that is not on the scale (possible only from an older questionnaire version) is still a
 * rating: it is in `n`, never satisfied, and listed after the scale's options in `distribution`.
 */
export function summarizeRatings(scale: Scale, counts: ScoreCounts, k: number): RatingSummary {
  let n = 0
  const byScore = new Map<number, number>()
  for (const key of Object.keys(counts).sort()) {
    const c = counts[key] ?? 0
    if (key === NA || c === 0) continue
    const score = Number(key)
    if (!Number.isFinite(score)) continue
    byScore.set(score, (byScore.get(score) ?? 0) + c)
    n += c
  }
  const onScale = new Set(scale.options.map((o) => o.score))
  const distribution: [number, number][] = scale.options.map((o) => [o.score, byScore.get(o.score) ?? 0])
  const off = [...byScore.keys()].filter((s) => !onScale.has(s)).sort((a, b) => b - a)
  for (const s of off) distribution.push([s, byScore.get(s) ?? 0])

  const cumulative: number[] = []
  let running = 0
  for (const [, c] of distribution.slice(0, scale.options.length - 1)) {
    running += c
    cumulative.push(running)
  }
  const x = cumulative[k - 1] ?? 0
  return {
    n,
    na: counts[NA] ?? 0,
    x,
    rate: proportion(x, n),
    ci95: wilson(x, n),
    topK: n > 0 ? cumulative.map((c) => c / n) : [],
    distribution,
  }
}
