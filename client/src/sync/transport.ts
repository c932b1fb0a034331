import { isProblemCode, type ProblemCode } from '@minyi/shared/problems'
import { type SyncRequest, type SyncResponse, SyncResponse as SyncResponseSchema } from '@minyi/shared/schemas'
import { parseRetryAfter } from './backoff.ts'

/** How long one sync request may take before it counts as a network failure. */
export const SYNC_TIMEOUT_MS = 20_000

export type TransportResult =
  | { kind: 'ok'; response: SyncResponse }
  /** Nothing was acknowledged: keep every item and try again later. */
  | { kind: 'retry'; code: ProblemCode; status: number; retryAfterMs: number | null }

/**
 * Sends one batch, as a worker when `token` is given (their bearer token), else anonymously. The engine
 * depends only on this, so unit tests script it.
 */
export type Transport = (req: SyncRequest, token?: string) => Promise<TransportResult>

/**
 * `POST /api/v1/sync` over fetch. Every failure is transient from the outbox's point of view: a
 * network error, 429 (honouring `Retry-After`), 5xx, and even an envelope-level 4xx, which would
 * be our own bug — the items stay on the device until a fixed app version sends them.
 */
export function fetchTransport(
  url = '/api/v1/sync',
  fetchFn: typeof fetch = (...a) => fetch(...a),
  timeoutMs = SYNC_TIMEOUT_MS,
): Transport {
  return async (req, token) => {
    // A request that never settles (a half-open connection on a mobile network) would hold the
    // single-flight lock for good and block every later flush, in every tab: give up and retry.
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), timeoutMs)
    let res: Response
    try {
      res = await fetchFn(url, {
        signal: abort.signal,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(req),
        // Never the cookie: a worker's items carry that worker's token, and a resident's answer is anonymous
        // by contract (a staff cookie left on a shared phone must not turn it into someone's interview).
        credentials: 'omit',
        cache: 'no-store',
      })
    } catch {
      clearTimeout(timer)
      return { kind: 'retry', code: 'network', status: 0, retryAfterMs: null }
    }
    const body: unknown = await res.json().catch(() => null)
    clearTimeout(timer)
    if (res.ok) {
      const parsed = SyncResponseSchema.safeParse(body)
      if (parsed.success) return { kind: 'ok', response: parsed.data }
      return { kind: 'retry', code: 'internal', status: res.status, retryAfterMs: null }
    }
    const code = (body as { code?: unknown } | null)?.code
    return {
      kind: 'retry',
      code: isProblemCode(code) ? code : res.status === 429 ? 'rate_limited' : res.status >= 500 ? 'unavailable' : 'bad_request',
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
    }
  }
}
