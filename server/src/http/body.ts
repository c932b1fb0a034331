import type { Context } from 'hono'
import { ProblemError } from './problem.ts'

/**
 * Reads a JSON body of at most `maxBytes`, whatever the transfer: a Content-Length over the limit is
 * refused before reading, and a chunked body (no Content-Length) is counted while it streams in and
 * refused as soon as it passes the limit, so a client cannot make the server buffer more.
 */
export async function readLimitedJson(c: Context, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  // Requiring JSON also stops cross-site HTML forms, which can only send form or text bodies without a preflight.
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ProblemError('unsupported_media_type')
  const declared = c.req.header('content-length')
  if (declared !== undefined && Number(declared) > maxBytes) throw new ProblemError('payload_too_large')
  const body = c.req.raw.body
  if (!body) throw new ProblemError('invalid_json')
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new ProblemError('payload_too_large')
    }
    chunks.push(value)
  }
  const text = Buffer.concat(chunks, size).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new ProblemError('invalid_json')
  }
}
