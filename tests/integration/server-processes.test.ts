import { mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CampaignDetail, CampaignLink, CampaignSummary, Indicator, LinkResolution, SyncResponse } from '@minyi/shared/schemas'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, hasPg } from '../support/pg.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { rng, templateAnswers, uuidv7 } from './server-harness.ts'

// The server as real processes: `pnpm start`'s first-start demo on SQLite and on PostgreSQL, limits
// over real HTTP, and two instances on one PostgreSQL receiving interleaved replays.

const ADMIN_PASSWORD = 'admin-test-password'

async function json(url: string, init: RequestInit = {}) {
  const r = await fetch(url, init)
  const body = await r.json()
  return { status: r.status, body, headers: r.headers }
}

async function adminToken(server: RunningServer): Promise<string> {
  const r = await json(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  })
  expect(r.status).toBe(200)
  return r.body.token
}

/** This year's demo campaign (listed first) and the previous year's (second). */
async function demoCampaigns(server: RunningServer, token: string) {
  const list = await json(`${server.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } })
  expect(list.status).toBe(200)
  const summaries = CampaignSummary.array().parse(list.body)
  expect(summaries).toHaveLength(2)
  const detail = async (id: string | undefined) =>
    CampaignDetail.parse((await json(`${server.url}/api/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${token}` } })).body)
  return { current: await detail(summaries[0]?.id), previous: await detail(summaries[1]?.id) }
}

async function demoCampaign(server: RunningServer, token: string) {
  return (await demoCampaigns(server, token)).current
}

/** Jan 1 00:00 and Dec 31 23:59:59.999 of the current year in Asia/Shanghai, as UTC instants. */
function shanghaiYear(): { opensAt: string; closesAt: string; year: number } {
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
  return {
    year,
    opensAt: new Date(Date.UTC(year, 0, 1) - 8 * 3600_000).toISOString(),
    closesAt: new Date(Date.UTC(year + 1, 0, 1) - 8 * 3600_000 - 1).toISOString(),
  }
}

async function expectDemo(server: RunningServer) {
  const token = await adminToken(server)
  const { current: campaign, previous } = await demoCampaigns(server, token)
  const { year, opensAt, closesAt } = shanghaiYear()
  expect(campaign).toMatchObject({ title: `${year}年度城市社区党组织服务群众专项经费重点评价`, status: 'open', opensAt, closesAt })
  const auth = { authorization: `Bearer ${token}` }
  const empty = Indicator.parse((await json(`${server.url}/api/v1/campaigns/${campaign.id}/indicator`, { headers: auth })).body)
  expect(empty.n.received).toBe(0)

  // The previous year: closed, its sample sent through sync, so the kept figures and the chain hold.
  expect(previous).toMatchObject({ title: `${year - 1}年度城市社区党组织服务群众专项经费重点评价`, status: 'closed' })
  const kept = Indicator.parse((await json(`${server.url}/api/v1/campaigns/${previous.id}/indicator`, { headers: auth })).body)
  const full = (await json(`${server.url}/api/v1/campaigns/${previous.id}/indicator?recompute=1`, { headers: auth })).body
  expect(kept.n.received).toBeGreaterThan(500)
  expect(kept).toEqual(full)
  const verify = await json(`${server.url}/api/v1/campaigns/${previous.id}/log/verify`, { headers: auth })
  expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null })
  expect(verify.body.length).toBeGreaterThan(kept.n.received)

  expect(campaign.communities.length).toBeGreaterThanOrEqual(3)
  expect(campaign.communities.every((c) => c.population !== null)).toBe(true)
  expect(campaign.questionnaire?.version).toBe(1)
  expect(campaign.questionnaire?.questions.filter((q) => q.type === 'rating' && q.overall)).toHaveLength(1)
  const links = CampaignLink.array().parse(
    (await json(`${server.url}/api/v1/campaigns/${campaign.id}/links`, { headers: { authorization: `Bearer ${token}` } })).body,
  )
  expect(links.map((l) => l.communityId).sort()).toEqual(campaign.communities.map((c) => c.id).sort())
  for (const link of links) expect(link.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/s/[0-9A-Za-z]{16,}$`))

  // The printed resident link opens the questionnaire anonymously.
  const printed = /resident link: (http:\/\/localhost:(\d+)\/s\/([0-9A-Za-z]{16,}))/.exec(server.output())
  expect(server.output()).toContain(`console:       http://localhost:${server.port}/console`)
  expect(printed?.[2]).toBe(String(server.port))
  const resolved = await json(`${server.url}/api/v1/links/${printed?.[3]}`)
  expect(resolved.status).toBe(200)
  const link = LinkResolution.parse(resolved.body)
  expect(link).toMatchObject({ channel: 'qr', campaign: { id: campaign.id } })
  expect(link.campaign.communities).toHaveLength(1)
  return { token, campaign }
}

