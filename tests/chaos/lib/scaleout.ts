import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, ROOT, stablePort } from '../../support/server.ts'
import { httpsFetch } from './bound-fetch.ts'

// Scale-out as a district runs it: nginx on loopback in front of N app instances (the server bundle,
// as `pnpm start` runs it) on one PostgreSQL, or one instance on SQLite without nginx. Used by
// `pnpm scaleout up|down`, `pnpm chaos`, `pnpm load`, `pnpm bench:ingest -- --pg` and the tests.

export const NGINX_SNIPPET = join(ROOT, 'deploy/nginx/minyi-proxy.conf')

let built = false
/** Builds `server/dist/index.mjs` once per process (esbuild, a second or two). */
export function buildServer(): void {
  if (built) return
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(ROOT, 'server'), stdio: 'inherit' })
  if (r.status !== 0) throw new Error('server build failed')
  built = true
}

function nginxBinary(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (existsSync(p)) return p
  return null
}

/** Debian's nginx, installed with apt-get when missing (the machines here run as root). */
export function ensureNginx(): string {
  const found = nginxBinary()
  if (found) return found
  console.log('nginx is missing: apt-get install -y nginx')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  let r = spawnSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'inherit', env })
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env })
    r = spawnSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'inherit', env })
  }
  const now = nginxBinary()
  if (!now) throw new Error('could not install nginx (apt-get install -y nginx)')
  return now
}

export interface Instance {
  index: number
  port: number
  url: string
  proc: ChildProcess | null
  /** SIGKILLs so far. */
  kills: number
}

export interface ClusterOptions {
  /** postgres://… for PostgreSQL (nginx in front of `instances`), else SQLite at `sqlitePath`, one instance, no nginx. */
  databaseUrl?: string
  sqlitePath?: string
  instances?: number
  env?: Record<string, string>
  /** Where the config, pid files and logs go (default: a fresh temporary folder). */
  dir?: string
  /** Processes outlive this one (`pnpm scaleout up`); otherwise they are children of it. */
  detached?: boolean
  /** Add `X-Minyi-Upstream` (the instance that answered) to every answer: for the tests. */
  exposeUpstream?: boolean
  nginxPort?: number
  /** nginx serves HTTPS with this certificate (PEM files), as a deployment does. */
  tls?: { cert: string; key: string; ca: string }
  /** Another checkout's `server/` folder to run (the upgrade check's previous release), under tsx. */
  serverDir?: string
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function waitHealthy(
  url: string,
  proc: ChildProcess | null,
  logFile: string,
  timeoutMs = 60_000,
  get: typeof fetch = fetch,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc && proc.exitCode !== null) throw new Error(`${url} exited with ${proc.exitCode}:\n${tail(logFile)}`)
    try {
      const res = await get(`${url}/api/v1/health`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy in ${timeoutMs / 1000} s:\n${tail(logFile)}`)
    await sleep(100)
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return ''
  }
}

/**
 * The app instances (and nginx when on PostgreSQL). `url` is where clients go: nginx, or the one
 * instance on SQLite. Instances keep their port across kills, as a systemd unit would.
 */
export class Cluster {
  readonly instances: Instance[] = []
  nginx: ChildProcess | null = null
  nginxPid: number | null = null
  url = ''
  readonly dir: string

  private constructor(readonly opts: ClusterOptions) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'minyi-cluster-'))
    mkdirSync(this.dir, { recursive: true })
    // nginx's workers run as `nobody`: they must reach their temporary folders inside this one.
    chmodSync(this.dir, 0o755)
  }

  get dialect(): 'postgres' | 'sqlite' {
    return this.opts.databaseUrl ? 'postgres' : 'sqlite'
  }

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const c = new Cluster(opts)
    if (!opts.serverDir) buildServer()
    const count = opts.databaseUrl ? (opts.instances ?? 2) : 1
    for (let i = 0; i < count; i++) {
      const port = await stablePort()
      c.instances.push({ index: i, port, url: `http://127.0.0.1:${port}`, proc: null, kills: 0 })
    }
    // One after the other: the first runs the migrations and seeds the demo campaign.
    for (const inst of c.instances) await c.startInstance(inst)
    if (opts.databaseUrl) await c.startNginx()
    else c.url = c.instances[0]!.url
    return c
  }

