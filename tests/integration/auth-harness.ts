import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../server/src/app.ts'
import { type Db, openDb } from '../../server/src/db/index.ts'
import { type Env, loadEnv } from '../../server/src/env.ts'
import { createSession, ensureAdmin } from '../../server/src/services/auth.ts'
import type { Deps } from '../../server/src/services/deps.ts'
import { createStaff } from '../../server/src/services/staff.ts'
import { createTestDatabase, hasPg } from '../support/pg.ts'

/** Each auth suite runs once per database; PostgreSQL is skipped loudly by tests/support/pg.ts when absent. */
export const DIALECTS = [
  { dialect: 'sqlite' as const, skip: false },
  { dialect: 'postgres' as const, skip: !hasPg },
]
export type DialectName = (typeof DIALECTS)[number]['dialect']

export const ADMIN_PASSWORD = 'admin-test-password'
/** The fixed start of every suite's clock: a Monday in Shanghai's working day. */
export const T0 = Date.parse('2026-03-02T01:00:00.000Z')
export const DAY = 86_400_000

export interface Reply {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
  body: any
  headers: Headers
}

export interface CallOptions {
  token?: string
  cookie?: string
  body?: unknown
  headers?: Record<string, string>
}

export interface Harness {
  app: ReturnType<typeof createApp>
  db: Db
  /** PostgreSQL's URL (a second instance opens it too); undefined on SQLite. */
  databaseUrl: string | undefined
  env: Env
  deps: Deps
  clock: { now: () => Date; advance: (ms: number) => void }
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>
  /** A staff member straight through the service, plus a session token (no login, so no scrypt per cell). */
  staff(role: 'admin' | 'evaluator' | 'worker', login: string, communityIds?: string[]): Promise<{ id: string; token: string }>
  close(): Promise<void>
}

/** The server keys (evidence signing, keyed hashes) of this test file's apps: a fresh directory, outside the repository. */
export const TEST_KEY_DIR = mkdtempSync(join(tmpdir(), 'minyi-keys-'))

/** The whole app in-process on a fresh database of `dialect`, with the first admin created and a movable clock. */
export async function startApp(
  dialect: DialectName,
  envSource: Record<string, string> = {},
  opts: { sqlitePath?: string } = {},
): Promise<Harness> {
  const pg = dialect === 'postgres' ? await createTestDatabase('minyi_auth') : null
  const env = loadEnv({ ADMIN_PASSWORD, CLIENT_DIST: '/nonexistent', LOG_LEVEL: 'silent', KEY_DIR: TEST_KEY_DIR, ...envSource }, [])
  const db = await openDb({ databaseUrl: pg?.url, sqlitePath: opts.sqlitePath ?? ':memory:', poolSize: 4 })
  let t = T0
  const clock = {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms
    },
  }
  const deps: Deps = { env, db, now: clock.now }
  await ensureAdmin(db, env, () => {}, clock.now)
  const app = createApp({ env, db, now: clock.now })

  const call: Harness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    if (opts.cookie) headers.cookie = `minyi_session=${opts.cookie}`
    let body: string | undefined
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await app.request(path, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // not JSON (e.g. the SPA shell); keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }

  return {
    app,
    db,
    databaseUrl: pg?.url,
    env,
    deps,
    clock,
    call,
    async staff(role, login, communityIds = []) {
      const user = await createStaff(deps, { name: login, login, role, communityIds, password: `${login}-password` })
      const { token } = await createSession(deps, user.id)
      return { id: user.id, token }
    },
    async close() {
      await db.close()
      await pg?.drop()
    },
  }
}

/** The session token a login answer set as a cookie, and the cookie's attributes. */
export function sessionCookie(headers: Headers): { value: string; attributes: string[] } | null {
  const line = headers.getSetCookie().find((l) => l.startsWith('minyi_session='))
  if (!line) return null
  const [pair, ...attributes] = line.split(';').map((s) => s.trim())
  return { value: pair!.slice('minyi_session='.length), attributes }
}
