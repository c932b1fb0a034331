import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, setupCampaign, sync } from './server-harness.ts'

// C5 live progress: each community's last activity, kept by ingest.

describe.each(DIALECTS)('community activity on $dialect', ({ dialect, skip }) => {
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

  const activity = async () =>
    (await h.call('GET', `/api/v1/campaigns/${s.campaignId}/activity`, { token: s.evaluator.token })).body as {
      communityId: string
      lastReceivedAt: string
    }[]

  it('should record when each community last had a response accepted, and not move for replays or rejections', async () => {
    expect(await activity()).toEqual([])
    const [a, b] = s.communityIds as [string, string]
    const first = responseItem(h, s, { communityId: a })
    const r1 = await sync(h, [first, responseItem(h, s, { communityId: b })], { deviceId: 'activity-device-1' })
    expect(r1.status, JSON.stringify(r1.body)).toBe(200)
    expect(
      r1.body.results.map((x: { status: string }) => x.status),
      JSON.stringify(r1.body),
    ).toEqual(['created', 'created'])
    const t1 = h.clock.now().toISOString()
    h.clock.advance(5 * 60_000)
    const t2 = h.clock.now().toISOString()
    await sync(h, [responseItem(h, s, { communityId: b })], { deviceId: 'activity-device-2' })
    h.clock.advance(5 * 60_000)
    // A replay of an accepted response and a rejected one change nothing.
    await sync(h, [first, { ...responseItem(h, s, { communityId: a }), answers: { q_overall: 99 } }], { deviceId: 'activity-device-1' })
    const byCommunity = Object.fromEntries((await activity()).map((r) => [r.communityId, r.lastReceivedAt]))
    expect(byCommunity).toEqual({ [a]: t1, [b]: t2 })
  })
})
