import type { ScoringRule } from '../schemas/campaign.ts'

// A rate computed as a sum of shares can land a hair under a tier it reaches exactly.
const TIER_TOLERANCE = 1e-12

export interface ScoreInput {
  scoring: ScoringRule
  rate: number | null
  target: number
  weight: number
}

/**
 * METHOD.md §8. `proportional`: weight × min(1, rate / target). `tiers`: the first tier (highest
 * minRate first, whatever order they are given in) that the rate reaches, else 0. Null without a rate.
 * Full precision: round only for display (`formatScore`).
 */
export function indicatorScore({ scoring, rate, target, weight }: ScoreInput): number | null {
  if (rate === null) return null
  if (scoring.rule === 'proportional') return weight * Math.min(1, rate / target)
  const tiers = [...scoring.tiers].sort((a, b) => b.minRate - a.minRate)
  return tiers.find((t) => rate + TIER_TOLERANCE >= t.minRate)?.score ?? 0
}
