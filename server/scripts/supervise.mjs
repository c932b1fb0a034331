// `pnpm start` runs the server bundle under this small supervisor: if the server process dies (out of
// memory, a native crash, a bug that escapes every handler) it is started again, so one bad request
// never leaves a campaign without a server until someone notices. SIGINT/SIGTERM are passed on and end
// both. Under systemd, run the bundle directly with Restart=always instead (docs/DEPLOY.md): one
// supervisor is enough.
//
// Why not Node's own `--watch` or a process manager: `--watch` restarts on file changes, not crashes,
// and pm2/forever are large dependencies for twenty lines of spawn-and-wait.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../dist/index.mjs', import.meta.url))
/** The heap cap the server is measured with (docs/PERFORMANCE.md). */
const args = ['--max-old-space-size=128', entry, ...process.argv.slice(2)]

/** Restarts wait 1 s, doubling up to 30 s while the server keeps dying young; a run of a minute resets it. */
const FIRST_DELAY_MS = 1000
const MAX_DELAY_MS = 30_000
const STABLE_MS = 60_000

let child = null
let stopping = false
let delay = FIRST_DELAY_MS
let timer = null

function start() {
  timer = null
  const startedAt = Date.now()
  child = spawn(process.execPath, args, { stdio: 'inherit' })
  // The printed pid lets an operator (and the restart test) tell one server process from the next.
  console.log(`[supervisor] server started, pid ${child.pid}`)
  child.on('exit', (code, signal) => {
    child = null
    if (stopping) process.exit(code ?? 0)
    if (Date.now() - startedAt >= STABLE_MS) delay = FIRST_DELAY_MS
    console.error(`[supervisor] server exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`)
    timer = setTimeout(start, delay)
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  })
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopping = true
    if (timer) clearTimeout(timer)
    if (child) child.kill(sig)
    else process.exit(0)
  })
}

start()
