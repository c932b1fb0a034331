import type { IndicatorConfig } from '../schemas/campaign.ts'
import type { Question, RatingQuestion, Scale } from '../schemas/questionnaire.ts'
import { MethodError } from './errors.ts'
import { type ResolvedSatisfiedSet, resolveSatisfiedSet } from './satisfied.ts'
import { overallQuestion, ratingQuestions } from './scales.ts'
import { indexWeights } from './weighted-index.ts'

/** The config made concrete on the current questionnaire version. */
export interface FittedConfig {
  /** The overall item (basis `overall`), if the questionnaire has one. */
  overall: RatingQuestion | undefined
  rating: RatingQuestion[]
  /** The scale the report's satisfied set and top-k rates are stated on: the overall item's, else the first rating item's. */
  referenceScale: Scale
  satisfied: ResolvedSatisfiedSet
  /** The satisfied set on each rating item's own scale, by question id. */
  satisfiedByItem: Map<string, ResolvedSatisfiedSet>
}

/**
 * Checks that the indicator config fits the questionnaire and resolves it. The server should call
 * it when a config or questionnaire is saved, so the indicator itself never fails.
 * - basis `overall` needs a rating question marked overall; `items_mean` needs a rating question;
 * - the satisfied set must fit every rating item's scale (an explicit score list must be the best
 *   N options of each), so item rates and the items_mean share mean the same thing everywhere;
 * - explicit weighted-index weights need one weight per option of every basis item.
 * @throws MethodError `basis_item_missing` | `satisfied_set_invalid` | `weights_mismatch`
 */
export function assertConfigFits(config: IndicatorConfig, questions: readonly Question[]): FittedConfig {
  const rating = ratingQuestions(questions)
  const overall = overallQuestion(questions)
  if (config.basis === 'overall' && !overall)
    throw new MethodError('basis_item_missing', 'the basis is the overall item, and no rating question is marked overall')
  const reference = overall ?? rating[0]
  if (!reference) throw new MethodError('basis_item_missing', 'the basis is the mean over rating items, and there is no rating question')
  const satisfiedByItem = new Map(rating.map((q) => [q.id, resolveSatisfiedSet(config.satisfiedSet, q.scale)] as const))
  if (config.weightedIndex) {
    const basisItems = config.basis === 'overall' ? [reference] : rating
    for (const q of basisItems) indexWeights(config.weightedIndex, q.scale.options.length)
  }
  return {
    overall,
    rating,
    referenceScale: reference.scale,
    satisfied: resolveSatisfiedSet(config.satisfiedSet, reference.scale),
    satisfiedByItem,
  }
}
