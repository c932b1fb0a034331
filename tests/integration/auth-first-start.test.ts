import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../support/pg.ts'
import { startServer } from '../support/server.ts'
import { DIALECTS } from './auth-harness.ts'

// The real server process (server/src/index.ts): the first start creates the admin, and a generated
// password appears on stdout exactly once, across restarts on the same database.

const PASSWORD_LINE = /Password: (\S+)/

async function signIn(url: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password }),
  })
  return res.status
}

describe.each(DIALECTS)('first start on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }

  async function database(): Promise<{ env: Record<string, string>; sqlitePath: string | undefined; drop: () => Promise<void> }> {
    if (dialect === 'postgres') {
      const pg = await createTestDatabase('minyi_auth')
      return { env: { DATABASE_URL: pg.url }, sqlitePath: undefined, drop: pg.drop }
    }
    return { env: {}, sqlitePath: join(mkdtempSync(join(tmpdir(), 'minyi-')), 'first.sqlite'), drop: async () => {} }
  }

  it('should print a generated admin password once, and never on the next start', async () => {
    const db = await database()
    // ADMIN_PASSWORD unset: spawn drops undefined variables (startServer sets one by default).
    const env: Record<string, string> = { ...db.env, ADMIN_PASSWORD: undefined as unknown as string }
    try {
      const first = await startServer({ env, args: ['--no-demo'], sqlitePath: db.sqlitePath })
      await first.stop()
      const password = PASSWORD_LINE.exec(first.output())?.[1]
      expect(password, first.output()).toBeDefined()

      const second = await startServer({ env, args: ['--no-demo'], sqlitePath: db.sqlitePath })
      try {
        expect(second.output()).not.toMatch(PASSWORD_LINE)
        expect(second.output()).not.toContain(password)
        expect(await signIn(second.url, password!)).toBe(200)
      } finally {
        await second.stop()
      }
    } finally {
      await db.drop()
    }
  }, 120_000)

  it('should take the admin password from ADMIN_PASSWORD and not print it', async () => {
    const db = await database()
    try {
      const server = await startServer({
        env: { ...db.env, ADMIN_PASSWORD: 'from-the-environment' },
        args: ['--no-demo'],
        sqlitePath: db.sqlitePath,
      })
      try {
        expect(await signIn(server.url, 'from-the-environment')).toBe(200)
        expect(server.output()).not.toContain('from-the-environment')
        expect(server.output()).not.toMatch(PASSWORD_LINE)
      } finally {
        await server.stop()
      }
    } finally {
      await db.drop()
    }
  }, 120_000)
})