  private instanceEnv(inst: Instance): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(inst.port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: 'admin-test-password',
      LOG_LEVEL: 'silent',
      ...(this.opts.databaseUrl
        ? { DATABASE_URL: this.opts.databaseUrl, TRUST_PROXY: '1' }
        : { SQLITE_PATH: this.opts.sqlitePath ?? join(this.dir, 'minyi.sqlite') }),
      ...this.opts.env,
    }
    if (!this.opts.databaseUrl) delete env.DATABASE_URL
    return env
  }

  async startInstance(inst: Instance): Promise<void> {
    const log = join(this.dir, `instance-${inst.index}.log`)
    const fd = openSync(log, 'a')
    const entry = this.opts.serverDir ? ['--import', 'tsx', 'src/index.ts'] : ['--max-old-space-size=128', 'dist/index.mjs']
    const proc = spawn(process.execPath, entry, {
      cwd: this.opts.serverDir ?? join(ROOT, 'server'),
      env: this.instanceEnv(inst),
      stdio: ['ignore', fd, fd],
      detached: this.opts.detached ?? false,
    })
    if (this.opts.detached) proc.unref()
    inst.proc = proc
    await waitHealthy(inst.url, proc, log)
    if (proc.pid) writeFileSync(join(this.dir, `instance-${inst.index}.pid`), String(proc.pid))
  }

  /** SIGKILL: no graceful close, transactions in flight are cut. Resolves once the process is gone. */
  async kill(inst: Instance): Promise<void> {
    const proc = inst.proc
    inst.kills++
    inst.proc = null
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGKILL')
    await gone
  }

  get kills(): number {
    return this.instances.reduce((n, i) => n + i.kills, 0)
  }

  private nginxConf(port: number): string {
    const d = this.dir
    const servers = this.instances.map((i) => `    server 127.0.0.1:${i.port} max_fails=1 fail_timeout=2s;`).join('\n')
    return `# Generated by tests/chaos/lib/scaleout.ts: loopback only.
worker_processes 1;
worker_rlimit_nofile 16384;
pid ${d}/nginx.pid;
error_log ${d}/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${d}/client_body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
  upstream minyi {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port}${
      this.opts.tls
        ? ` ssl;
    ssl_certificate ${this.opts.tls.cert};
    ssl_certificate_key ${this.opts.tls.key}`
        : ''
    };
${this.opts.exposeUpstream ? '    add_header X-Minyi-Upstream $upstream_addr always;\n' : ''}    include ${NGINX_SNIPPET};
  }
}
`
  }

  private async startNginx(): Promise<void> {
    const bin = ensureNginx()
    const port = this.opts.nginxPort ?? (await freePort())
    const conf = join(this.dir, 'nginx.conf')
    writeFileSync(conf, this.nginxConf(port))
    const test = spawnSync(bin, ['-t', '-q', '-p', this.dir, '-c', conf], { encoding: 'utf8' })
    if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`)
    const log = join(this.dir, 'nginx-error.log')
    const fd = openSync(join(this.dir, 'nginx-stdout.log'), 'a')
    this.nginx = spawn(bin, ['-p', this.dir, '-c', conf, '-g', 'daemon off;'], {
      stdio: ['ignore', fd, fd],
      detached: this.opts.detached ?? false,
    })
    if (this.opts.detached) this.nginx.unref()
    this.nginxPid = this.nginx.pid ?? null
    this.url = `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`
    await waitHealthy(this.url, this.nginx, log, 60_000, this.opts.tls ? httpsFetch(this.opts.tls.ca) : fetch)
  }

  /** Stops everything this cluster started (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const procs = [...this.instances.map((i) => i.proc), this.nginx].filter((p): p is ChildProcess => p !== null)
    await Promise.all(procs.map((p) => stopProcess(p)))
    for (const i of this.instances) i.proc = null
    this.nginx = null
  }

  /** What `pnpm scaleout down` needs to stop a detached cluster later. */
  describe(): ClusterState {
    return {
      url: this.url,
      dir: this.dir,
      databaseUrl: this.opts.databaseUrl ?? null,
      pids: [...this.instances.map((i) => i.proc?.pid ?? 0), this.nginx?.pid ?? 0].filter((p) => p > 0),
      instances: this.instances.map((i) => i.url),
    }
  }
}

export interface ClusterState {
  url: string
  dir: string
  databaseUrl: string | null
  pids: number[]
  instances: string[]
}

function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve()
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000)
    p.once('exit', () => {
      clearTimeout(t)
      resolve()
    })
    p.kill('SIGTERM')
  })
}
