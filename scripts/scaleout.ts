// `pnpm scaleout up|down|status`: nginx on loopback balancing two app instances (the server bundle,
// as `pnpm start` runs it) on one PostgreSQL — the district setup of docs/DEPLOY.md, on this machine.
//   up     builds the server, creates a fresh database (or uses DATABASE_URL), starts the instances
//          and nginx (installed with apt-get when missing) in the background, prints the URL
//   down   stops them and drops the database it created
//   status says what runs
// Options for up: --instances N (2), --port N (nginx, 8088). State and logs: .scaleout/ in the repo.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { Cluster, type ClusterState } from '../tests/chaos/lib/scaleout.ts'
import { PG_ADMIN_URL } from '../tests/support/pg.ts'
import { ROOT } from '../tests/support/server.ts'

const STATE_DIR = join(ROOT, '.scaleout')
const STATE = join(STATE_DIR, 'state.json')
const [cmd, ...args] = process.argv.slice(2)
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}

type State = ClusterState & { createdDb: string | null }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function readState(): State | null {
  return existsSync(STATE) ? (JSON.parse(readFileSync(STATE, 'utf8')) as State) : null
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

async function up(): Promise<void> {
  const running = readState()
  if (running?.pids.some(alive)) {
    console.log(`already up at ${running.url} (pnpm scaleout down first)`)
    return
  }
  let databaseUrl = process.env.DATABASE_URL
  let createdDb: string | null = null
  if (!databaseUrl) {
    createdDb = `minyi_scaleout_${Date.now().toString(36)}`
    await adminQuery(`CREATE DATABASE ${createdDb}`)
    databaseUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${createdDb}`)
  }
  rmSync(STATE_DIR, { recursive: true, force: true })
  mkdirSync(STATE_DIR, { recursive: true })
  const cluster = await Cluster.start({
    databaseUrl,
    instances: opt('instances', 2),
    nginxPort: opt('port', 8088),
    dir: STATE_DIR,
    detached: true,
    env: { LOG_LEVEL: 'info' },
  })
  const state: State = { ...cluster.describe(), createdDb }
  writeFileSync(STATE, JSON.stringify(state, null, 2))
  console.log(`nginx ${state.url} → ${state.instances.join(', ')} → ${databaseUrl}`)
  console.log(`console: ${state.url}/console (admin / admin-test-password); logs in .scaleout/`)
  console.log(`scaleout: up at ${state.url}, ${state.instances.length} instances`)
  process.exit(0)
}

async function down(): Promise<void> {
  const state = readState()
  if (!state) {
    console.log('scaleout: nothing to stop')
    return
  }
  for (const pid of state.pids) if (alive(pid)) process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 10_000
  while (state.pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  for (const pid of state.pids) if (alive(pid)) process.kill(pid, 'SIGKILL')
  if (state.createdDb) await adminQuery(`DROP DATABASE IF EXISTS ${state.createdDb} WITH (FORCE)`)
  rmSync(STATE, { force: true })
  console.log(`scaleout: down${state.createdDb ? `, database ${state.createdDb} dropped` : ''}`)
}

function status(): void {
  const state = readState()
  if (!state) {
    console.log('scaleout: down')
    return
  }
  const live = state.pids.filter(alive)
  console.log(`scaleout: ${live.length}/${state.pids.length} processes alive, ${state.url} → ${state.instances.join(', ')}`)
}

if (cmd === 'up') await up()
else if (cmd === 'down') await down()
else if (cmd === 'status') status()
else {
  console.error('usage: pnpm scaleout up|down|status')
  process.exit(2)
}
