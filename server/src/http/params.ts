import { Id } from '@minyi/shared/schemas'
import type { Context } from 'hono'
import type { z } from 'zod'
import { ProblemError, validationFailed } from './problem.ts'

/**
 * A path parameter, parsed with a shared schema (a UUID unless told): one that does not parse names
 * nothing, so 404 `not_found` before it reaches SQL (a NUL in a path used to end in a 500 on PostgreSQL).
 */
export function param(c: Context, name: string, schema: z.ZodType<string> = Id): string {
  const parsed = schema.safeParse(c.req.param(name))
  if (!parsed.success) throw new ProblemError('not_found')
  return parsed.data
}

/** The query string, parsed with a shared schema (`shared/src/schemas/query.ts`); 400 `validation_failed` otherwise. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw validationFailed(parsed.error.issues)
  return parsed.data
}
