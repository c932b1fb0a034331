import type { IndicatorConfig } from '../schemas/campaign.ts'
import type { Indicator } from '../schemas/indicator.ts'
import type { Question } from '../schemas/questionnaire.ts'
import { MethodError } from './errors.ts'
import { fieldworkTally, type VisitInput } from './fieldwork.ts'
import { type CommunityInput, indicatorFromTally } from './indicator.ts'
import { addResponseInto, emptyTally, type Tally, type TallyResponseInput } from './tally.ts'

export interface QuestionnaireVersionInput {
  version: number
  questions: readonly Question[]
}

export interface ComputeIndicatorInput {
  config: IndicatorConfig
  /** Every version the responses answered; the highest is the current published one. */
  questionnaires: readonly QuestionnaireVersionInput[]
  communities: readonly CommunityInput[]
  responses: readonly TallyResponseInput[]
  /** Door-to-door visits (METHOD.md §11). */
  visits?: readonly VisitInput[]
}

/** Tallies every response against its own questionnaire version and every visit, then `indicatorFromTally`. */
export function computeIndicator({ config, questionnaires, communities, responses, visits = [] }: ComputeIndicatorInput): Indicator {
  return indicatorFromTally({
    config,
    questions: currentQuestions(questionnaires),
    communities,
    tally: tallyAll(questionnaires, responses),
    fieldwork: fieldworkTally(visits),
  })
}

/**
 * The tally of many responses (each against its own version; a response without a version uses the current one).
 * @throws MethodError `questionnaire_version_unknown`
 */
export function tallyAll(questionnaires: readonly QuestionnaireVersionInput[], responses: readonly TallyResponseInput[]): Tally {
  const byVersion = new Map(questionnaires.map((q) => [q.version, q.questions]))
  const current = currentQuestions(questionnaires)
  const out = emptyTally()
  for (const r of responses) {
    const questions = r.questionnaireVersion === undefined ? current : byVersion.get(r.questionnaireVersion)
    if (!questions)
      throw new MethodError('questionnaire_version_unknown', `response ${r.id ?? ''} answered unknown version ${r.questionnaireVersion}`)
    addResponseInto(out, questions, r)
  }
  return out
}

function currentQuestions(questionnaires: readonly QuestionnaireVersionInput[]): readonly Question[] {
  const latest = [...questionnaires].sort((a, b) => b.version - a.version)[0]
  if (!latest) throw new MethodError('questionnaire_version_unknown', 'no questionnaire version given')
  return latest.questions
}
