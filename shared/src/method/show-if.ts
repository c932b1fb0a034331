import type { Answers, Question, ShowIf } from '../schemas/questionnaire.ts'

/**
 * Show-if (PRODUCT.md: a question is shown when an earlier choice has given values), the one rule the
 * resident's form, the server's checks and every figure use.
 * - A question with a show-if is shown when the question it names is shown *earlier* in the
 *   questionnaire and that question's answer includes one of the show-if's values. So hiding is
 *   transitive (an answer left behind in a branch the resident left shows nothing), and a show-if that
 *   names a later or unknown question hides its question.
 * - An answer is compared as text: a choice's value, each value of a multiple choice, a rating's
 *   score (`5`) or `na`, a number (`3` and `"3"` are the same answer). No answer shows nothing.
 * What an author may write (an earlier choice and its options) is `showIfProblems` in
 * schemas/show-if-rule.ts; this rule still judges any published version, whatever it names.
 */
export type ShowIfValue = number | string | readonly string[] | undefined

/** The texts an answer offers to a show-if's `values`. */
function answerTexts(a: ShowIfValue): readonly string[] {
  if (a === undefined) return []
  if (typeof a === 'number') return Number.isFinite(a) ? [String(a)] : []
  if (typeof a === 'string') return [a]
  return a
}

function opens(showIf: ShowIf, a: ShowIfValue): boolean {
  const given = answerTexts(a)
  return given.some((v) => showIf.values.includes(v))
}

/** Ids of the shown questions. `answers` may hold any question's value; only shown controllers count. */
export function shownQuestionIds(questions: readonly Question[], answers: Readonly<Record<string, ShowIfValue>>): Set<string> {
  const shown = new Set<string>()
  for (const q of questions) {
    if (q.showIf && !(shown.has(q.showIf.questionId) && opens(q.showIf, answers[q.showIf.questionId]))) continue
    shown.add(q.id)
  }
  return shown
}

/** The shown questions, in questionnaire order. */
export function visibleQuestions<Q extends Question>(questions: readonly Q[], answers: Readonly<Record<string, ShowIfValue>>): Q[] {
  const shown = shownQuestionIds(questions, answers)
  return questions.filter((q) => shown.has(q.id))
}

// Questionnaires without any show-if are the common case and ingest counts every response against
// one of a few versions: remember per questions array (never mutated once published) whether it has one.
const hasShowIf = new WeakMap<readonly Question[], boolean>()

/**
 * The answers that count: those to shown questions. An answer to a hidden question is kept as it was
 * received (docs/SERVER.md) but no figure reads it. Returns `answers` itself when nothing is hidden.
 */
export function countedAnswers(questions: readonly Question[], answers: Answers): Answers {
  let any = hasShowIf.get(questions)
  if (any === undefined) {
    any = questions.some((q) => q.showIf !== undefined)
    hasShowIf.set(questions, any)
  }
  if (!any) return answers
  const shown = shownQuestionIds(questions, answers)
  let out: Answers | null = null
  for (const id of Object.keys(answers)) {
    if (shown.has(id)) continue
    out ??= { ...answers }
    delete out[id]
  }
  return out ?? answers
}
