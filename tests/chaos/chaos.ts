// `pnpm chaos`: simulated phones running the client's real outbox and sync engine send responses
// through a fault-injecting proxy while server processes are SIGKILLed and restarted; once on SQLite
// (one server) and once on PostgreSQL behind nginx with two instances. Ends by checking that every
// response is stored exactly once, every outbox is empty, the kept aggregates equal a full
// recomputation and the evidence chain verifies. Exit status 1 when any check fails.
// Options: --responses N (2000 per database), --devices N (4), --kills N (3), --db sqlite|postgres|both,
// --visits N (a quarter of --responses: door visits by one signed-in worker's phone),
// --speedup N (10: the devices' retry timers run N times faster), --rate N (40 responses/s), --seed N.
import { type ChaosResult, runChaos } from './lib/chaos-run.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt
}
const which = opt('db', 'both')
const dbs = (which === 'both' ? ['sqlite', 'postgres'] : [which]) as ('sqlite' | 'postgres')[]
const results: ChaosResult[] = []
let failed = false
for (const db of dbs) {
  const r = await runChaos({
    db,
    responses: Number(opt('responses', '2000')),
    devices: Number(opt('devices', '4')),
    kills: Number(opt('kills', '3')),
    speedup: Number(opt('speedup', '10')),
    rate: Number(opt('rate', '40')),
    seed: Number(opt('seed', '7')),
    log: (line) => console.log(line),
  })
  results.push(r)
  const p = r.proxy
  console.log(
    `chaos[${db}]: ${r.seconds.toFixed(0)} s (drain ${r.drainSeconds.toFixed(1)} s); proxy: ${p.requests} sync requests, ${p.dropped} dropped, ${p.lostAnswers} answers lost after commit, ${p.late} late copies, ${p.passed} passed, ${p.upstreamErrors} hit a dead server, ${p.serverErrors} answered 5xx; ${r.appRestarts} app restarts`,
  )
  console.log(
    `chaos[${db}]: chain ${r.chain.ok ? 'verifies' : 'BROKEN'} (${r.chain.length} entries), aggregates ${r.aggregatesEqualRecompute ? '=' : '≠'} recomputation, outboxes ${r.outboxLeft} left, needs-attention ${r.attentionLeft}, conflicts ${r.conflicts}`,
  )
  console.log(
    `chaos[${db}]: responses ${r.sent} sent, ${r.stored} stored; visits ${r.visits.sent} sent, ${r.visits.stored} stored, ${r.visits.duplicated + r.visits.unexpected} extra`,
  )
  console.log(
    `chaos[${db}]: ${r.sent + r.visits.sent} sent, ${r.stored + r.visits.stored} stored, ${r.lost + r.visits.lost} lost, ${r.duplicated + r.visits.duplicated} duplicated, ${r.kills} kills`,
  )
  for (const problem of r.problems) console.log(`chaos[${db}]: FAIL ${problem}`)
  if (r.problems.length > 0) failed = true
}
const sum = (f: (r: ChaosResult) => number) => results.reduce((n, r) => n + f(r), 0)
console.log(
  `chaos: ${sum((r) => r.sent + r.visits.sent)} sent, ${sum((r) => r.stored + r.visits.stored)} stored, ${sum((r) => r.lost + r.visits.lost)} lost, ${sum((r) => r.duplicated + r.visits.duplicated)} duplicated, ${sum((r) => r.kills)} kills`,
)
process.exit(failed ? 1 : 0)
