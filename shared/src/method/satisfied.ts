import type { SatisfiedSet } from '../schemas/campaign.ts'
import type { Scale } from '../schemas/questionnaire.ts'
import { MethodError } from './errors.ts'

/** A satisfied set made concrete on one scale: the best `k` options. */
export interface ResolvedSatisfiedSet {
  k: number
  scores: number[]
  /** zh labels, best first: what every report prints as "the satisfied set". */
  labels: string[]
}

/**
 * METHOD.md §2. `topN` or explicit scores, which must be exactly the scale's best N options (any
 * order). The worst option can never count as satisfied, so N must be below the number of options.
 * @throws MethodError `satisfied_set_invalid`
 */
export function resolveSatisfiedSet(set: SatisfiedSet, scale: Scale): ResolvedSatisfiedSet {
  const size = scale.options.length
  let k: number
  if (typeof set === 'string') {
    k = Number(set.slice(3))
  } else {
    k = new Set(set).size
    const best = new Set(scale.options.slice(0, k).map((o) => o.score))
    if (k !== set.length || !set.every((s) => best.has(s)))
      throw new MethodError(
        'satisfied_set_invalid',
        `satisfied scores [${set.join(', ')}] are not the best ${set.length} options of the scale [${scale.options.map((o) => o.score).join(', ')}]`,
      )
  }
  if (!(k >= 1 && k < size))
    throw new MethodError(
      'satisfied_set_invalid',
      `a satisfied set of ${k} options needs a scale of more than ${k} options (this one has ${size})`,
    )
  const best = scale.options.slice(0, k)
  return { k, scores: best.map((o) => o.score), labels: best.map((o) => o.label.zh) }
}
