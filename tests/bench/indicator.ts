// `pnpm bench:indicator`: a campaign with 1,000,000 responses loaded into SQLite (rows and kept
// aggregates written straight into the file; the door answers by twelve workers, with a visit
// register of ~420,000 visits to ~330,000 households), then the real server answers
// GET /api/v1/campaigns/:id/indicator from the aggregates (median of 21 calls) and with ?recompute=1
// from the raw rows. Then the communities axis (tests/bench/lib/indicator-axis.ts): one campaign of
// 600, 2,000 and 10,000 communities, 30 responses each, timed from the aggregates with the number of
// kept cells and the time per cell; growth is the time per cell at the largest over the smallest.
// Options: --responses N (default 1000000; 0 skips that part), --runs N (default 21),
// --communities 600,2000,10000, --per-community N (default 30), --axis-runs N (default 11),
// --pg N: the axis point N also on PostgreSQL (the SQLite file moved by scripts/sqlite-to-pg.ts).
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { addHousehold, emptyTally, type FieldworkTally, finalVisits } from '@minyi/shared/method'
import type { Channel } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import { createTestDatabase } from '../support/pg.ts'
import { ROOT, type RunningServer } from '../support/server.ts'
import { makeItems } from './lib/data.ts'
import { type DirectVisit, directWriter, openRawSqlite } from './lib/direct-sqlite.ts'
import { demoCampaignFile, loadAxisCampaign, writeBenchResponse } from './lib/indicator-axis.ts'
import { cpuSeconds } from './lib/proc.ts'
import { startBuiltServer } from './lib/server.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const TOTAL = opt('responses', 1_000_000)
const RUNS = opt('runs', 21)
const AXIS = (
  args[args.indexOf('--communities') + 1] && args.includes('--communities')
    ? String(args[args.indexOf('--communities') + 1])
    : '600,2000,10000'
)
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
const PER_COMMUNITY = opt('per-community', 30)
const AXIS_RUNS = opt('axis-runs', 11)
const PG_AT = opt('pg', 0)
const CHUNK = 10_000
/** The first admin's password, as tests/support/server.ts starts the server with it. */
const ADMIN_PASSWORD = 'admin-test-password'

/** Loads TOTAL responses of the demo campaign and their kept aggregate cells; returns the campaign id. */
async function load(path: string): Promise<string> {
  const { campaignId, ctx, version } = await demoCampaignFile(path, ADMIN_PASSWORD)
  const communityIds = [...ctx.communities.keys()]

  const db = openRawSqlite(path, 'OFF')
  const write = directWriter(db)
  const channels: Channel[] = ['qr', 'qr', 'qr', 'door', 'paper', 'symposium']
  const fieldwork: FieldworkTally = {}
  const writeChunk = db.transaction((start: number) => {
    const items = makeItems(CHUNK, { campaignId, version: version.version, communityIds }, Date.now(), start + 1)
    const tally = emptyTally()
    const receivedAt = new Date().toISOString()
    const visits: DirectVisit[] = []
    items.forEach((item, i) => {
      const n = start + i
      const channel = channels[n % channels.length] ?? 'qr'
      // Door answers come from six workers per community, each answer with the visit that completed
      // it (every other one after an earlier visit found nobody home) and a visit to another
      // household that ended otherwise.
      const workerId = channel === 'door' ? `bench-worker-${item.communityId.slice(0, 8)}-${Math.floor(n / 12) % 6}` : null
      if (workerId) {
        const at = Date.parse(item.submittedAt)
        const key = (k: number) => k.toString(16).padStart(64, '0')
        const visit = (householdKey: string, outcome: DirectVisit['outcome'], ms: number, responseId: string | null): DirectVisit => ({
          id: uuidv7(ms),
          campaignId,
          communityId: item.communityId,
          householdKey,
          outcome,
          visitedAt: new Date(ms).toISOString(),
          responseId,
          workerId,
          deviceId: `bench-device-${workerId}`,
          receivedAt,
          contentHash: 'bench',
        })
        visits.push(visit(key(2 * n), 'completed', at, item.id))
        if (n % 12 === 3) visits.push(visit(key(2 * n), 'not_home', at - 86_400_000, null))
        const others = ['not_home', 'refused', 'revisit', 'not_home'] as const
        visits.push(visit(key(2 * n + 1), others[Math.floor(n / 6) % 4] ?? 'refused', at - 3_600_000, null))
      }
      writeBenchResponse(write, tally, ctx, version, { item, n, channel, workerId, receivedAt })
    })
    write.tally(campaignId, tally)
    // A household's visits all fall in one chunk: its final visit is known here.
    for (const v of visits) write.visit(v)
    for (const final of finalVisits(visits).values()) {
      write.household(campaignId, final)
      addHousehold(fieldwork, final)
    }
  })
  const started = performance.now()
  for (let start = 0; start < TOTAL; start += CHUNK) {
    writeChunk(start)
    if ((start / CHUNK) % 10 === 9) process.stdout.write(`  loaded ${start + CHUNK} responses\r`)
  }
  db.transaction(() => write.fieldwork(campaignId, fieldwork))()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  console.log(`loaded ${TOTAL} responses in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return campaignId
}

async function timed(url: string, token: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now()
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  const body = await r.json()
  if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(body)}`)
  return { ms: performance.now() - started, body }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

async function token(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  })
  return ((await login.json()) as { token: string }).token
}

