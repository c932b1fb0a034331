import type { ProblemCode } from '@minyi/shared/problems'
import { findUncleanText, IMPORT_MAX_BYTES, SYNC_MAX_BYTES, TEXT_RULE_MESSAGE } from '@minyi/shared/schemas'
import type { Context } from 'hono'
import type { z } from 'zod'
import { ProblemError, validationFailed } from './problem.ts'

/**
 * The most bytes a route reads from its body, by kind of route. Every JSON body of the API goes
 * through `readBody` below with one of these, so no route can be made to buffer more: the server runs
 * on a 128 MB heap, and one unlimited body used to end the process (issue 10).
 */
export const BODY_LIMITS = {
  /** a login and a password */
  login: 8 * 1024,
  /** staff accounts, tokens, org units, reviews, household-code requests */
  settings: 64 * 1024,
  /** a campaign (a city's thousands of communities and their quotas) or a questionnaire of up to 200 questions */
  setup: 1024 * 1024,
  /** a device's outbox batch: the documented sync limit */
  sync: SYNC_MAX_BYTES,
  /** an exported outbox file, imported item by item (`routes/sync.ts`) */
  import: IMPORT_MAX_BYTES,
} as const
export type BodyLimit = keyof typeof BODY_LIMITS

/**
 * Reads the body as raw chunks (Buffers live outside the JS heap) of at most `BODY_LIMITS[limit]`
 * bytes, whatever the transfer: a Content-Length over the limit is refused before reading, and a
 * chunked body is counted while it streams in and refused as soon as it passes the limit. The answer
 * (413 `tooLarge`) goes out at once; the server then drains or drops the rest of the upload.
 */
export async function readBody(c: Context, limit: BodyLimit, tooLarge: ProblemCode = 'payload_too_large'): Promise<Buffer[]> {
  const type = c.req.header('content-type') ?? ''
  // Requiring JSON also stops cross-site HTML forms, which can only send form or text bodies without a preflight.
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ProblemError('unsupported_media_type')
  const maxBytes = BODY_LIMITS[limit]
  const declared = c.req.header('content-length')
  if (declared !== undefined && Number(declared) > maxBytes) throw new ProblemError(tooLarge)
  const body = c.req.raw.body
  if (!body) throw new ProblemError('invalid_json')
  const reader = body.getReader()
  const chunks: Buffer[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new ProblemError(tooLarge)
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  }
  return chunks
}

/** The body as a JSON value, within `limit` (see `readBody`); 400 `invalid_json` when it does not parse. */
export async function readJsonValue(c: Context, limit: BodyLimit): Promise<unknown> {
  const chunks = await readBody(c, limit)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new ProblemError('invalid_json')
  }
}

/**
 * Parses a JSON body of at most `limit` with a shared schema; 413, 415, or 400 `invalid_json` /
 * `invalid_text` (a string or key anywhere in it breaks the text rule of `shared/src/schemas/text.ts`) /
 * `validation_failed`. Sync, whose items are refused one by one, reads with `readJsonValue` instead.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, limit: BodyLimit): Promise<z.infer<S>> {
  const value = await readJsonValue(c, limit)
  const unclean = findUncleanText(value)
  if (unclean) throw new ProblemError('invalid_text', { details: [{ path: unclean.join('.'), message: TEXT_RULE_MESSAGE }] })
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw validationFailed(parsed.error.issues)
  return parsed.data
}
