// `pnpm load`: anonymous sync at rising concurrency through nginx and two instances on PostgreSQL
// (the scale-out of docs/DEPLOY.md), on loopback only, bounded in time and count.
// 1. Stages of 1, 2, 4 … 64 concurrent residents' phones, each request one response (what a phone
//    sends after a submit), each phone its own loopback address (127.0.0.2 …) so the per-address
//    limit sees many clients as it would on the internet: throughput, p50/p99 latency, error rate.
//    A request that fails is resent (same id) until answered, as the app's outbox does.
// 2. A carrier NAT: 30 phones running the client's real outbox and sync engine behind ONE address
//    submit faster than the limit allows: the server answers 429 with Retry-After, the engines wait
//    it out (real time) and resend until every outbox is empty.
// Then every response is checked stored exactly once, aggregates equal a recomputation, the chain
// verifies. Options: --stage-seconds N (6), --max-concurrency N (64), --nat-phones N (20).
// The limit is 30 per 10 s window per address (a 10 s window so a run waits seconds, not a minute,
// for Retry-After; low enough that the NAT meets it on a busy machine); 1000 addresses in the stages
// keep it out of the throughput figures (30,000 requests per window before any 429).
import type { ResponseItem } from '@minyi/shared/schemas'
import { boundFetch } from '../chaos/lib/bound-fetch.ts'
import { responseMaker, SimDevice } from '../chaos/lib/devices.ts'
import { Cluster } from '../chaos/lib/scaleout.ts'
import { checkRun, pgReader, Staff } from '../chaos/lib/verify.ts'
import { createTestDatabase } from '../support/pg.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const STAGE_MS = opt('stage-seconds', 6) * 1000
const MAX_CONCURRENCY = opt('max-concurrency', 64)
const NAT_PHONES = opt('nat-phones', 30)
const LIMIT = 30
const WINDOW_S = 10
/** Loopback addresses the stages' phones come from (127.0.0.3 …): the limit allows LIMIT × ADDRESSES per window. */
const ADDRESSES = 1000
/** Stops the whole run whatever happens. */
const HARD_DEADLINE = Date.now() + 15 * 60_000
/** At most this many requests in the stages together. */
const MAX_REQUESTS = 200_000

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

interface Stage {
  concurrency: number
  requests: number
  ok: number
  limited: number
  errors: number
  seconds: number
  p50: number
  p99: number
}

