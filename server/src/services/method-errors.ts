import { MethodError } from '@minyi/shared/method'
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
