// `pnpm bench:ingest`: 100,000 ten-item responses over HTTP (batches of 100, 4 concurrent clients)
// into the real server process on SQLite; then the same rows with the same aggregate updates (one
// read-modify-write per touched cell per transaction) written straight into SQLite in this one
// process. Prints both rates, their ratio and the server's peak RSS.
// `pnpm bench:ingest -- --pg`: the same through nginx and two instances on one PostgreSQL (the
// scale-out of docs/DEPLOY.md), beside the same rows written straight into PostgreSQL from this
// process (`--clients` connections, one transaction per batch, as the server does).
// Options: --responses N (default 100000), --clients N (default 4), --pg, --runs N (default 1: the
// whole measure N times in a row), --against <checkout> (SQLite: the same HTTP run, in each round, on
// the server of another checkout, e.g. a `git worktree` of an older commit, so the two are compared
// under the same machine load), --profile <dir> (SQLite: a CPU profile of each server, summarised
// over the timed part only).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../../server/src/db/index.ts'
import { Cluster } from '../chaos/lib/scaleout.ts'
import { pgReader } from '../chaos/lib/verify.ts'
import { createTestDatabase } from '../support/pg.ts'
import { type BenchItem, makeItems } from './lib/data.ts'
import { chainOf, computeBatch } from './lib/direct-batch.ts'
import { directPg } from './lib/direct-pg.ts'
import { directWriter, openRawSqlite } from './lib/direct-sqlite.ts'
import { cpuSeconds } from './lib/proc.ts'
import { monotonicUs, summariseProfile } from './lib/profile.ts'
import { startBuiltServer } from './lib/server.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const TOTAL = opt('responses', 100_000)
const CLIENTS = opt('clients', 4)
const RUNS = opt('runs', 1)
const BATCH = 100
const textOpt = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const AGAINST = textOpt('against')
const PROFILE = textOpt('profile')
/** The machine's load average over the last minute: other work on the machine moves every figure here. */
const load = () => loadavg()[0]?.toFixed(1)

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

