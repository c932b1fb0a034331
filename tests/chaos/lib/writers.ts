import { spawn } from 'node:child_process'
import { ROOT } from '../../support/server.ts'
import { responseMaker, type Target } from './devices.ts'

/**
 * Clients that keep sending sync batches until stopped, as residents do while an operator takes a
 * backup or upgrades: `acked` holds every id the server acknowledged.
 */
export function keepWriting(url: string, target: Target, clients = 2, batch = 10) {
  const make = responseMaker(target, 41)
  const acked: string[] = []
  let stopped = false
  const loops = Array.from({ length: clients }, async (_, c) => {
    while (!stopped) {
      const items = Array.from({ length: batch }, () => make())
      const res = await fetch(`${url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: `writer-device-${c}`, appVersion: 'test', outboxSize: 0, items }),
      }).catch(() => null)
      if (res?.ok) acked.push(...items.map((i) => i.id))
      await res?.arrayBuffer()
    }
  })
  return {
    acked,
    async stop(): Promise<void> {
      stopped = true
      await Promise.all(loops)
    },
  }
}

/** Runs a command without blocking this process's event loop (the writers go on); rejects on failure. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.stderr.on('data', (d) => {
      out += d
    })
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))))
  })
}

/** A repo script under tsx, as `pnpm <script>` runs it. */
export function runScript(script: string, args: string[]): Promise<string> {
  return run(process.execPath, ['--import', 'tsx', script, ...args])
}
