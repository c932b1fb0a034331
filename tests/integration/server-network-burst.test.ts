import { NETWORK_BURST } from '@minyi/shared/method'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, setupCampaign } from './server-harness.ts'

// Issue 10 point 8 / METHOD.md §3 `network_burst`: one address sent 50 QR answers with 50 new device
// ids and none was flagged. Now every QR response after the 10th from one address within 10 minutes is
// flagged, whatever the device ids; only a keyed hash of the address is kept.

describe.each(DIALECTS)('network_burst on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    // Behind a trusted proxy, the address is the last X-Forwarded-For entry.
    h = await startApp(dialect, { TRUST_PROXY: '1' })
    s = await setupCampaign(h)
  })
  afterEach(async () => {
    await h.close()
  })

  const send = (address: string, deviceId: string, items: unknown[]) =>
    h.call('POST', '/api/v1/sync', {
      headers: { 'x-forwarded-for': address },
      body: { deviceId, appVersion: '1.0.0', outboxSize: 0, items },
    })
  const flagsOf = async (ids: string[]) => {
    const rows = await h.db.db.selectFrom('responses').select(['id', 'flags']).where('id', 'in', ids).execute()
    const byId = new Map(rows.map((r) => [r.id, r.flags.split(',').filter(Boolean)]))
    return ids.map((id) => byId.get(id) ?? [])
  }

  it('should flag every answer after the 10th of 50 from one address with 50 device ids, and count it in the indicator', async () => {
    const ids: string[] = []
    for (let i = 0; i < 50; i++) {
      const item = responseItem(h, s)
      ids.push(item.id)
      const r = await send('203.0.113.7', `phone-${String(i).padStart(4, '0')}-fresh`, [item])
      expect(r.body.results[0].status).toBe('created')
      h.clock.advance(5_000) // 50 answers in about four minutes
    }
    const flags = await flagsOf(ids)
    expect(flags.slice(0, NETWORK_BURST.max).every((f) => !f.includes('network_burst'))).toBe(true)
    expect(flags.slice(NETWORK_BURST.max).every((f) => f.includes('network_burst'))).toBe(true)
    // One phone each: never duplicate_device.
    expect(flags.some((f) => f.includes('duplicate_device'))).toBe(false)
    const ind = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })
    expect(ind.body.n.flagged.network_burst).toBe(40)
    const full = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator?recompute=1`, { token: s.evaluator.token })
    expect(full.body.n).toEqual(ind.body.n)
    // Listed for review with the flag.
    const listed = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/responses?limit=500`, { token: s.evaluator.token })
    expect(listed.body.filter((r: { flags: string[] }) => r.flags.includes('network_burst'))).toHaveLength(40)
    // Only a keyed hash of the address is kept: the address appears in no table.
    const windows = await h.db.db.selectFrom('network_windows').selectAll().execute()
    expect(windows).toHaveLength(1)
    expect(windows[0]?.network_key).toMatch(/^[0-9a-f]{32}$/)
    for (const table of ['network_windows', 'rate_limits', 'responses', 'devices'] as const) {
      const rows = await h.db.db.selectFrom(table).selectAll().execute()
      expect(JSON.stringify(rows)).not.toContain('203.0.113.7')
    }
  })

  it('should count within a sliding 10-minute window, per address, and only on the qr channel', async () => {
    const first: string[] = []
    for (let i = 0; i < 10; i++) {
      const item = responseItem(h, s)
      first.push(item.id)
      await send('198.51.100.1', `dev-a-${i}-xxxxxx`, [item])
    }
    // Another address is counted apart.
    const other = responseItem(h, s)
    await send('198.51.100.2', 'dev-b-0-xxxxxx', [other])
    // The 11th from the first address within the window: flagged.
    h.clock.advance(9 * 60_000)
    const eleventh = responseItem(h, s)
    await send('198.51.100.1', 'dev-a-10-xxxxx', [eleventh])
    // Ten minutes after the first ten, only the 11th is still in the window: not flagged.
    h.clock.advance(2 * 60_000)
    const later = responseItem(h, s)
    await send('198.51.100.1', 'dev-a-11-xxxxx', [later])
    const flags = await flagsOf([...first, other.id, eleventh.id, later.id])
    expect(flags.map((f) => f.includes('network_burst'))).toEqual([...Array(11).fill(false), true, false])
    // Eleven in one batch from one address: the 11th is flagged too.
    const batch = Array.from({ length: 11 }, () => responseItem(h, s, { communityId: s.communityIds[1] }))
    h.clock.advance(60 * 60_000)
    await send('198.51.100.3', 'dev-c-batch-xxx', batch)
    expect((await flagsOf(batch.map((b) => b.id))).map((f) => f.includes('network_burst'))).toEqual([...Array(10).fill(false), true])
    // A worker's door answers from one address are not counted: the flag is for the self-administered channel.
    const worker = await h.staff('worker', 'burstworker', s.communityIds)
    const door = Array.from({ length: 12 }, (_, i) => responseItem(h, s, { channel: 'door', householdKey: String(i).padStart(64, 'e') }))
    const r = await h.call('POST', '/api/v1/sync', {
      token: worker.token,
      headers: { 'x-forwarded-for': '198.51.100.3' },
      body: { deviceId: 'worker-phone-01', appVersion: '1.0.0', outboxSize: 0, items: door },
    })
    expect(r.body.results.every((x: { status: string }) => x.status === 'created')).toBe(true)
    expect((await flagsOf(door.map((d) => d.id))).some((f) => f.includes('network_burst'))).toBe(false)
  })
})
