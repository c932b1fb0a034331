import { MethodError } from '@minyi/shared/method'
import { type Question, showIfProblems } from '@minyi/shared/schemas'
import { ProblemError } from '../http/problem.ts'

/** Runs `fn` and turns the method's config errors into 400s with their stable codes. */
export function withConfigCheck<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof MethodError && err.code !== 'questionnaire_version_unknown') throw new ProblemError(err.code)
    throw err
  }
}

/** Refuses a draft whose show-ifs break the authoring rule: `show_if_invalid`, one detail per question. */
export function assertShowIfRule(questions: readonly Question[]): void {
  const problems = showIfProblems(questions)
  if (problems.length > 0)
    throw new ProblemError('show_if_invalid', {
      details: problems.map((p) => ({ path: `questions.${p.index}.showIf`, message: p.reason })),
    })
}
