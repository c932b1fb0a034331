import Ajv2020 from 'ajv/dist/2020.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, setupCampaign, sync } from './server-harness.ts'

// The OpenAPI description of the statistics API: every live answer of the documented routes must
// validate against the schema the document gives for it (the schemas come from the shared zod
// schemas, so this is what keeps the two from drifting).

interface Doc {
  openapi: string
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>
  components: { schemas: Record<string, unknown> }
}

/** Absolute, so that the document's own `#/components/…` references resolve inside it. */
const BASE = 'https://minyi.invalid'

describe.each(DIALECTS)('OpenAPI description on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  let doc: Doc
  let apiToken: string
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
    const created = await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'stats' } })
    apiToken = created.body.token
    const r = await h.call('GET', '/api/v1/openapi.json')
    expect(r.status).toBe(200)
    doc = r.body
  })
  afterEach(async () => {
    await h.close()
  })

  /** Validates `body` against the document's schema for (method, path, status). */
  function check(method: string, path: string, status: number, body: unknown): string[] {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    ajv.addSchema({ $id: `${BASE}/doc`, components: doc.components }, undefined, undefined, false)
    const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema
    expect(schema, `${method} ${path} ${status} is documented`).toBeDefined()
    const validate = ajv.compile({ ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components', `"${BASE}/doc#/components`)) })
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
  }

  it('should be OpenAPI 3.1 and document the contract routes', () => {
    expect(doc.openapi).toBe('3.1.0')
    for (const p of [
      '/campaigns',
      '/campaigns/{id}',
      '/campaigns/{id}/indicator',
      '/campaigns/{id}/log/verify',
      '/org-units',
      '/sync',
      '/auth/login',
    ])
      expect(Object.keys(doc.paths)).toContain(p)
  })

  it('should describe what a read-only token actually gets back', async () => {
    const item = responseItem(h, s)
    const synced = await sync(h, [item, { kind: 'response', id: 'bad' }])
    expect(check('post', '/sync', 200, synced.body)).toEqual([])
    const auth = { token: apiToken }
    const calls: [string, string, string][] = [
      ['/campaigns', '/api/v1/campaigns', 'list'],
      ['/campaigns/{id}', `/api/v1/campaigns/${s.campaignId}`, 'detail'],
      ['/campaigns/{id}/indicator', `/api/v1/campaigns/${s.campaignId}/indicator`, 'indicator'],
      ['/campaigns/{id}/log/verify', `/api/v1/campaigns/${s.campaignId}/log/verify`, 'verify'],
      ['/campaigns/{id}/breakdown/{questionId}', `/api/v1/campaigns/${s.campaignId}/breakdown/q_age`, 'breakdown'],
      ['/org-units', '/api/v1/org-units', 'org units'],
    ]
    for (const [documented, url, what] of calls) {
      const r = await h.call('GET', url, auth)
      expect(r.status, what).toBe(200)
      expect(check('get', documented, 200, r.body), what).toEqual([])
    }
    // Staff get more fields than a read-only token (the household salt): still the documented shape.
    const staffDetail = await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: s.evaluator.token })
    expect(staffDetail.body.householdSalt).toBeDefined()
    expect(check('get', '/campaigns/{id}', 200, staffDetail.body)).toEqual([])
    const login = await h.call('POST', '/api/v1/auth/login', { body: { login: 'admin', password: 'admin-test-password' } })
    expect(check('post', '/auth/login', 200, login.body)).toEqual([])
  })

  it('should describe each kind of sync item, a door-to-door visit among them', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    ajv.addSchema({ $id: `${BASE}/doc`, components: doc.components }, undefined, undefined, false)
    const valid = ajv.compile({ $ref: `${BASE}/doc#/components/schemas/SyncItem` })
    const visit = {
      kind: 'visit',
      id: '0190f1a2-3b4c-7d5e-8f60-718293a4b5c6',
      campaignId: s.campaignId,
      communityId: s.communityIds[0],
      householdKey: 'ab'.repeat(32),
      outcome: 'not_home',
      visitedAt: '2026-03-02T09:30:00+08:00',
      responseId: null,
    }
    expect(valid(visit)).toBe(true)
    expect(valid(responseItem(h, s))).toBe(true)
    expect(valid({ ...visit, outcome: 'moved_out' })).toBe(false)
    expect(valid({ ...visit, householdKey: '3号楼2单元501' })).toBe(false)
  })

  it('should reject what the schema forbids (the check is not vacuous)', async () => {
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: apiToken })
    expect(check('get', '/campaigns/{id}/indicator', 200, { ...r.body, rate: 'high' })).not.toEqual([])
    expect(check('get', '/campaigns/{id}/log/verify', 200, { ok: true })).not.toEqual([])
  })
})
