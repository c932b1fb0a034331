import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { IMPORT_MAX_ITEMS, SyncResponse } from '@minyi/shared/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_LIMITS, type BodyLimit } from '../../server/src/http/body.ts'
import { makeItems } from '../bench/lib/data.ts'
import { buildServerBundle, type RunningServer, startServer } from '../support/server.ts'
import { type Harness, startApp } from './auth-harness.ts'
import { setupCampaign } from './server-harness.ts'

// Hostile bodies (issue 10, points 1 and 2): every route that reads a body stops at its limit and
// answers 413 before buffering more; the server bundle on its 128 MB heap survives bodies far larger
// than its heap and imports of a million items; and `pnpm start`'s supervisor brings the server back
// if the process dies anyway.

/** Which limit each route that reads a JSON body reads it with; every other route must not read its body. */
const ROUTE_LIMITS: Record<string, BodyLimit> = {
  'POST /api/v1/auth/login': 'login',
  'POST /api/v1/auth/enrol': 'login',
  'POST /api/v1/staff': 'settings',
  'PATCH /api/v1/staff/:id': 'settings',
  'POST /api/v1/staff/:id/password': 'settings',
  'POST /api/v1/tokens': 'settings',
  'POST /api/v1/org-units': 'settings',
  'PATCH /api/v1/org-units/:id': 'settings',
  'POST /api/v1/campaigns': 'setup',
  'PATCH /api/v1/campaigns/:id': 'setup',
  'PUT /api/v1/campaigns/:id/questionnaire': 'setup',
  'POST /api/v1/campaigns/:id/household-codes': 'settings',
  'PATCH /api/v1/campaigns/:id/responses/:responseId/review': 'settings',
  'PUT /api/v1/campaigns/:id/remarks/:remarkId/public': 'settings',
  'POST /api/v1/campaigns/:id/retention/delete': 'settings',
  'POST /api/v1/sync': 'sync',
  'POST /api/v1/sync/import': 'import',
}

/**
 * A JSON body that never ends (an open string), produced as it is pulled, with the count of bytes
 * the server pulled from it; `total` caps what it would ever produce.
 */
function endlessBody(total: number) {
  const chunk = new TextEncoder().encode('x'.repeat(16 * 1024))
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"login":"'))
    },
    pull(controller) {
      if (pulled >= total) return controller.close()
      pulled += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  return { stream, pulled: () => pulled }
}

describe('body limits on every route (in-process)', () => {
  let h: Harness
  let paths: Map<string, string>
  beforeAll(async () => {
    h = await startApp('sqlite')
    const s = await setupCampaign(h, { communities: 1 })
    const ids: Record<string, string> = { id: s.campaignId, responseId: crypto.randomUUID(), symposiumId: crypto.randomUUID() }
    paths = new Map()
    for (const r of h.app.routes) {
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue
      const route = `${r.method} ${r.path}`
      paths.set(
        route,
        r.path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? crypto.randomUUID()),
      )
    }
  })
  afterAll(async () => {
    await h?.close()
  })

  it('should list every body-reading route in this test', () => {
    for (const route of Object.keys(ROUTE_LIMITS)) expect([...paths.keys()]).toContain(route)
  })

  it('should answer 413 to a chunked body over the route’s limit after reading at most the limit', async () => {
    let n = 0
    for (const [route, path] of paths) {
      // A session each: the logout route revokes the one it is called with.
      const admin = await h.staff('admin', `limits-admin-${n++}`)
      const limit = ROUTE_LIMITS[route]
      const max = limit ? BODY_LIMITS[limit] : 0
      const body = endlessBody(max + 4 * 1024 * 1024)
      const res = await h.app.request(path, {
        method: route.split(' ')[0],
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: body.stream,
        duplex: 'half',
      } as RequestInit)
      const text = await res.text()
      const answer = text ? JSON.parse(text) : null
      if (limit) {
        expect({ route, status: res.status, code: answer?.code }).toEqual({
          route,
          status: 413,
          code: limit === 'import' ? 'import_too_large' : 'payload_too_large',
        })
        // A few 16 KB chunks past the limit at most (streams pull ahead): the rest of the upload was never read.
        expect(body.pulled(), route).toBeLessThanOrEqual(max + 64 * 1024)
      } else {
        expect(res.status, route).toBeLessThan(500)
        expect(body.pulled(), `${route} reads a body: give it a limit in ROUTE_LIMITS`).toBeLessThanOrEqual(64 * 1024)
      }
    }
  })

  it('should answer 413 by Content-Length before reading anything', async () => {
    const r = await h.call('POST', '/api/v1/auth/login', {
      body: JSON.stringify({ login: 'admin', password: 'x'.repeat(BODY_LIMITS.login) }),
    })
    expect(r.status).toBe(413)
    expect(r.body.code).toBe('payload_too_large')
  })
})

