// `pnpm bench:ingest`: 100,000 ten-item responses over HTTP (batches of 100, 4 concurrent clients)
// into the real server process on SQLite; then the same rows with the same aggregate updates (one
// read-modify-write per touched cell per transaction) written straight into SQLite in this one
// process. Prints both rates, their ratio and the server's peak RSS.
// Options: --responses N (default 100000), --clients N (default 4).
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { addResponseInto, computeFlags, durationSeconds, emptyTally, flagsKey, ratedAnswersOf } from '@minyi/shared/method'
import { openDb } from '../../server/src/db/index.ts'
import { canonicalJson, sha256Hex } from '../../server/src/services/hashing.ts'
import { type BenchItem, makeItems } from './lib/data.ts'
import { directWriter, openRawSqlite } from './lib/direct-sqlite.ts'
import { startBuiltServer } from './lib/server.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const TOTAL = opt('responses', 100_000)
const CLIENTS = opt('clients', 4)
const BATCH = 100

/** CPU seconds (user + system) the process has used: a figure less sensitive to other load on the machine than wall time. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100
}

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

async function overHttp(): Promise<{ rate: number; rssMb: number; cpuUs: number; items: BenchItem[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-bench-'))
  // The anonymous rate limit stays on (its counter is part of each call's cost), set above the bench's volume.
  const server = await startBuiltServer({ sqlitePath: join(dir, 'bench.sqlite'), env: { RATE_LIMIT_ANON: '1000000' } })
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
    const pid = server.proc.pid ?? 0
    const cpuBefore = cpuSeconds(pid)
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
    const cpuUs = ((cpuSeconds(pid) - cpuBefore) / TOTAL) * 1e6
    return { rate: TOTAL / seconds, rssMb: peakRssMb(pid), cpuUs, items }
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
  const questions = TEMPLATE_QUESTIONNAIRE.questions
  let seq = 0
  let prev = '0'.repeat(64)
  const writeBatch = db.transaction((batch: BenchItem[], deviceId: string) => {
    const receivedAt = new Date().toISOString()
    const tally = emptyTally()
    batch.forEach((item, i) => {
      const rated = ratedAnswersOf(questions, item.answers)
      const flags = computeFlags({
        ratedItemCount: rated.length,
        durationSeconds: durationSeconds(item.startedAt, item.submittedAt),
        ratedAnswers: rated,
        channel: item.channel,
        deviceCountBefore: i,
        submittedAt: item.submittedAt,
        receivedAt,
        publishedAt: null,
        closesAt: '2100-01-01T00:00:00.000Z',
      })
      const hash = sha256Hex(canonicalJson(item))
      const key = flagsKey(flags)
      write.response({
        id: item.id,
        campaignId: item.campaignId,
        version: item.questionnaireVersion,
        communityId: item.communityId,
        channel: item.channel,
        deviceId,
        startedAt: item.startedAt,
        submittedAt: item.submittedAt,
        receivedAt,
        answersJson: JSON.stringify(item.answers),
        flagsKey: key,
        exclusion: null,
        contentHash: hash,
      })
      addResponseInto(tally, questions, {
        communityId: item.communityId,
        channel: item.channel,
        answers: item.answers,
        flags,
        exclusion: null,
      })
      seq++
      const chained = sha256Hex(`${prev}|${seq}|${item.id}|${hash}`)
      write.evidence(item.campaignId, seq, item.id, hash, prev, chained, receivedAt)
      prev = chained
    })
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
const http = await overHttp()
console.log(`http:   ${Math.round(http.rate)} responses/s (${TOTAL} responses, ${CLIENTS} clients, batches of ${BATCH})`)
console.log(`server: ${Math.round(http.cpuUs)} µs of CPU per response (${Math.round(1e6 / http.cpuUs)}/s if it had a core to itself)`)
const directRate = await direct(http.items)
console.log(`direct: ${Math.round(directRate)} responses/s (better-sqlite3 prepared statements, one transaction per ${BATCH})`)
console.log(
  `ingest: ${Math.round(http.rate)}/s http, ${Math.round(directRate)}/s direct, ratio ${(http.rate / directRate).toFixed(2)}, peak rss ${Math.round(http.rssMb)} MB`,
)
