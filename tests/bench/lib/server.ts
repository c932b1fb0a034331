import { buildServerBundle, type RunningServer, startServer } from '../../support/server.ts'

/**
 * Starts the server the way `pnpm start` runs it (the esbuild bundle on plain Node with its heap
 * flag), since that is what the benchmark's throughput and memory figures are about.
 */
export async function startBuiltServer(
  opts: { sqlitePath?: string; env?: Record<string, string>; root?: string } = {},
): Promise<RunningServer> {
  buildServerBundle(opts.root)
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '--max-old-space-size=128').split(' ').filter(Boolean)
  return startServer({ ...opts, entry: [...nodeFlags, 'dist/index.mjs'] })
}