async function json(url: string, init: RequestInit = {}) {
  const r = await fetch(url, init)
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`)
  return r.json()
}

interface Target {
  url: string
  /** The server processes whose CPU and memory are measured. */
  pids: number[]
  stop(): Promise<void>
}

// The anonymous rate limit stays on (its counter is part of each call's cost), set above the bench's volume.
const BENCH_ENV = { RATE_LIMIT_ANON: '1000000' }

/** The server of this checkout, or of `root`, on a fresh SQLite file; with a CPU profile written to `profileDir`. */
async function sqliteTarget(root?: string, profileDir?: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-bench-'))
  const flags = process.env.BENCH_NODE_FLAGS ?? '--max-old-space-size=128'
  if (profileDir) process.env.BENCH_NODE_FLAGS = `${flags} --cpu-prof --cpu-prof-dir=${profileDir}`
  try {
    const server = await startBuiltServer({ sqlitePath: join(dir, 'bench.sqlite'), env: BENCH_ENV, root })
    return { url: server.url, pids: [server.proc.pid ?? 0], stop: () => server.stop() }
  } finally {
    process.env.BENCH_NODE_FLAGS = flags
  }
}

async function pgTarget(databaseUrl: string): Promise<Target> {
  const cluster = await Cluster.start({ databaseUrl, env: BENCH_ENV })
  return { url: cluster.url, pids: cluster.instances.map((i) => i.proc?.pid ?? 0), stop: () => cluster.stop() }
}

interface HttpRun {
  rate: number
  rssMb: number
  cpuUs: number
  items: BenchItem[]
  /** The timed part, on the clock of V8's profiles. */
  window: [number, number]
}

async function overHttp(start: () => Promise<Target>): Promise<HttpRun> {
  const server = await start()
  try {
    const { token } = await json(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
    })
    const auth = { authorization: `Bearer ${token}` }
    const [campaign] = await json(`${server.url}/api/v1/campaigns`, { headers: auth })
    const detail = await json(`${server.url}/api/v1/campaigns/${campaign.id}`, { headers: auth })
    const target = {
      campaignId: detail.id as string,
      version: detail.questionnaire.version as number,
      communityIds: (detail.communities as { id: string }[]).map((c) => c.id),
    }
    const items = makeItems(TOTAL, target, Date.now() - 1000)
    // Bodies are serialised before the clock starts: the figure is the server's, not the generator's.
    const bodies: string[] = []
    for (let i = 0; i < items.length; i += BATCH)
      bodies.push(
        JSON.stringify({ deviceId: `bench-device-${i / BATCH}`, appVersion: 'bench', outboxSize: 0, items: items.slice(i, i + BATCH) }),
      )

    const warm = makeItems(2000, target, Date.now() - 1000, 99)
    for (let i = 0; i < warm.length; i += BATCH)
      await post(
        server.url,
        JSON.stringify({ deviceId: 'bench-warmup', appVersion: 'bench', outboxSize: 0, items: warm.slice(i, i + BATCH) }),
      )

    let next = 0
    // The peak RSS asked about is the one while ingesting: the first start on an empty database seeds
    // the demo (last year's sample sent through sync), which peaks on its own. Print that, then reset
    // the high-water mark (clear_refs 5, Linux ≥ 4.0).
    console.log(`start:  peak rss ${Math.round(Math.max(...server.pids.map(peakRssMb)))} MB before the run (start-up, demo seeding)`)
    for (const pid of server.pids) writeFileSync(`/proc/${pid}/clear_refs`, '5')
    const cpu = () => server.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)
    const cpuBefore = cpu()
    const fromUs = monotonicUs()
    const started = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const i = next++
          const body = bodies[i]
          if (body === undefined) return
          const res = await post(server.url, body)
          if (res.results.length !== BATCH || res.results.some((r: { status: string }) => r.status !== 'created'))
            throw new Error(`batch ${i}: ${JSON.stringify(res.results.find((r: { status: string }) => r.status !== 'created'))}`)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const cpuUs = ((cpu() - cpuBefore) / TOTAL) * 1e6
    const window: [number, number] = [fromUs, monotonicUs()]
    return { rate: TOTAL / seconds, rssMb: Math.max(...server.pids.map(peakRssMb)), cpuUs, items, window }
  } finally {
    await server.stop()
  }
}

async function post(base: string, body: string) {
  const r = await fetch(`${base}/api/v1/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  if (r.status !== 200) throw new Error(`sync: ${r.status} ${await r.text()}`)
  return r.json()
}

/**
 * The same responses, flags, aggregate deltas and evidence entries written straight into a fresh SQLite
 * file with better-sqlite3 prepared statements, one transaction per 100 — no HTTP, no validation.
 */