describe('the server process on SQLite', () => {
  let server: RunningServer
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-procs-')), 'first-start.sqlite')
  beforeAll(async () => {
    server = await startServer({ sqlitePath })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('should create both demo campaigns on first start and print the console URL and a resident link', async () => {
    await expectDemo(server)
  })

  it('should answer 413 to a chunked body over 512 KB, counting bytes as they arrive', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/api/v1/sync`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write('{"deviceId":"device-0001","appVersion":"1","outboxSize":0,"items":[')
      const chunk = `${'"x",'.repeat(4096)}`
      let sent = 0
      const pump = () => {
        // Up to 2 MB, never ending the JSON: the answer must come before the body does.
        while (sent < 2 * 1024 * 1024) {
          sent += chunk.length
          if (!req.write(chunk)) return req.once('drain', pump)
        }
      }
      pump()
    })
    expect(status).toBe(413)
  })

  it('should answer 413 by Content-Length over 512 KB', async () => {
    const r = await fetch(`${server.url}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'device-0001', appVersion: '1', outboxSize: 0, items: ['x'.repeat(600 * 1024)] }),
    })
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ code: 'payload_too_large' })
  })

  it('should send security headers and a CSP with every answer, and never a stack trace', async () => {
    const r = await fetch(`${server.url}/api/v1/nowhere`)
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({ code: 'not_found', message: expect.any(String) })
    const csp = r.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("worker-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('should not seed the demo again when started on the same file', async () => {
    const again = await startServer({ sqlitePath })
    try {
      const token = await adminToken(again)
      expect((await json(`${again.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } })).body).toHaveLength(2)
    } finally {
      await again.stop()
    }
  })

  it('should skip the demo with --no-demo', async () => {
    const bare = await startServer({ args: ['--no-demo'] })
    try {
      const token = await adminToken(bare)
      expect((await json(`${bare.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } })).body).toEqual([])
      expect(bare.output()).not.toContain('resident link')
    } finally {
      await bare.stop()
    }
  })
})

describe.skipIf(!hasPg)('server processes on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let a: RunningServer
  let b: RunningServer
  beforeAll(async () => {
    db = await createTestDatabase('minyi_procs')
    // One after the other: the first creates the schema and the demo, the second finds them.
    a = await startServer({ env: { DATABASE_URL: db.url, PG_POOL_SIZE: '4' } })
    b = await startServer({ env: { DATABASE_URL: db.url, PG_POOL_SIZE: '4' } })
  }, 120_000)
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await db?.drop()
  })

  it('should start with DATABASE_URL and create the demo campaigns once', async () => {
    await expectDemo(a)
    expect(b.output()).not.toContain('Created the admin')
    const token = await adminToken(b)
    expect((await json(`${b.url}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } })).body).toHaveLength(2)
  })

  it('should store every response exactly once when several devices replay the same batches to both instances at once', async () => {
    const token = await adminToken(a)
    const campaign = await demoCampaign(a, token)
    const random = rng(42)
    const now = Date.now()
    const items = Array.from({ length: 400 }, (_, i) => ({
      kind: 'response',
      id: uuidv7(now - 5000 + i),
      campaignId: campaign.id,
      questionnaireVersion: campaign.questionnaire?.version,
      communityId: campaign.communities[i % campaign.communities.length]?.id,
      channel: 'qr',
      startedAt: new Date(now - 120_000).toISOString(),
      submittedAt: new Date(now - 5000 + i).toISOString(),
      answers: templateAnswers(random),
      householdKey: null,
      symposiumId: null,
    }))
    const batches = Array.from({ length: 8 }, (_, i) => items.slice(i * 50, i * 50 + 50))
    const servers = [a, b]
    const statuses = new Map<string, string[]>()
    // Six devices; each sends every batch twice, in its own shuffled order, alternating instances.
    await Promise.all(
      Array.from({ length: 6 }, async (_, device) => {
        const order = [...batches.keys(), ...batches.keys()].sort(() => random() - 0.5)
        for (const [n, i] of order.entries()) {
          const server = servers[(device + n) % 2] as RunningServer
          const r = await json(`${server.url}/api/v1/sync`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deviceId: `chaos-device-${device}`, appVersion: '1', outboxSize: 0, items: batches[i] }),
          })
          expect(r.status, JSON.stringify(r.body)).toBe(200)
          for (const result of SyncResponse.parse(r.body).results)
            statuses.set(result.id, [...(statuses.get(result.id) ?? []), result.status])
        }
      }),
    )
    for (const item of items) {
      const seen = statuses.get(item.id) ?? []
      expect(seen).toHaveLength(12)
      expect(seen.filter((s) => s === 'created')).toHaveLength(1)
      expect(seen.filter((s) => s === 'duplicate')).toHaveLength(11)
    }
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query('select count(*)::int as n, count(distinct id)::int as d from responses where campaign_id = $1', [
        campaign.id,
      ])
      expect(rows[0]).toEqual({ n: 400, d: 400 })
    } finally {
      await client.end()
    }
    const auth = { authorization: `Bearer ${token}` }
    const kept = Indicator.parse((await json(`${a.url}/api/v1/campaigns/${campaign.id}/indicator`, { headers: auth })).body)
    const full = (await json(`${b.url}/api/v1/campaigns/${campaign.id}/indicator?recompute=1`, { headers: auth })).body
    expect(kept.n.received).toBe(400)
    expect(kept).toEqual(full)
    const verify = await json(`${b.url}/api/v1/campaigns/${campaign.id}/log/verify`, { headers: auth })
    expect(verify.body).toMatchObject({ ok: true, length: 400, firstBadSeq: null, signature: 'valid' })
  }, 120_000)
})
