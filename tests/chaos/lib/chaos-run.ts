import { join } from 'node:path'
import { rng } from '../../support/data.ts'
import { createTestDatabase } from '../../support/pg.ts'
import { responseMaker, SimDevice, visitMaker } from './devices.ts'
import { CHAOS_FAULTS, FaultProxy, type ProxyStats } from './proxy.ts'
import { Cluster } from './scaleout.ts'
import { checkRun, checkVisits, pgReader, type RunCheck, Staff, sqliteReader } from './verify.ts'

export interface ChaosOptions {
  db: 'sqlite' | 'postgres'
  /** Responses made by all devices together. */
  responses: number
  devices: number
  /** Door visits (kind `visit`) one worker's phone records meanwhile (default: a quarter of `responses`). */
  visits?: number
  /** SIGKILLs of a server process (each followed by a restart). */
  kills: number
  /** How many times faster the devices' retry timers run. */
  speedup?: number
  /** Responses per second the devices make together while the faults go on. */
  rate?: number
  /** Give up draining the outboxes after this long. */
  drainTimeoutMs?: number
  seed?: number
  log?: (line: string) => void
}

export interface ChaosResult extends RunCheck {
  visits: Awaited<ReturnType<typeof checkVisits>>
  db: 'sqlite' | 'postgres'
  kills: number
  appRestarts: number
  outboxLeft: number
  attentionLeft: number
  proxy: ProxyStats
  seconds: number
  drainSeconds: number
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * One chaos run: a fresh server (SQLite: one process; PostgreSQL: nginx and two instances), the
 * fault proxy in front of it, `devices` simulated phones submitting `responses` through it while
 * server processes are SIGKILLed and restarted, then the devices drain their outboxes (faults still
 * on) and every check runs.
 */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const log = opts.log ?? (() => undefined)
  const speedup = opts.speedup ?? 10
  const rate = opts.rate ?? 40
  const random = rng(opts.seed ?? 7)
  const started = performance.now()
  const pgDb = opts.db === 'postgres' ? await createTestDatabase('minyi_chaos') : null
  const cluster = await Cluster.start({
    ...(pgDb ? { databaseUrl: pgDb.url } : {}),
    // The limiter is `pnpm load`'s subject; here every device shares 127.0.0.1 and the run is about faults.
    env: { RATE_LIMIT_ANON: '1000000' },
  })
  const devices: SimDevice[] = []
  let worker: SimDevice | null = null
  let proxy: FaultProxy | null = null
  let appRestarts = 0
  try {
    const staff = await Staff.login(cluster.url)
    const target = await staff.target()
    proxy = new FaultProxy(cluster.url, CHAOS_FAULTS, random)
    const proxyStats = proxy.stats
    const proxyUrl = await proxy.listen()
    for (let d = 0; d < opts.devices; d++) devices.push(new SimDevice(`d${d}`, `${proxyUrl}/api/v1/sync`, speedup))
    // A worker's phone, signed in (bearer token), records door visits through the same faults.
    const visitsTotal = opts.visits ?? Math.round(opts.responses / 4)
    if (visitsTotal > 0) {
      await staff.send('POST', '/api/v1/staff', {
        name: 'Chaos worker',
        login: 'chaos-worker',
        role: 'worker',
        communityIds: target.communityIds,
        password: 'chaos-worker-password',
      })
      const signedIn = await Staff.login(cluster.url, 'chaos-worker-password', 'chaos-worker')
      worker = new SimDevice('worker', `${proxyUrl}/api/v1/sync`, speedup, signedIn.fetch)
    }
    log(
      `chaos[${opts.db}]: ${opts.devices} devices → fault proxy (drop ${CHAOS_FAULTS.drop * 100}%, lose answer ${CHAOS_FAULTS.loseAnswer * 100}%, late copy ${CHAOS_FAULTS.late * 100}%, delay ≤${CHAOS_FAULTS.maxDelayMs} ms each way) → ${cluster.dialect === 'postgres' ? `nginx → ${cluster.instances.length} instances → PostgreSQL` : 'server → SQLite'}`,
    )

    // Devices submit at `rate` per second together, each at its own pace; kills are spread over that time.
    const produceMs = (opts.responses / rate) * 1000
    const perDevice = Array.from(
      { length: opts.devices },
      (_, d) => Math.floor(opts.responses / opts.devices) + (d < opts.responses % opts.devices ? 1 : 0),
    )
    const makers = devices.map((_, d) => responseMaker(target, (opts.seed ?? 7) * 100 + d))
    const producing = devices.map(async (device, d) => {
      const n = perDevice[d] ?? 0
      const gap = produceMs / Math.max(1, n)
      for (let i = 0; i < n; i++) {
        await sleep(gap * (0.5 + random()))
        await device.submit(makers[d]!())
      }
    })
    const makeVisit = visitMaker(target, (opts.seed ?? 7) * 100 + 99)
    const visiting = (async () => {
      if (!worker) return
      const gap = produceMs / visitsTotal
      for (let i = 0; i < visitsTotal; i++) {
        await sleep(gap * (0.5 + random()))
        await worker.recordVisit(makeVisit())
      }
    })()
    const killing = (async () => {
      const t0 = performance.now()
      for (let k = 0; k < opts.kills; k++) {
        await sleep(t0 + ((k + 1) * produceMs) / (opts.kills + 1) - performance.now())
        // Instances in turn; with three kills or more behind nginx, the last one takes every instance
        // down at once (a full outage, nothing to fail over to).
        const all = cluster.instances.length > 1 && opts.kills >= 3 && k === opts.kills - 1
        const victims = all ? cluster.instances : [cluster.instances[k % cluster.instances.length]!]
        await Promise.all(victims.map((inst) => cluster.kill(inst)))
        // A phone's app dies at the same moment (its flush in flight abandoned).
        const device = devices[k % devices.length]!
        await device.restartApp()
        appRestarts++
        log(
          `chaos[${opts.db}]: SIGKILL instance ${victims.map((i) => i.index).join(' and ')} (kill event ${k + 1}/${opts.kills}); app of ${device.name} restarted`,
        )
        await sleep(500 + random() * 1500)
        for (const inst of victims) await cluster.startInstance(inst)
      }
    })()
    const progress = setInterval(() => {
      const made = devices.reduce((n, d) => n + d.saved.length, 0)
      void Promise.all(devices.map((d) => d.counts())).then((c) => {
        const left = c.reduce((n, x) => n + x.outbox, 0)
        log(`chaos[${opts.db}]: ${made} made, ${left} queued, proxy ${JSON.stringify(proxy?.stats)}`)
      })
    }, 5_000)
    try {
      await Promise.all([...producing, visiting, killing])

      // Drain: the faults stay on; triggers (page visible, network back) flush each device until empty.
      const drainStart = performance.now()
      const deadline = Date.now() + (opts.drainTimeoutMs ?? 180_000)
      const phones = worker ? [...devices, worker] : devices
      for (;;) {
        const counts = await Promise.all(phones.map((d) => d.counts()))
        if (counts.every((c) => c.outbox === 0)) break
        if (Date.now() > deadline) break
        await Promise.all(phones.map((d) => d.flush().catch(() => null)))
        await sleep(200)
      }
      const drainSeconds = (performance.now() - drainStart) / 1000
      // Late copies still on their way reach the server before anything is counted.
      await proxy.close()
      proxy = null
      const counts = await Promise.all(phones.map((d) => d.counts()))
      const sentIds = devices.flatMap((d) => d.saved)
      const reader = pgDb ? pgReader(pgDb.url) : sqliteReader(join(cluster.dir, 'minyi.sqlite'))
      let check: RunCheck
      let visits: Awaited<ReturnType<typeof checkVisits>>
      try {
        check = await checkRun(staff, reader, target.campaignId, sentIds)
        visits = await checkVisits(reader, target.campaignId, worker?.saved ?? [])
      } finally {
        await reader.close()
      }
      const outboxLeft = counts.reduce((n, c) => n + c.outbox, 0)
      const attentionLeft = counts.reduce((n, c) => n + c.attention, 0)
      if (outboxLeft > 0) check.problems.push(`${outboxLeft} responses still in outboxes`)
      if (attentionLeft > 0) check.problems.push(`${attentionLeft} responses in needs-attention boxes (rejected)`)
      if (visits.lost > 0) check.problems.push(`${visits.lost} sent visits are not stored`)
      if (visits.duplicated + visits.unexpected > 0)
        check.problems.push(`visits: ${visits.duplicated} duplicated, ${visits.unexpected} unexpected`)
      if (cluster.kills < opts.kills) check.problems.push(`only ${cluster.kills} kills`)
      return {
        ...check,
        visits,
        db: opts.db,
        kills: cluster.kills,
        appRestarts,
        outboxLeft,
        attentionLeft,
        proxy: proxyStats,
        seconds: (performance.now() - started) / 1000,
        drainSeconds,
      }
    } finally {
      clearInterval(progress)
    }
  } finally {
    if (proxy) await proxy.close()
    for (const d of devices) d.stop()
    worker?.stop()
    await cluster.stop()
    await pgDb?.drop()
  }
}
