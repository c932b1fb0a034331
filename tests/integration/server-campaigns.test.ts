import { PRIVACY_NOTICE, TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { CampaignDetail, CampaignLink, CampaignSummary, HouseholdCodeBatch, LinkResolution, OrgUnit } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DAY, DIALECTS, type Harness, startApp, T0 } from './auth-harness.ts'
import { type CampaignSetup, setupCampaign } from './server-harness.ts'

// Campaign setup through the API: the contract's campaign endpoints, questionnaire versions, org
// units, QR links and their anonymous resolution, household codes, and the error envelope.

describe.each(DIALECTS)('campaigns and org units on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 3 })
  })
  afterEach(async () => {
    await h.close()
  })

  describe('the contract', () => {
    it('should list campaigns as id, title and status', async () => {
      const r = await h.call('GET', '/api/v1/campaigns', { token: s.evaluator.token })
      expect(r.status).toBe(200)
      expect(CampaignSummary.array().parse(r.body)).toEqual([
        { id: s.campaignId, title: '2026年度城市社区党组织服务群众专项经费重点评价', status: 'open' },
      ])
    })

    it('should show a campaign with its communities, indicator config and current published questionnaire', async () => {
      const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: s.evaluator.token })
      const detail = CampaignDetail.parse(r.body)
      expect(detail.communities.map((c) => c.id)).toEqual(s.communityIds)
      expect(detail.communities[0]).toMatchObject({ code: expect.any(String), name: '社区0', population: 2000 })
      expect(detail.indicatorConfig).toMatchObject({ satisfiedSet: 'top3', basis: 'overall', target: 0.9, weight: 10 })
      expect(detail.questionnaire).toMatchObject({ version: 1, title: TEMPLATE_QUESTIONNAIRE.title })
      const overall = detail.questionnaire?.questions.find((q) => q.id === 'q_overall')
      expect(overall).toMatchObject({
        type: 'rating',
        overall: true,
        scale: { options: expect.arrayContaining([{ score: 5, label: expect.anything() }]) },
      })
      expect(detail.quotas).toEqual(Object.fromEntries(s.communityIds.map((c) => [c, 50])))
      expect(detail.privacyNotice).toEqual(PRIVACY_NOTICE)
      expect(r.body.householdSalt).toMatch(/^[0-9A-Za-z]{24}$/)
    })

    it('should list one QR link per community, unguessable and under PUBLIC_URL or the request origin', async () => {
      const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/links`, { token: s.evaluator.token })
      const links = CampaignLink.array().parse(r.body)
      expect(links.map((l) => l.communityId).sort()).toEqual([...s.communityIds].sort())
      for (const l of links) expect(l.url).toMatch(/^http:\/\/localhost\/s\/[0-9A-Za-z]{16}$/)
      const withPublic = await startApp(dialect, { PUBLIC_URL: 'https://minyi.example.org' })
      try {
        const ps = await setupCampaign(withPublic)
        const publicLinks = await withPublic.call('GET', `/api/v1/campaigns/${ps.campaignId}/links`, { token: ps.evaluator.token })
        expect(publicLinks.body[0].url).toMatch(/^https:\/\/minyi\.example\.org\/s\/[0-9A-Za-z]{16}$/)
      } finally {
        await withPublic.close()
      }
    })

    it('should resolve a QR link anonymously to the public part of the campaign and its one community', async () => {
      const links = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/links`, { token: s.evaluator.token })
      const token = links.body[1].url.split('/s/')[1]
      const r = await h.call('GET', `/api/v1/links/${token}`)
      expect(r.status).toBe(200)
      const link = LinkResolution.parse(r.body)
      expect(link).toMatchObject({ communityId: links.body[1].communityId, channel: 'qr', symposiumId: null })
      expect(link.campaign.communities.map((c) => c.id)).toEqual([links.body[1].communityId])
      expect(link.campaign.questionnaire?.version).toBe(1)
      expect(r.body.campaign).not.toHaveProperty('quotas')
      expect(r.body.campaign).not.toHaveProperty('indicatorConfig')
      expect(r.body.campaign).not.toHaveProperty('householdSalt')
      const unknown = await h.call('GET', '/api/v1/links/AAAAAAAAAAAAAAAA')
      expect(unknown.status).toBe(404)
      expect(unknown.body).toEqual({ code: 'not_found', message: expect.any(String) })
    })

    it('should keep campaign details for signed-in staff and read-only tokens', async () => {
      expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}`)).status).toBe(401)
      expect((await h.call('GET', '/api/v1/campaigns')).status).toBe(401)
      const worker = await h.staff('worker', 'w-read', s.communityIds)
      expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: worker.token })).status).toBe(200)
      const api = await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'bi' } })
      const viaToken = await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: api.body.token })
      expect(viaToken.status).toBe(200)
      expect(viaToken.body).not.toHaveProperty('householdSalt')
      expect((await h.call('GET', `/api/v1/campaigns/${crypto.randomUUID()}`, { token: s.evaluator.token })).status).toBe(404)
    })
  })

  describe('setup', () => {
    it('should keep a published version unchanged while the draft is edited, and publish the draft as the next version', async () => {
      const path = `/api/v1/campaigns/${s.campaignId}`
      const draft = await h.call('GET', `${path}/questionnaire`, { token: s.evaluator.token })
      const edited = { ...draft.body, questions: draft.body.questions.filter((q: { id: string }) => q.id !== 'q_suggestions') }
      expect((await h.call('PUT', `${path}/questionnaire`, { token: s.evaluator.token, body: edited })).status).toBe(200)
      const before = await h.call('GET', path, { token: s.evaluator.token })
      expect(before.body.questionnaire.version).toBe(1)
      expect(before.body.questionnaire.questions.map((q: { id: string }) => q.id)).toContain('q_suggestions')
      h.clock.advance(DAY)
      const published = await h.call('POST', `${path}/questionnaire/publish`, { token: s.evaluator.token })
      expect(published.body).toEqual({ version: 2, publishedAt: h.clock.now().toISOString() })
      const after = await h.call('GET', path, { token: s.evaluator.token })
      expect(after.body.questionnaire.version).toBe(2)
      expect(after.body.questionnaire.questions.map((q: { id: string }) => q.id)).not.toContain('q_suggestions')
      // The campaign was published by the first version; that date does not move.
      expect(after.body.publishedAt).toBe(before.body.publishedAt)
    })

    it('should refuse a questionnaire or config that does not fit, with the method’s code', async () => {
      const path = `/api/v1/campaigns/${s.campaignId}`
      const draft = await h.call('GET', `${path}/questionnaire`, { token: s.evaluator.token })
      const noOverall = {
        ...draft.body,
        questions: draft.body.questions.map((q: { id: string }) => (q.id === 'q_overall' ? { ...q, overall: false } : q)),
      }
      const put = await h.call('PUT', `${path}/questionnaire`, { token: s.evaluator.token, body: noOverall })
      expect(put.status).toBe(400)
      expect(put.body.code).toBe('basis_item_missing')
      const badSet = await h.call('PATCH', path, { token: s.evaluator.token, body: { indicatorConfig: { satisfiedSet: [1, 2] } } })
      expect(badSet.status).toBe(400)
      expect(badSet.body.code).toBe('satisfied_set_invalid')
      const badShape = await h.call('PUT', `${path}/questionnaire`, { token: s.evaluator.token, body: { title: 'no' } })
      expect(badShape.status).toBe(400)
      expect(badShape.body.code).toBe('validation_failed')
      expect(badShape.body.details.length).toBeGreaterThan(0)
    })

    it('should update the window, quotas, communities and config, and add links for new communities', async () => {
      const extra = await h.call('POST', '/api/v1/org-units', {
        token: s.admin.token,
        body: {
          kind: 'community',
          parentId: (await h.call('GET', '/api/v1/org-units', { token: s.admin.token })).body.find(
            (u: { kind: string }) => u.kind === 'street',
          ).id,
          code: 'c-extra',
          name: '新社区',
          population: 900,
        },
      })
      const communityIds = [...s.communityIds, extra.body.id]
      const closesAt = new Date(T0 + 90 * DAY).toISOString()
      const r = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}`, {
        token: s.evaluator.token,
        body: {
          closesAt,
          communityIds,
          quotas: { [extra.body.id]: 120 },
          indicatorConfig: { satisfiedSet: 'top2', target: 0.85, weight: 8 },
        },
      })
      expect(r.status).toBe(200)
      const detail = CampaignDetail.parse(r.body)
      expect(detail.closesAt).toBe(closesAt)
      expect(detail.quotas).toEqual({ [extra.body.id]: 120 })
      expect(detail.communities).toHaveLength(4)
      expect(detail.indicatorConfig).toMatchObject({ satisfiedSet: 'top2', target: 0.85, weight: 8 })
      const links = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/links`, { token: s.evaluator.token })
      expect(links.body).toHaveLength(4)
      const bad = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}`, {
        token: s.evaluator.token,
        body: { closesAt: new Date(T0 - 90 * DAY).toISOString() },
      })
      expect(bad.status).toBe(400)
    })

    it('should create a campaign as a copy of another one’s questionnaire and config', async () => {
      const path = `/api/v1/campaigns/${s.campaignId}`
      const draft = await h.call('GET', `${path}/questionnaire`, { token: s.evaluator.token })
      await h.call('PUT', `${path}/questionnaire`, { token: s.evaluator.token, body: { ...draft.body, title: { zh: '复制用' } } })
      const copy = await h.call('POST', '/api/v1/campaigns', {
        token: s.evaluator.token,
        body: {
          title: '2027年度评价',
          copyOf: s.campaignId,
          opensAt: new Date(T0).toISOString(),
          closesAt: new Date(T0 + DAY).toISOString(),
          communityIds: s.communityIds.slice(0, 2),
        },
      })
      expect(copy.status).toBe(201)
      expect(CampaignDetail.parse(copy.body)).toMatchObject({ status: 'draft', questionnaire: null, publishedAt: null })
      const copiedDraft = await h.call('GET', `/api/v1/campaigns/${copy.body.id}/questionnaire`, { token: s.evaluator.token })
      expect(copiedDraft.body.title).toEqual({ zh: '复制用' })
      const list = await h.call('GET', '/api/v1/campaigns', { token: s.evaluator.token })
      expect(list.body.find((c: { id: string }) => c.id === copy.body.id)).toMatchObject({ status: 'draft' })
    })

    it('should show a campaign as closed once its window has passed', async () => {
      h.clock.advance(31 * DAY)
      const fresh = await h.staff('evaluator', 'eva-closed')
      const r = await h.call('GET', '/api/v1/campaigns', { token: fresh.token })
      expect(r.body[0].status).toBe('closed')
    })

    it('should let only evaluators and admins change a campaign', async () => {
      const worker = await h.staff('worker', 'w-setup', s.communityIds)
      expect((await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}`, { token: worker.token, body: { title: 'x' } })).status).toBe(403)
      expect((await h.call('POST', `/api/v1/campaigns/${s.campaignId}/questionnaire/publish`, { token: worker.token })).status).toBe(403)
      expect((await h.call('POST', '/api/v1/campaigns', { body: {} })).status).toBe(401)
      expect(
        (await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}`, { token: s.admin.token, body: { title: '改名' } })).body.title,
      ).toBe('改名')
    })
  })

  describe('org units', () => {
    it('should keep the district → street → community hierarchy and unique codes', async () => {
      const units = OrgUnit.array().parse((await h.call('GET', '/api/v1/org-units', { token: s.admin.token })).body)
      expect(units.map((u) => u.kind).sort()).toEqual(['community', 'community', 'community', 'district', 'street'])
      const district = units.find((u) => u.kind === 'district')
      const wrongParent = await h.call('POST', '/api/v1/org-units', {
        token: s.admin.token,
        body: { kind: 'community', parentId: district?.id, code: 'c-x', name: 'x' },
      })
      expect(wrongParent.status).toBe(400)
      const dup = await h.call('POST', '/api/v1/org-units', {
        token: s.admin.token,
        body: { kind: 'district', code: district?.code, name: 'again' },
      })
      expect(dup.status).toBe(409)
      expect(dup.body.code).toBe('conflict')
      const community = units.find((u) => u.kind === 'community')
      const patched = await h.call('PATCH', `/api/v1/org-units/${community?.id}`, { token: s.evaluator.token, body: { population: 4321 } })
      expect(patched.body).toMatchObject({ id: community?.id, population: 4321 })
      const worker = await h.staff('worker', 'w-org', [])
      expect(
        (await h.call('POST', '/api/v1/org-units', { token: worker.token, body: { kind: 'district', code: 'd-w', name: 'w' } })).status,
      ).toBe(403)
    })
  })

  describe('household codes', () => {
    it('should print single-use codes once, as links of the community’s QR code', async () => {
      const r = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/household-codes`, {
        token: s.evaluator.token,
        body: { communityId: s.communityIds[0], count: 5 },
      })
      expect(r.status).toBe(201)
      const batch = HouseholdCodeBatch.parse(r.body)
      expect(batch.codes).toHaveLength(5)
      expect(new Set(batch.codes.map((c) => c.code)).size).toBe(5)
      for (const c of batch.codes) {
        expect(c.code).toMatch(/^hc_[0-9A-Za-z]{16}$/)
        expect(c.url).toMatch(new RegExp(`^http://localhost/s/[0-9A-Za-z]{16}\\?h=${c.code}$`))
      }
      // Only hashes are kept.
      const stored = await h.db.db.selectFrom('household_codes').select('code_hash').execute()
      expect(stored.map((x) => x.code_hash)).not.toContain(batch.codes[0]?.code)
      const outside = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/household-codes`, {
        token: s.evaluator.token,
        body: { communityId: crypto.randomUUID(), count: 1 },
      })
      expect(outside.status).toBe(400)
      expect(outside.body.code).toBe('unknown_community')
    })
  })

  describe('errors', () => {
    it('should answer every error as a code and a message, with security headers', async () => {
      const notJson = await h.call('POST', '/api/v1/campaigns', {
        token: s.evaluator.token,
        body: '{',
        headers: { 'content-type': 'application/json' },
      })
      expect(notJson.status).toBe(400)
      expect(notJson.body).toEqual({ code: 'invalid_json', message: expect.any(String) })
      const missing = await h.call('GET', '/api/v1/no-such-thing')
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual({ code: 'not_found', message: expect.any(String) })
      expect(missing.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(missing.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      const text = await h.call('POST', '/api/v1/campaigns', {
        token: s.evaluator.token,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      })
      expect(text.status).toBe(415)
      expect(text.body.code).toBe('unsupported_media_type')
    })
  })
})