/** `runs` calls after 3 warm-ups: the median and min wall time, the server's CPU per call, the last answer. */
async function measure(server: RunningServer, campaignId: string, runs: number) {
  const bearer = await token(server.url)
  const url = `${server.url}/api/v1/campaigns/${campaignId}/indicator`
  for (let i = 0; i < 3; i++) await timed(url, bearer)
  const kept: number[] = []
  let body: unknown
  const pid = server.proc.pid ?? 0
  const cpuBefore = cpuSeconds(pid)
  for (let i = 0; i < runs; i++) {
    const r = await timed(url, bearer)
    kept.push(r.ms)
    body = r.body
  }
  // The server's own CPU per call (ticks of 10 ms over the runs): other load on the machine disturbs it far less than wall time.
  const cpuMs = ((cpuSeconds(pid) - cpuBefore) / runs) * 1000
  return { median: median(kept), min: Math.min(...kept), cpuMs, body, url, bearer }
}

const dir = mkdtempSync(join(tmpdir(), 'minyi-bench-indicator-'))
let atFour: number | null = null
if (TOTAL > 0) {
  const path = join(dir, 'indicator.sqlite')
  const campaignId = await load(path)
  const server = await startBuiltServer({ sqlitePath: path })
  try {
    const m = await measure(server, campaignId, RUNS)
    const full = await timed(`${m.url}?recompute=1`, m.bearer)
    const ind = m.body as { n: { received: number }; fieldwork: { households: number }; interviewers: unknown[] }
    console.log(`door-to-door: ${ind.interviewers.length} interviewers checked, ${ind.fieldwork.households} households in the fieldwork`)
    console.log(
      `aggregates: ${RUNS} calls, median ${m.median.toFixed(1)} ms, min ${m.min.toFixed(1)} ms, server CPU ${m.cpuMs.toFixed(1)} ms per call (n.received = ${ind.n.received})`,
    )
    console.log(`recompute:  ${full.ms.toFixed(0)} ms; identical to the aggregates' answer: ${isDeepStrictEqual(full.body, m.body)}`)
    console.log(`indicator: ${m.median.toFixed(1)} ms median from aggregates, ${full.ms.toFixed(0)} ms full recomputation`)
    atFour = m.median
  } finally {
    await server.stop()
  }
}

/** Per axis point: median ms and µs per kept cell. */
const axis = new Map<number, { median: number; perCell: number }>()
for (const communities of AXIS) {
  const path = join(dir, `axis-${communities}.sqlite`)
  const started = performance.now()
  const loaded = await loadAxisCampaign(path, communities, PER_COMMUNITY, ADMIN_PASSWORD)
  const loadS = (performance.now() - started) / 1000
  const targets: { label: string; server: () => Promise<RunningServer> }[] = [
    { label: 'SQLite', server: () => startBuiltServer({ sqlitePath: path }) },
  ]
  let dropPg: (() => Promise<void>) | undefined
  if (communities === PG_AT) {
    const pgDb = await createTestDatabase('minyi_bench_indicator')
    dropPg = pgDb.drop
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/sqlite-to-pg.ts', path, pgDb.url], { cwd: ROOT, stdio: 'ignore' })
    targets.push({ label: 'PostgreSQL', server: () => startBuiltServer({ env: { DATABASE_URL: pgDb.url } }) })
  }
  try {
    for (const target of targets) {
      const server = await target.server()
      try {
        const m = await measure(server, loaded.campaignId, AXIS_RUNS)
        const ind = m.body as { n: { received: number }; byCommunity: unknown[]; byStreet?: unknown[] }
        const perCell = (m.median * 1000) / loaded.cells
        if (target.label === 'SQLite') axis.set(communities, { median: m.median, perCell })
        console.log(
          `${communities} communities (${loaded.streets} streets, ${loaded.responses} responses, loaded in ${loadS.toFixed(0)} s) on ${target.label}: ` +
            `median ${m.median.toFixed(1)} ms, min ${m.min.toFixed(1)} ms, server CPU ${m.cpuMs.toFixed(1)} ms per call, ` +
            `${loaded.cells} kept cells, ${perCell.toFixed(2)} µs per cell (n.received = ${ind.n.received}, ` +
            `${ind.byCommunity.length} communities, ${ind.byStreet?.length ?? 'no'} streets in the answer)`,
        )
      } finally {
        await server.stop()
      }
    }
  } finally {
    await dropPg?.()
  }
}

const lowest = AXIS[0]
const highest = AXIS[AXIS.length - 1]
const low = lowest === undefined ? undefined : axis.get(lowest)
const high = highest === undefined ? undefined : axis.get(highest)
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1))
const growth = low && high ? high.perCell / low.perCell : null
console.log(
  `indicator: ${fmt(atFour)} ms median at 4 communities, ${fmt(low?.median)} ms at ${lowest}, ${fmt(high?.median)} ms at ${highest}, growth ${growth === null ? 'n/a' : growth.toFixed(2)}`,
)
