/**
 * `pnpm bench demo-seed [--runs 5] [--pg]`: what the demo adds to a first start. Starts the server
 * bundle as `pnpm start` runs it, on a fresh database each time, alternately with and without
 * `--no-demo`, and times spawn → the printed console URL (the server prints it once it listens, after
 * seeding), with the CPU time the process used until then (steadier than the wall time on a busy machine)
 * and its peak resident set (VmHWM). Last line:
 * `demo seed: +<d> ms at first start on <db> (median of <n>: <a> ms with the demo, <b> ms without; +<c> ms cpu; peak rss <m> MB)`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '../support/pg.ts'
import { freePort, ROOT } from '../support/server.ts'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 5
const pg = args.includes('--pg')

/** CPU time (user + system, all threads) the process has used so far, from /proc (Linux), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The process's peak resident set so far (VmHWM), in MB. */
function peakMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Math.round(Number(kb) / 1024)
}

async function timeToListen(demo: boolean): Promise<{ wall: number; cpu: number; peak: number }> {
  const db = pg ? await createTestDatabase('minyi_demo_bench') : null
  const env = {
    ...process.env,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'minyi-demo-bench-')), 'bench.sqlite'),
    ADMIN_PASSWORD: 'admin-bench-password',
    ...(db ? { DATABASE_URL: db.url } : {}),
  }
  const started = performance.now()
  const proc = spawn(process.execPath, ['--max-old-space-size=128', 'dist/index.mjs', ...(demo ? [] : ['--no-demo'])], {
    cwd: join(ROOT, 'server'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  try {
    return await new Promise<{ wall: number; cpu: number; peak: number }>((resolve, reject) => {
      proc.stdout.on('data', (d) => {
        out += d
        if (out.includes('console:')) resolve({ wall: performance.now() - started, cpu: cpuMs(proc.pid ?? 0), peak: peakMb(proc.pid ?? 0) })
      })
      proc.stderr.on('data', (d) => {
        out += d
      })
      proc.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)))
    })
  } finally {
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
    })
    await db?.drop()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(ROOT, 'server'), stdio: 'inherit' })
if (built.status !== 0) throw new Error('server build failed')
type Run = Awaited<ReturnType<typeof timeToListen>>
const withDemo: Run[] = []
const without: Run[] = []
for (let i = 0; i < runs; i++) {
  const b = await timeToListen(false)
  const a = await timeToListen(true)
  without.push(b)
  withDemo.push(a)
  console.log(
    `run ${i + 1}: ${a.wall.toFixed(0)} ms (cpu ${a.cpu} ms, peak ${a.peak} MB) with the demo, ${b.wall.toFixed(0)} ms (cpu ${b.cpu} ms, peak ${b.peak} MB) without`,
  )
}
const a = median(withDemo.map((r) => r.wall))
const b = median(without.map((r) => r.wall))
const cpu = median(withDemo.map((r) => r.cpu)) - median(without.map((r) => r.cpu))
const peak = Math.max(...withDemo.map((r) => r.peak))
console.log(
  `demo seed: +${(a - b).toFixed(0)} ms at first start on ${pg ? 'PostgreSQL' : 'SQLite'} (median of ${runs}: ${a.toFixed(0)} ms with the demo, ${b.toFixed(0)} ms without; +${cpu} ms cpu; peak rss ${peak} MB)`,
)
