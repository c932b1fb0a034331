import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { freePort, ROOT, type RunningServer } from '../../support/server.ts'

/**
 * Starts the server the way `pnpm start` runs it (the esbuild bundle on plain Node with its heap
 * flag), since that is what the benchmark's throughput and memory figures are about.
 */
export async function startBuiltServer(opts: { sqlitePath?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const serverDir = join(ROOT, 'server')
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: serverDir, stdio: 'inherit' })
  if (built.status !== 0) throw new Error('server build failed')
  const port = await freePort()
  const proc = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS ?? '--max-old-space-size=128').split(' ').filter(Boolean), 'dist/index.mjs'],
    {
      cwd: serverDir,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_PASSWORD: 'admin-test-password',
        LOG_LEVEL: 'silent',
        ...(opts.sqlitePath ? { SQLITE_PATH: opts.sqlitePath } : {}),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
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
      if ((await fetch(`${url}/api/v1/health`)).ok) break
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