async function direct(items: BenchItem[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-bench-direct-'))
  const path = join(dir, 'direct.sqlite')
  // The server's migrations make the same schema; then close Kysely and write with the raw driver.
  const opened = await openDb({ sqlitePath: path })
  await opened.close()
  const db = openRawSqlite(path, 'NORMAL')
  const write = directWriter(db)
  let head = { seq: 0, hash: '0'.repeat(64) }
  const writeBatch = db.transaction((batch: BenchItem[], deviceId: string) => {
    const receivedAt = new Date().toISOString()
    const { rows, tally } = computeBatch(batch, deviceId, receivedAt)
    for (const r of rows) write.response(r)
    for (const e of chainOf(rows, head)) {
      write.evidence(batch[0]?.campaignId ?? '', e.seq, e.responseId, e.contentHash, e.prev, e.hash, receivedAt)
      head = { seq: e.seq, hash: e.hash }
    }
    write.tally(batch[0]?.campaignId ?? '', tally)
    for (const communityId of new Set(batch.map((item) => item.communityId)))
      write.activity(batch[0]?.campaignId ?? '', communityId, receivedAt)
  })
  const started = performance.now()
  for (let i = 0; i < items.length; i += BATCH) writeBatch(items.slice(i, i + BATCH), `bench-device-${i / BATCH}`)
  const seconds = (performance.now() - started) / 1000
  db.close()
  return items.length / seconds
}

if (args.includes('--direct-only')) {
  const items = makeItems(
    TOTAL,
    {
      campaignId: crypto.randomUUID(),
      version: 1,
      communityIds: [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()],
    },
    Date.now(),
  )
  console.log(`direct: ${Math.round(await direct(items))} responses/s`)
  process.exit(0)
}
if (args.includes('--pg')) {
  // Two fresh databases: one behind nginx and the instances, one written directly.
  const viaHttp = await createTestDatabase('minyi_bench_http')
  const straight = await createTestDatabase('minyi_bench_direct')
  try {
    const http = await overHttp(() => pgTarget(viaHttp.url))
    console.log(
      `http:   ${Math.round(http.rate)} responses/s through nginx and 2 instances on PostgreSQL (${TOTAL} responses, ${CLIENTS} clients, batches of ${BATCH})`,
    )
    console.log(`server: ${Math.round(http.cpuUs)} µs of CPU per response, both instances together`)
    const size = pgReader(viaHttp.url)
    const [row] = await size.rows<{ bytes: number }>('select pg_database_size(current_database()) as bytes').finally(() => size.close())
    console.log(
      `disk:   ${Math.round(Number(row?.bytes) / 1e6)} MB of PostgreSQL database after ${TOTAL + 2000} responses (with indexes; plus the demo sample of ~600)`,
    )
    const migrated = await openDb({ databaseUrl: straight.url, sqlitePath: '' })
    await migrated.close()
    const directRate = await directPg(straight.url, http.items, BATCH, CLIENTS)
    console.log(
      `direct: ${Math.round(directRate)} responses/s (node-postgres prepared statements, ${CLIENTS} connections, one transaction per ${BATCH})`,
    )
    console.log(
      `ingest: ${Math.round(http.rate)}/s http, ${Math.round(directRate)}/s direct, ratio ${(http.rate / directRate).toFixed(2)}, peak rss ${Math.round(http.rssMb)} MB`,
    )
  } finally {
    await viaHttp.drop()
    await straight.drop()
  }
  process.exit(0)
}
for (let run = 1; run <= RUNS; run++) {
  const profileDir = (label: string) => (PROFILE ? join(PROFILE, `run${run}-${label}`) : undefined)
  const http = await overHttp(() => sqliteTarget(undefined, profileDir('this')))
  console.log(`http:   ${Math.round(http.rate)} responses/s (${TOTAL} responses, ${CLIENTS} clients, batches of ${BATCH}), load ${load()}`)
  console.log(`server: ${Math.round(http.cpuUs)} µs of CPU per response (${Math.round(1e6 / http.cpuUs)}/s if it had a core to itself)`)
  const thisDir = profileDir('this')
  if (thisDir) console.log(summariseProfile(thisDir, ...http.window))
  if (AGAINST) {
    const other = await overHttp(() => sqliteTarget(AGAINST, profileDir('against')))
    console.log(
      `against: ${Math.round(other.rate)}/s http, ${Math.round(other.cpuUs)} µs of CPU per response, peak rss ${Math.round(other.rssMb)} MB (${AGAINST}), load ${load()}`,
    )
    const otherDir = profileDir('against')
    if (otherDir) console.log(summariseProfile(otherDir, ...other.window))
  }
  const directRate = await direct(http.items)
  console.log(`direct: ${Math.round(directRate)} responses/s (better-sqlite3 prepared statements, one transaction per ${BATCH})`)
  console.log(
    `ingest: ${Math.round(http.rate)}/s http, ${Math.round(directRate)}/s direct, ratio ${(http.rate / directRate).toFixed(2)}, peak rss ${Math.round(http.rssMb)} MB, load ${load()}`,
  )
}