/** POSTs `bytes` of an unfinished JSON string, chunked; resolves with the answer, or the socket error if none came. */
function postChunked(url: string, path: string, bytes: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    let answered = false
    const req = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        answered = true
        let body = ''
        res.on('data', (d) => {
          body += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    // Once the answer is in, the server drops the rest of the upload: later write errors are expected.
    req.on('error', (e) => {
      if (!answered) resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message })
    })
    req.write('{"login":"')
    const chunk = 'x'.repeat(1024 * 1024)
    let sent = 0
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end('","password":"x"}')
    }
    pump()
  })
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v1/health`)).ok
  } catch {
    return false
  }
}

/** The pids the supervisor printed, one per server process it started. */
function serverPids(server: RunningServer): number[] {
  return [...server.output().matchAll(/\[supervisor\] server started, pid (\d+)/g)].map((m) => Number(m[1]))
}

describe('the server bundle under `pnpm start`’s supervisor (128 MB heap)', () => {
  let server: RunningServer
  beforeAll(async () => {
    buildServerBundle()
    server = await startServer({ entry: ['scripts/supervise.mjs'] })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('should answer 413 to a 160 MB chunked login body and keep running', async () => {
    const r = await postChunked(server.url, '/api/v1/auth/login', 160 * 1024 * 1024)
    expect(r).toMatchObject({ status: 413 })
    expect(JSON.parse((r as { body: string }).body)).toMatchObject({ code: 'payload_too_large' })
    expect(await healthy(server.url)).toBe(true)
    expect(serverPids(server)).toHaveLength(1)
  }, 60_000)

  it('should answer 413 to three parallel 60 MB login bodies and keep running', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => postChunked(server.url, '/api/v1/auth/login', 60 * 1024 * 1024)))
    for (const r of answers) expect(r).toMatchObject({ status: 413 })
    expect(await healthy(server.url)).toBe(true)
    expect(serverPids(server)).toHaveLength(1)
  }, 60_000)

  it('should refuse an import of a million items and import three full files at once, on its 128 MB heap', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
    })
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${(await login.json()).token}` }
    const exportedAt = new Date().toISOString()
    const million = `{"format":"minyi-outbox","version":1,"deviceId":"device-huge","exportedAt":"${exportedAt}","items":[0${',0'.repeat(999_999)}]}`
    const refused = await fetch(`${server.url}/api/v1/sync/import`, { method: 'POST', headers: auth, body: million })
    expect(refused.status).toBe(413)
    expect((await refused.json()).code).toBe('import_too_large')

    const [campaign] = await (await fetch(`${server.url}/api/v1/campaigns`, { headers: auth })).json()
    const detail = await (await fetch(`${server.url}/api/v1/campaigns/${campaign.id}`, { headers: auth })).json()
    const target = {
      campaignId: detail.id,
      version: detail.questionnaire.version,
      communityIds: detail.communities.map((c: { id: string }) => c.id),
    }
    const files = [1, 2, 3].map((seed) =>
      JSON.stringify({
        format: 'minyi-outbox',
        version: 1,
        deviceId: `device-full-${seed}`,
        exportedAt,
        items: makeItems(IMPORT_MAX_ITEMS, target, Date.now() - 1000, seed),
      }),
    )
    const answers = await Promise.all(
      files.map((body) => fetch(`${server.url}/api/v1/sync/import`, { method: 'POST', headers: auth, body })),
    )
    for (const r of answers) {
      expect(r.status).toBe(200)
      const { results } = SyncResponse.parse(await r.json())
      expect(results).toHaveLength(IMPORT_MAX_ITEMS)
      expect(results.every((x) => x.status === 'created')).toBe(true)
    }
    expect(await healthy(server.url)).toBe(true)
    expect(serverPids(server)).toHaveLength(1)
    const pid = serverPids(server)[0] as number
    const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
    console.log(`server peak RSS after the import tests: ${peakMb.toFixed(0)} MB`)
  }, 180_000)

  it('should start the server again when its process dies', async () => {
    const [first] = serverPids(server)
    process.kill(first as number, 'SIGKILL')
    const deadline = Date.now() + 20_000
    while (serverPids(server).length < 2 || !(await healthy(server.url))) {
      if (Date.now() > deadline) throw new Error(`not restarted:\n${server.output()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(server.output()).toContain('server exited (SIGKILL); restarting')
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
    })
    expect(login.status).toBe(200)
  }, 30_000)

  it('should stop the server with the supervisor on SIGTERM', async () => {
    const pid = serverPids(server).at(-1) as number
    await server.stop('SIGTERM')
    expect(server.proc.exitCode).toBe(0)
    expect(() => process.kill(pid, 0)).toThrow()
  })
})
