import { PROBLEMS, type Problem, type ProblemCode, problemMessage } from '@minyi/shared/problems'
import { TEXT_RULE_MESSAGE } from '@minyi/shared/schemas'
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * The one place where error codes become HTTP answers: services and routes throw a ProblemError,
 * `onProblem` (installed with `app.onError`) turns it into `{ code, message }` with the catalogue's status.
 */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly extra: { details?: Problem['details']; headers?: Record<string, string> } = {},
  ) {
    super(code)
    this.name = 'ProblemError'
  }
}

/** Answers `code` right away, for handlers and middleware that return rather than throw. */
export function problem(c: Context, code: ProblemCode, extra: ProblemError['extra'] = {}): Response {
  const body: Problem = { code, message: problemMessage(code) }
  if (extra.details) body.details = extra.details
  for (const [name, value] of Object.entries(extra.headers ?? {})) c.header(name, value)
  // Every server-side code has a real 4xx/5xx status; the status-0 codes are client-only.
  return c.json(body, (PROBLEMS[code].status || 500) as ContentfulStatusCode)
}

/** Hono's own HTTPExceptions (from built-in middleware) by status, so they too answer with a code. */
const BY_STATUS: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

export const onProblem: ErrorHandler = (err, c) => {
  if (err instanceof ProblemError) return problem(c, err.code, err.extra)
  if (err instanceof HTTPException && BY_STATUS[err.status]) return problem(c, BY_STATUS[err.status] as ProblemCode)
  console.error(err)
  return problem(c, 'internal')
}

/**
 * 400 `validation_failed` with the first zod issues as details (the paths say which field), or
 * `invalid_text` when a field broke the text rule (`CleanString` of the shared schemas).
 */
export function validationFailed(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ProblemError {
  const details = issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const code = issues.some((i) => i.message === TEXT_RULE_MESSAGE) ? 'invalid_text' : 'validation_failed'
  return new ProblemError(code, { details })
}
