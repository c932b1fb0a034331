import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * A free port below Linux's ephemeral range (32768–60999), for a test that stops its server and
 * starts it again on the same origin (the service worker and IndexedDB are per origin). A port from
 * `freePort()` could be handed by the OS to another suite's server while ours is down; ports below
 * the ephemeral range are never handed out for `listen(0)`.
 */
export async function stablePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer()
      srv.once('error', () => resolve(false))
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
    })
    if (free) return port
  }
}

export interface RunningServer {
  url: string
  port: number
  proc: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts the real server (`server/src/index.ts`) as a child process, on a fresh SQLite file
 * unless `env.DATABASE_URL` is given, and waits until /api/v1/health answers.
 * The client must have been built (`pnpm build`) for pages to be served.
 */
export async function startServer(
  opts: {
    env?: Record<string, string>
    args?: string[]
    port?: number
    sqlitePath?: string
    /** What node runs in `server/` (default: the sources under tsx). */
    entry?: string[]
    /** The checkout whose `server/` runs (default: this one; a benchmark may compare another commit's). */
    root?: string
  } = {},
): Promise<RunningServer> {
  const port = opts.port ?? (await freePort())
  const sqlitePath = opts.sqlitePath ?? join(mkdtempSync(join(tmpdir(), 'minyi-')), 'test.sqlite')
  const entry = opts.entry ?? ['--import', 'tsx', 'src/index.ts']
  const proc = spawn(process.execPath, [...entry, ...(opts.args ?? [])], {
    cwd: join(opts.root ?? ROOT, 'server'),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_PATH: sqlitePath,
      ADMIN_PASSWORD: 'admin-test-password',
      LOG_LEVEL: 'silent',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout?.on('data', (d) => {
    out += d
  })
  proc.stderr?.on('data', (d) => {
    out += d
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`)
    try {
      const res = await fetch(`${url}/api/v1/health`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`server did not start in 60 s:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    port,
    proc,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill(signal)
      }),
  }
}

/** Builds the server bundle (`server/dist/index.mjs`, esbuild), so a suite or a benchmark runs what `pnpm start` runs. */
export function buildServerBundle(root = ROOT): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(root, 'server'), stdio: 'inherit' })
  if (built.status !== 0) throw new Error('server build failed')
}
