import type { SyncRequest } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter } from '../../client/src/sync/backoff.ts'
import { fetchTransport } from '../../client/src/sync/transport.ts'

const REQ: SyncRequest = { deviceId: 'device-0001', appVersion: 't', outboxSize: 0, items: [] }
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('sync transport', () => {
  it('should return the parsed results when the server answers 200', async () => {
    const t = fetchTransport('/sync', async () =>
      json({ results: [{ id: 'a', status: 'created' }], serverTime: '2026-05-01T00:00:00.000Z' }),
    )
    await expect(t(REQ)).resolves.toEqual({
      kind: 'ok',
      response: { results: [{ id: 'a', status: 'created' }], serverTime: '2026-05-01T00:00:00.000Z' },
    })
  })

  it('should ask to retry after the given seconds when the server answers 429 with Retry-After', async () => {
    const t = fetchTransport('/sync', async () => json({ code: 'rate_limited', message: 'slow down' }, 429, { 'retry-after': '17' }))
    await expect(t(REQ)).resolves.toEqual({ kind: 'retry', code: 'rate_limited', status: 429, retryAfterMs: 17_000 })
  })

  it('should ask to retry with backoff when the server answers 503 without a body', async () => {
    const t = fetchTransport('/sync', async () => new Response('', { status: 503 }))
    await expect(t(REQ)).resolves.toEqual({ kind: 'retry', code: 'unavailable', status: 503, retryAfterMs: null })
  })

  it('should report a network failure when fetch rejects', async () => {
    const t = fetchTransport('/sync', async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(t(REQ)).resolves.toMatchObject({ kind: 'retry', code: 'network' })
  })

  it('should give up and report a network failure when the request hangs past the timeout', async () => {
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const t = fetchTransport('/sync', hang, 50)
    await expect(t(REQ)).resolves.toMatchObject({ kind: 'retry', code: 'network' })
  })

  it('should retry rather than trust the answer when a 200 body breaks the contract', async () => {
    const t = fetchTransport('/sync', async () => json({ ok: true }))
    await expect(t(REQ)).resolves.toMatchObject({ kind: 'retry', code: 'internal' })
  })
})

describe('backoff', () => {
  it('should read Retry-After as an HTTP date when it is not a number', () => {
    const now = Date.parse('2026-05-01T00:00:00Z')
    expect(parseRetryAfter('Fri, 01 May 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('soon', now)).toBeNull()
  })

  it('should never exceed 5 minutes when the failures pile up', () => {
    for (let attempt = 1; attempt < 40; attempt++) expect(backoffDelay(attempt, () => 0.9999)).toBeLessThanOrEqual(5 * 60_000)
  })
})
