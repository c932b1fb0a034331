import { EnrolmentCode, LoginResponse } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashToken } from '../../server/src/auth/tokens.ts'
import { DAY, DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { responseItem, setupCampaign, sync, templateAnswers } from './server-harness.ts'

// The worker app's credentials (PRODUCT.md C3): enrolment QR codes made by an admin (one-time, 24 h),
// the 30-day bearer session they open, revocation and expiry as the app meets them at sync, and the
// quota progress a worker's home reads. Through the HTTP app, once per database.

const HOUR = 3_600_000

describe.each(DIALECTS)('worker credentials on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let admin: { id: string; token: string }
  let worker: { id: string; token: string }
  beforeEach(async () => {
    h = await startApp(dialect)
    admin = await h.staff('admin', 'admin2')
    worker = await h.staff('worker', 'wang')
  })
  afterEach(async () => {
    await h.close()
  })

  const makeCode = async () => {
    const r = await h.call('POST', `/api/v1/staff/${worker.id}/enrolment`, { token: admin.token, body: {} })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return EnrolmentCode.parse(r.body)
  }
  const enrol = (code: string) => h.call('POST', '/api/v1/auth/enrol', { body: { code } })

  it('should give an admin a code for a worker that opens a 30-day bearer session once, without a cookie', async () => {
    const made = await makeCode()
    expect(made.url).toMatch(/\/w\/enrol#[\w-]{32}$/)
    expect(made.url.endsWith(`#${made.code}`)).toBe(true)
    expect(Date.parse(made.expiresAt) - h.clock.now().getTime()).toBe(24 * HOUR)
    const r = await enrol(made.code)
    expect(r.status).toBe(200)
    expect(r.headers.get('set-cookie')).toBeNull()
    const body = LoginResponse.parse(r.body)
    expect(body.user).toMatchObject({ id: worker.id, role: 'worker' })
    expect(Date.parse(body.expiresAt) - h.clock.now().getTime()).toBe(30 * DAY)
    const me = await h.call('GET', '/api/v1/auth/me', { token: body.token })
    expect(me.status).toBe(200)
    expect(me.body.session.via).toBe('bearer')
    expect((await enrol(made.code)).body.code).toBe('enrolment_invalid')
  })

  it('should refuse a code after 24 hours, and an earlier code once a new one is made', async () => {
    const first = await makeCode()
    const second = await makeCode()
    const stale = await enrol(first.code)
    expect(stale.status).toBe(401)
    expect(stale.body.code).toBe('enrolment_invalid')
    h.clock.advance(24 * HOUR)
    expect((await enrol(second.code)).body.code).toBe('enrolment_invalid')
    const third = await makeCode()
    h.clock.advance(24 * HOUR - 1000)
    expect((await enrol(third.code)).status).toBe(200)
  })

  it('should store only the hash of a code', async () => {
    const made = await makeCode()
    const rows = await h.db.db.selectFrom('enrolment_codes').selectAll().execute()
    expect(rows.map((r) => r.id)).toEqual([hashToken(made.code)])
  })

  it('should make codes only for enabled workers, and refuse a code whose worker was disabled since', async () => {
    const evaluator = await h.staff('evaluator', 'li')
    const forEvaluator = await h.call('POST', `/api/v1/staff/${evaluator.id}/enrolment`, { token: admin.token, body: {} })
    expect(forEvaluator.status).toBe(409)
    const made = await makeCode()
    expect((await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { disabled: true } })).status).toBe(200)
    expect((await enrol(made.code)).body.code).toBe('enrolment_invalid')
  })

  it('should answer 401 at sync once the worker’s session is revoked or expired, so the app keeps its queue', async () => {
    const s = await setupCampaign(h, { communities: 1 })
    await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { communityIds: s.communityIds } })
    const phone = LoginResponse.parse((await enrol((await makeCode()).code)).body).token
    const ok = await sync(h, [responseItem(h, s, { channel: 'door' })], { token: phone })
    expect(ok.body.results[0].status).toBe('created')

    const expiring = LoginResponse.parse((await enrol((await makeCode()).code)).body).token
    expect((await h.call('POST', `/api/v1/staff/${worker.id}/sessions/revoke`, { token: admin.token, body: {} })).status).toBe(200)
    const revoked = await sync(h, [responseItem(h, s, { channel: 'door' })], { token: phone })
    expect([revoked.status, revoked.body.code]).toEqual([401, 'unauthenticated'])

    const fresh = LoginResponse.parse((await enrol((await makeCode()).code)).body).token
    h.clock.advance(30 * DAY)
    const expired = await sync(h, [responseItem(h, s, { channel: 'door' })], { token: fresh })
    expect([expired.status, expired.body.code]).toEqual([401, 'session_expired'])
    expect((await sync(h, [], { token: expiring })).status).toBe(401)
  })

  it('should show a worker the quota progress of their own communities only', async () => {
    const s = await setupCampaign(h, { communities: 3 })
    await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { communityIds: [s.communityIds[1]] } })
    const answers = { ...templateAnswers(), q_overall: 5 }
    await sync(h, [
      responseItem(h, s, { communityId: s.communityIds[1]!, answers }),
      responseItem(h, s, { communityId: s.communityIds[0]!, answers }),
    ])
    const mine = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/progress`, { token: worker.token })
    expect(mine.status).toBe(200)
    expect(mine.body).toEqual([{ communityId: s.communityIds[1], received: 1, valid: 1, quota: 50 }])
    const all = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/progress`, { token: s.evaluator.token })
    expect(all.body.map((c: { received: number }) => c.received)).toEqual([1, 1, 0])
  })
})