const db = await createTestDatabase('minyi_load')
const cluster = await Cluster.start({
  databaseUrl: db.url,
  env: { RATE_LIMIT_ANON: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_S) },
})
let exitCode = 0
try {
  const staff = await Staff.login(cluster.url)
  const target = await staff.target()
  const make = responseMaker(target, 31)
  const sent: string[] = []
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.${Math.floor((i + 2) / 250)}.${((i + 2) % 250) + 1}`)
  const fetchers = addresses.map((a) => boundFetch(a))
  let nextAddress = 0
  let totalRequests = 0

  async function post(f: typeof fetch, item: ResponseItem): Promise<{ status: number; ms: number }> {
    const t = performance.now()
    try {
      const res = await f(`${cluster.url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: `load-phone-${nextAddress % ADDRESSES}`, appVersion: 'load', outboxSize: 1, items: [item] }),
      })
      await res.arrayBuffer()
      return { status: res.status, ms: performance.now() - t }
    } catch {
      return { status: 0, ms: performance.now() - t }
    }
  }

  const stages: Stage[] = []
  const errorKinds = new Map<number, number>()
  const unanswered: ResponseItem[] = []
  for (let c = 1; c <= MAX_CONCURRENCY && Date.now() < HARD_DEADLINE; c *= 2) {
    const latencies: number[] = []
    const stage: Stage = { concurrency: c, requests: 0, ok: 0, limited: 0, errors: 0, seconds: 0, p50: 0, p99: 0 }
    const started = performance.now()
    const end = Date.now() + STAGE_MS
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (Date.now() < end && totalRequests < MAX_REQUESTS) {
          // Each request from the next phone (address) in turn: ~1000 phones share the stage's load.
          const f = fetchers[nextAddress++ % fetchers.length]!
          const item = make()
          sent.push(item.id)
          const r = await post(f, item)
          totalRequests++
          stage.requests++
          latencies.push(r.ms)
          if (r.status === 200) stage.ok++
          else if (r.status === 429) stage.limited++
          else {
            stage.errors++
            errorKinds.set(r.status, (errorKinds.get(r.status) ?? 0) + 1)
          }
          if (r.status !== 200) unanswered.push(item)
        }
      }),
    )
    stage.seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    stage.p50 = percentile(latencies, 50)
    stage.p99 = percentile(latencies, 99)
    stages.push(stage)
    console.log(
      `load: ${String(c).padStart(2)} concurrent: ${(stage.ok / stage.seconds).toFixed(0).padStart(5)} req/s, p50 ${stage.p50.toFixed(1)} ms, p99 ${stage.p99.toFixed(1)} ms, ${stage.requests} requests, ${stage.errors} errors, ${stage.limited} × 429`,
    )
  }
  // What failed is resent by its phone later (same id): here, once the stages are over.
  for (const item of unanswered.splice(0)) {
    for (let tries = 0; tries < 20; tries++) {
      const r = await post(fetchers[tries % fetchers.length]!, item)
      if (r.status === 200) break
      await sleep(r.status === 429 ? 1000 : 200)
    }
  }

  // The carrier NAT: real engines behind one address, submitting faster than the limit.
  const natStart = performance.now()
  const natFetch = boundFetch('127.0.9.1')
  const statuses = new Map<number, number>()
  const retryAfters: string[] = []
  const countingFetch: typeof fetch = async (input, init) => {
    const res = await natFetch(input, init)
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    if (res.status === 429) retryAfters.push(res.headers.get('retry-after') ?? '')
    return res
  }
  const phones = Array.from({ length: NAT_PHONES }, (_, i) => new SimDevice(`nat${i}`, `${cluster.url}/api/v1/sync`, 1, countingFetch))
  const natMakers = phones.map((_, i) => responseMaker(target, 500 + i))
  await Promise.all(
    phones.map(async (phone, i) => {
      for (let k = 0; k < 20; k++) {
        await phone.submit(natMakers[i]!())
        await sleep(50)
      }
    }),
  )
  // The engines retry on their own timers (Retry-After); wait for every outbox to empty.
  const natDeadline = Date.now() + 120_000
  for (;;) {
    const counts = await Promise.all(phones.map((p) => p.counts()))
    if (counts.every((x) => x.outbox === 0) || Date.now() > natDeadline) break
    await sleep(250)
  }
  const natCounts = await Promise.all(phones.map((p) => p.counts()))
  const natLeft = natCounts.reduce((n, x) => n + x.outbox + x.attention, 0)
  for (const p of phones) p.stop()
  const natIds = phones.flatMap((p) => p.saved)
  sent.push(...natIds)
  const limited = statuses.get(429) ?? 0
  console.log(
    `load: NAT of ${NAT_PHONES} phones on one address: ${natIds.length} responses, ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}, Retry-After ${[...new Set(retryAfters)].sort().join('/')} s, outboxes empty after ${((performance.now() - natStart) / 1000).toFixed(1)} s, ${natLeft} left`,
  )

  const reader = pgReader(db.url)
  const check = await checkRun(staff, reader, target.campaignId, sent).finally(() => reader.close())
  if (natLeft > 0) check.problems.push(`${natLeft} responses left in the NAT phones' outboxes`)
  if (limited === 0) check.problems.push('the rate limiter never answered 429 to the NAT phones')
  if (retryAfters.some((r) => !(Number(r) > 0))) check.problems.push('a 429 without a usable Retry-After')
  for (const p of check.problems) console.log(`load: FAIL ${p}`)
  console.log(
    `load: ${check.sent} responses sent, ${check.stored} stored, chain ${check.chain.ok ? 'verifies' : 'BROKEN'} (${check.chain.length}), aggregates ${check.aggregatesEqualRecompute ? '=' : '≠'} recomputation`,
  )
  if (errorKinds.size > 0)
    console.log(`load: errors by status (0: no answer): ${[...errorKinds].map(([s, n]) => `${n} × ${s}`).join(', ')}`)
  const peak = stages.reduce((best, s) => (s.ok / s.seconds > best.ok / best.seconds ? s : best), stages[0]!)
  const errors = stages.reduce((n, s) => n + s.errors, 0)
  console.log(
    `load: peak at ${peak.concurrency} concurrent; error rate ${((errors / Math.max(1, totalRequests)) * 100).toFixed(2)} % of ${totalRequests} requests`,
  )
  console.log(
    `load: ${(peak.ok / peak.seconds).toFixed(0)} req/s peak, p99 ${peak.p99.toFixed(0)} ms, ${errors} errors, ${check.lost} lost`,
  )
  if (check.problems.length > 0) exitCode = 1
} finally {
  await cluster.stop()
  await db.drop()
}
process.exit(exitCode)
