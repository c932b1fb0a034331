import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, hasPg } from '../support/pg.ts'
import { httpsFetch } from './lib/bound-fetch.ts'
import { responseMaker, type Target } from './lib/devices.ts'
import { Cluster } from './lib/scaleout.ts'
import { checkRun, pgReader, Staff } from './lib/verify.ts'

// nginx (deploy/nginx/minyi-proxy.conf) on loopback in front of two instances on one PostgreSQL:
// what must hold across instances (sessions, rate limits, the evidence chain) and what a killed
// instance must not lose. `X-Minyi-Upstream` (harness only) names the instance that answered.

const UPSTREAM = 'x-minyi-upstream'

async function send(url: string, items: unknown[], deviceId: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ deviceId, appVersion: 'test', outboxSize: 0, items }),
  })
}

describe.skipIf(!hasPg)('scale-out: nginx and two instances on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let cluster: Cluster
  let staff: Staff
  let target: Target

  beforeAll(async () => {
    db = await createTestDatabase('minyi_scaleout')
    cluster = await Cluster.start({ databaseUrl: db.url, exposeUpstream: true, env: { RATE_LIMIT_ANON: '1000000' } })
    staff = await Staff.login(cluster.url)
    target = await staff.target()
  })
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })

  it('should keep a cookie session valid on both instances and end it on both when signing out on one', async () => {
    const login = await fetch(`${cluster.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
    const seen = new Set<string>()
    for (let i = 0; i < 12; i++) {
      const me = await fetch(`${cluster.url}/api/v1/auth/me`, { headers: { cookie } })
      expect(me.status).toBe(200)
      seen.add(me.headers.get(UPSTREAM) ?? '')
    }
    expect(seen.size).toBe(2)

    // A cookie write is checked against the origin nginx forwards (TRUST_PROXY): another origin is refused.
    const forged = await fetch(`${cluster.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } })
    expect(forged.status).toBe(403)
    expect(((await forged.json()) as { code: string }).code).toBe('bad_origin')
    const out = await fetch(`${cluster.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: cluster.url } })
    expect(out.status).toBe(204)
    const after = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const me = await fetch(`${cluster.url}/api/v1/auth/me`, { headers: { cookie } })
      expect(me.status).toBe(401)
      after.add(me.headers.get(UPSTREAM) ?? '')
    }
    expect(after.size).toBe(2)
  })

  it('should keep one evidence chain and aggregates equal to recomputation when both instances ingest at once', async () => {
    const make = responseMaker(target, 21)
    const batches = Array.from({ length: 40 }, () => Array.from({ length: 10 }, () => make()))
    const upstreams = new Set<string>()
    await Promise.all(
      batches.map(async (items, i) => {
        const res = await send(cluster.url, items, `device-${i}`)
        expect(res.status).toBe(200)
        upstreams.add(res.headers.get(UPSTREAM) ?? '')
        const body = (await res.json()) as { results: { status: string }[] }
        expect(body.results.every((r) => r.status === 'created')).toBe(true)
      }),
    )
    expect(upstreams.size).toBe(2)
    const reader = pgReader(db.url)
    try {
      const check = await checkRun(
        staff,
        reader,
        target.campaignId,
        batches.flat().map((i) => i.id),
      )
      expect(check.problems).toEqual([])
      expect(check.chain).toEqual({ ok: true, length: 400 })
    } finally {
      await reader.close()
    }
  })

  it('should lose nothing and show clients no error when an instance is SIGKILLed mid-run', async () => {
    const make = responseMaker(target, 22)
    const sent: string[] = []
    const statuses = new Map<number, number>()
    let stop = false
    const senders = Array.from({ length: 4 }, async (_, s) => {
      for (let i = 0; !stop && i < 400; i++) {
        const items = [make(), make(), make()]
        const res = await send(cluster.url, items, `killer-${s}`).catch(() => null)
        const status = res?.status ?? 0
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (res?.ok) sent.push(...items.map((x) => x.id))
      }
    })
    await new Promise((r) => setTimeout(r, 1500))
    const victim = cluster.instances[0]!
    await cluster.kill(victim)
    await new Promise((r) => setTimeout(r, 1500))
    await cluster.startInstance(victim)
    await new Promise((r) => setTimeout(r, 1000))
    stop = true
    await Promise.all(senders)
    // nginx resends a sync batch that was in flight on the dead instance to the other one (it is
    // idempotent by id): the phones never saw the failure.
    expect([...statuses.keys()]).toEqual([200])
    const reader = pgReader(db.url)
    try {
      const check = await checkRun(staff, reader, target.campaignId, sent)
      // The earlier test's 400 are in the same campaign: the check counts them as unexpected rows.
      expect(check).toMatchObject({ lost: 0, duplicated: 0, unexpected: 400 })
      expect(check.chain.ok).toBe(true)
      expect(check.aggregatesEqualRecompute).toBe(true)
    } finally {
      await reader.close()
    }
  }, 60_000)
})

describe.skipIf(!hasPg)('scale-out: the anonymous rate limit across instances', () => {
  it('should count one client address once across both instances and answer 429 with Retry-After past the limit', async () => {
    const db = await createTestDatabase('minyi_scaleout_rl')
    const cluster = await Cluster.start({
      databaseUrl: db.url,
      exposeUpstream: true,
      env: { RATE_LIMIT_ANON: '20', RATE_LIMIT_WINDOW_SECONDS: '3600' },
    })
    try {
      const staff = await Staff.login(cluster.url)
      const target = await staff.target()
      const make = responseMaker(target, 23)
      const results: { status: number; upstream: string; retryAfter: string | null }[] = []
      for (let i = 0; i < 30; i++) {
        // A forged X-Forwarded-For does not make a new client: nginx appends the real address, the app reads the last.
        const res = await send(cluster.url, [make()], 'rl-device', { 'x-forwarded-for': `10.0.0.${i}` })
        results.push({ status: res.status, upstream: res.headers.get(UPSTREAM) ?? '', retryAfter: res.headers.get('retry-after') })
      }
      const ok = results.filter((r) => r.status === 200)
      const limited = results.filter((r) => r.status === 429)
      expect(ok).toHaveLength(20)
      expect(limited).toHaveLength(10)
      expect(new Set(ok.map((r) => r.upstream)).size).toBe(2)
      expect(new Set(limited.map((r) => r.upstream)).size).toBe(2)
      for (const r of limited) expect(Number(r.retryAfter)).toBeGreaterThan(0)
      // Staff are not limited; their view agrees with the recomputation.
      const kept = await staff.get(`/api/v1/campaigns/${target.campaignId}/indicator`)
      const full = await staff.get(`/api/v1/campaigns/${target.campaignId}/indicator?recompute=1`)
      expect(isDeepStrictEqual(kept, full)).toBe(true)
    } finally {
      await cluster.stop()
      await db.drop()
    }
  }, 60_000)
})

describe.skipIf(!hasPg)('scale-out over HTTPS', () => {
  it('should set a Secure cookie, print https links and accept same-origin cookie writes when nginx terminates TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minyi-tls-'))
    const cert = join(dir, 'cert.pem')
    const key = join(dir, 'key.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    )
    const ca = readFileSync(cert, 'utf8')
    const db = await createTestDatabase('minyi_scaleout_tls')
    const cluster = await Cluster.start({ databaseUrl: db.url, tls: { cert, key, ca } })
    try {
      expect(cluster.url).toMatch(/^https:/)
      const get = httpsFetch(ca)
      const login = await get(`${cluster.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
      })
      expect(login.status).toBe(200)
      const setCookie = login.headers.getSetCookie()[0] ?? ''
      // The instance saw plain HTTP from nginx; X-Forwarded-Proto (trusted) says the phone used HTTPS.
      expect(setCookie).toMatch(/;\s*Secure/i)
      const { token } = (await login.json()) as { token: string }
      const campaigns = (await (
        await get(`${cluster.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as {
        id: string
        status: string
      }[]
      const open = campaigns.find((c) => c.status === 'open')!
      const links = (await (
        await get(`${cluster.url}/api/v1/campaigns/${open.id}/links`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { url: string }[]
      expect(links.length).toBeGreaterThan(0)
      for (const l of links) expect(l.url.startsWith(`${cluster.url}/s/`)).toBe(true)
      const cookie = setCookie.split(';')[0]!
      const out = await get(`${cluster.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: cluster.url } })
      expect(out.status).toBe(204)

      // The same instance reached directly over HTTP (no proxy header) does not mark the cookie Secure.
      const direct = await fetch(`${cluster.instances[0]!.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
      })
      expect(direct.headers.getSetCookie()[0]).not.toMatch(/;\s*Secure/i)
    } finally {
      await cluster.stop()
      await db.drop()
    }
  }, 60_000)
})
