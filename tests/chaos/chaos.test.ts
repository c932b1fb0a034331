import { describe, expect, it } from 'vitest'
import { uuidv7 } from '../support/data.ts'
import { boundFetch } from './lib/bound-fetch.ts'
import { runChaos } from './lib/chaos-run.ts'
import { responseMaker, SimDevice } from './lib/devices.ts'
import { Cluster } from './lib/scaleout.ts'
import { checkRun, Staff, sqliteReader } from './lib/verify.ts'

// The short form of `pnpm chaos` (300 responses, one kill, SQLite); the full runs and their figures
// are in docs/RELIABILITY.md.
describe('chaos (short form)', () => {
  it('should store every response and visit exactly once and empty every outbox when requests drop, answers are lost and the server is SIGKILLed', async () => {
    const r = await runChaos({ db: 'sqlite', responses: 300, devices: 3, kills: 1, seed: 11 })
    // The faults really happened (a run without them would prove nothing).
    expect(r.proxy.dropped).toBeGreaterThan(10)
    expect(r.proxy.lostAnswers).toBeGreaterThan(5)
    expect(r.kills).toBe(1)
    expect(r.problems).toEqual([])
    expect(r).toMatchObject({ sent: 300, stored: 300, lost: 0, duplicated: 0, unexpected: 0, outboxLeft: 0, attentionLeft: 0 })
    expect(r.chain).toEqual({ ok: true, length: 300 })
    // A signed-in worker's phone recorded door visits through the same faults.
    expect(r.visits).toEqual({ sent: 75, stored: 75, lost: 0, duplicated: 0, unexpected: 0 })
    expect(r.aggregatesEqualRecompute).toBe(true)
  }, 120_000)

  it('should report a response as lost when a sent id is not in the database', async () => {
    const cluster = await Cluster.start({})
    try {
      const staff = await Staff.login(cluster.url)
      const target = await staff.target()
      const make = responseMaker(target, 5)
      const items = [make(), make()]
      const res = await fetch(`${cluster.url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: 'check-device', appVersion: 'test', outboxSize: 0, items }),
      })
      expect(res.status).toBe(200)
      const reader = sqliteReader(`${cluster.dir}/minyi.sqlite`)
      try {
        const ok = await checkRun(
          staff,
          reader,
          target.campaignId,
          items.map((i) => i.id),
        )
        expect(ok).toMatchObject({ sent: 2, stored: 2, lost: 0, duplicated: 0, problems: [] })
        const missing = await checkRun(staff, reader, target.campaignId, [items[0]!.id, uuidv7()])
        expect(missing).toMatchObject({ sent: 2, stored: 1, lost: 1, unexpected: 1 })
        expect(missing.problems).toContain('1 sent responses are not stored')
      } finally {
        await reader.close()
      }
    } finally {
      await cluster.stop()
    }
  }, 60_000)

  it('should resend after Retry-After without loss when phones behind one address outrun the rate limit', async () => {
    const cluster = await Cluster.start({ env: { RATE_LIMIT_ANON: '5', RATE_LIMIT_WINDOW_SECONDS: '2' } })
    const phones: SimDevice[] = []
    try {
      const staff = await Staff.login(cluster.url)
      const target = await staff.target()
      const nat = boundFetch('127.0.8.1')
      const statuses: number[] = []
      const retryAfter: (string | null)[] = []
      const counting: typeof fetch = async (input, init) => {
        const res = await nat(input, init)
        statuses.push(res.status)
        if (res.status === 429) retryAfter.push(res.headers.get('retry-after'))
        return res
      }
      for (let i = 0; i < 3; i++) phones.push(new SimDevice(`limited${i}`, `${cluster.url}/api/v1/sync`, 1, counting))
      await Promise.all(
        phones.map(async (phone, i) => {
          const make = responseMaker(target, 70 + i)
          for (let k = 0; k < 8; k++) {
            await phone.submit(make())
            await new Promise((r) => setTimeout(r, 30))
          }
        }),
      )
      // The engines retry on their own timers (Retry-After, real time).
      const deadline = Date.now() + 40_000
      while (Date.now() < deadline && (await Promise.all(phones.map((p) => p.counts()))).some((c) => c.outbox > 0))
        await new Promise((r) => setTimeout(r, 200))
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
      for (const r of retryAfter) expect(Number(r)).toBeGreaterThan(0)
      expect(await Promise.all(phones.map((p) => p.counts()))).toEqual(phones.map(() => ({ outbox: 0, attention: 0 })))
      const reader = sqliteReader(`${cluster.dir}/minyi.sqlite`)
      try {
        const check = await checkRun(
          staff,
          reader,
          target.campaignId,
          phones.flatMap((p) => p.saved),
        )
        expect(check).toMatchObject({ sent: 24, stored: 24, lost: 0, duplicated: 0, problems: [] })
      } finally {
        await reader.close()
      }
    } finally {
      for (const p of phones) p.stop()
      await cluster.stop()
    }
  }, 60_000)
})
