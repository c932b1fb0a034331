import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, setupCampaign, sync } from './server-harness.ts'

// C4 symposiums as staff see them: list with sheet counts, the symposium's own QR link, the projector count.

describe.each(DIALECTS)('symposiums on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  const symposium = (over: Record<string, unknown> = {}) => ({
    kind: 'symposium',
    id: randomUUID(),
    campaignId: s.campaignId,
    title: '社区服务群众座谈会',
    date: '2026-03-01',
    place: '社区党群服务中心',
    communityId: s.communityIds[0],
    streetId: null,
    host: '王书记',
    recorder: '李干事',
    attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
    remarks: [{ id: randomUUID(), speakerCategory: 'resident', kind: 'problem', text: '楼道灯不亮', followUp: null }],
    ...over,
  })
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
  })
  afterEach(async () => {
    await h.close()
  })

  it('should give a symposium one QR link whose sheets count on its projector and in the list', async () => {
    const sym = symposium()
    expect((await sync(h, [sym], { token: s.evaluator.token })).body.results[0].status).toBe('created')
    const base = `/api/v1/campaigns/${s.campaignId}/symposiums`
    const made = await h.call('POST', `${base}/${sym.id}/link`, { token: s.evaluator.token })
    expect(made.status).toBe(200)
    const again = await h.call('POST', `${base}/${sym.id}/link`, { token: s.admin.token })
    expect(again.body.url).toBe(made.body.url)

    const token = new URL(made.body.url).pathname.split('/').pop()
    const link = await h.call('GET', `/api/v1/links/${token}`)
    expect(link.body).toMatchObject({ channel: 'symposium', symposiumId: sym.id, communityId: s.communityIds[0] })

    // Two attendees scan it (anonymous, as residents do); a QR answer elsewhere does not count.
    for (let i = 0; i < 2; i++) {
      const sheet = responseItem(h, s, { channel: 'symposium', symposiumId: sym.id, communityId: s.communityIds[0] })
      expect((await sync(h, [sheet], { deviceId: `attendee-${i}` })).body.results[0].status).toBe('created')
    }
    expect((await sync(h, [responseItem(h, s)], { deviceId: 'resident-0' })).body.results[0].status).toBe('created')

    const worker = await h.staff('worker', 'recorder', [s.communityIds[0] ?? ''])
    const count = await h.call('GET', `${base}/${sym.id}/count`, { token: worker.token })
    expect(count.body).toEqual({ id: sym.id, title: sym.title, sheets: 2 })
    const list = await h.call('GET', base, { token: s.evaluator.token })
    expect(list.body).toEqual([
      expect.objectContaining({
        id: sym.id,
        sheets: 2,
        remarks: 1,
        attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
        url: made.body.url,
      }),
    ])
  })

  it('should refuse a QR link for a street-level symposium and 404 a symposium of another campaign', async () => {
    const { parent_id } = await h.db.db
      .selectFrom('org_units')
      .select('parent_id')
      .where('id', '=', s.communityIds[0] ?? '')
      .executeTakeFirstOrThrow()
    const street = symposium({ communityId: null, streetId: parent_id })
    expect((await sync(h, [street], { token: s.evaluator.token })).body.results[0].status).toBe('created')
    const r = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/symposiums/${street.id}/link`, { token: s.evaluator.token })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('unknown_community')
    const other = await setupCampaign(h, { communities: 1 })
    const elsewhere = await h.call('GET', `/api/v1/campaigns/${other.campaignId}/symposiums/${street.id}/count`, {
      token: s.evaluator.token,
    })
    expect(elsewhere.status).toBe(404)
  })
})
