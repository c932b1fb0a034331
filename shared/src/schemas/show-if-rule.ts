import type { Question } from './questionnaire.ts'

/**
 * What a questionnaire's author may write as a show-if (PRODUCT.md: a question is shown when an
 * earlier choice has given values): the question it names must come *earlier* and be a single or
 * multiple choice, and the values must be among that question's options (at least one). So show-ifs
 * never form a cycle and a resident's form can always be filled from top to bottom.
 *
 * The console's questionnaire editor shows these problems while one edits; the server refuses a draft
 * that has any (`PUT …/questionnaire` and publish answer `show_if_invalid`, one detail per question,
 * path `questions.<i>.showIf`, message the reason). It is not part of the `QuestionnaireContent`
 * schema so that a stored draft breaking it can still be loaded and fixed.
 */
export const SHOW_IF_REASONS = [
  /** names the question itself */
  'self',
  /** names no question of the questionnaire */
  'unknown_question',
  /** names a later question whose own show-ifs lead back to this one */
  'cycle',
  /** names a later question */
  'later_question',
  /** names a question that is not a single or multiple choice */
  'not_choice',
  /** gives no value */
  'no_values',
  /** gives a value that is not an option of the question it names */
  'unknown_value',
] as const
export type ShowIfReason = (typeof SHOW_IF_REASONS)[number]

export interface ShowIfProblem {
  /** Index of the question whose show-if is wrong. */
  index: number
  questionId: string
  reason: ShowIfReason
}

type QuestionShape = Pick<Question, 'id' | 'type' | 'showIf'> & { options?: readonly { value: string }[] }

/** Every question whose show-if breaks the rule (one reason each, the first that applies), in order. */
export function showIfProblems(questions: readonly QuestionShape[]): ShowIfProblem[] {
  const index = new Map<string, number>()
  for (const [i, q] of questions.entries()) if (!index.has(q.id)) index.set(q.id, i)
  const problems: ShowIfProblem[] = []
  for (const [i, q] of questions.entries()) {
    const reason = q.showIf ? reasonOf(questions, index, i) : null
    if (reason) problems.push({ index: i, questionId: q.id, reason })
  }
  return problems
}

function reasonOf(questions: readonly QuestionShape[], index: Map<string, number>, i: number): ShowIfReason | null {
  const showIf = questions[i]?.showIf
  if (!showIf) return null
  const target = index.get(showIf.questionId)
  if (target === i) return 'self'
  if (target === undefined) return 'unknown_question'
  if (target > i) return leadsBackTo(questions, index, target, i) ? 'cycle' : 'later_question'
  const controller = questions[target]
  if (!controller || (controller.type !== 'single' && controller.type !== 'multiple')) return 'not_choice'
  if (showIf.values.length === 0) return 'no_values'
  const options = new Set((controller.options ?? []).map((o) => o.value))
  return showIf.values.every((v) => options.has(v)) ? null : 'unknown_value'
}

/** Whether following show-ifs from question `from` reaches question `to`. */
function leadsBackTo(questions: readonly QuestionShape[], index: Map<string, number>, from: number, to: number): boolean {
  const seen = new Set<number>()
  for (let at: number | undefined = from; at !== undefined && !seen.has(at); ) {
    if (at === to) return true
    seen.add(at)
    const next: string | undefined = questions[at]?.showIf?.questionId
    at = next === undefined ? undefined : index.get(next)
  }
  return false
}
