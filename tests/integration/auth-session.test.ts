import { LoginResponse, MeResponse } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, DAY, DIALECTS, type Harness, sessionCookie, startApp } from './auth-harness.ts'

// Login, logout, bearer and cookie sessions, the 30-day expiry, revocation, cookie attributes, the
// Origin check and login rate limits — through the HTTP app, once per database.

const login = (h: Harness, name: string, password: string, headers: Record<string, string> = {}) =>
  h.call('POST', '/api/v1/auth/login', { body: { login: name, password }, headers })

describe.each(DIALECTS)('staff sessions on $dialect', ({ dialect, skip }) => {
  /** A second app of its own (behind a trusted proxy, so addresses come from X-Forwarded-For), closed after `fn`. */
  async function withApp(env: Record<string, string>, fn: (app: Harness) => Promise<void>): Promise<void> {
    const app = await startApp(dialect, env)
    try {
      await fn(app)
    } finally {
      await app.close()
    }
  }
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  beforeEach(async () => {
    h = await startApp(dialect)
  })
  afterEach(async () => {
    await h.close()
  })

  describe('login', () => {
    it('should answer the token, its expiry and the user when the password is right', async () => {
      const r = await login(h, 'admin', ADMIN_PASSWORD)
      expect(r.status).toBe(200)
      const body = LoginResponse.parse(r.body)
      expect(body.token).toMatch(/^mys_[\w-]{43}$/)
      expect(Date.parse(body.expiresAt) - h.clock.now().getTime()).toBe(30 * DAY)
      expect(body.user).toMatchObject({ role: 'admin', name: '管理员', communityIds: [] })
      expect(r.headers.get('cache-control')).toBe('no-store')
    })

    it('should set an HttpOnly, SameSite=Lax session cookie for the API that lasts as long as the session', async () => {
      const r = await login(h, 'admin', ADMIN_PASSWORD)
      const cookie = sessionCookie(r.headers)
      expect(cookie?.value).toBe(r.body.token)
      expect(cookie?.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/api', `Max-Age=${30 * 86_400}`]))
      // Served over plain http (the in-process request), so not Secure: the browser would drop it.
      expect(cookie?.attributes).not.toContain('Secure')
    })

    it('should mark the cookie Secure when the server is reached over https', async () => {
      const viaPublicUrl = await startApp(dialect, { PUBLIC_URL: 'https://minyi.example.org' })
      const viaProxy = await startApp(dialect, { TRUST_PROXY: '1' })
      try {
        const a = await login(viaPublicUrl, 'admin', ADMIN_PASSWORD)
        expect(sessionCookie(a.headers)?.attributes).toContain('Secure')
        const b = await login(viaProxy, 'admin', ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' })
        expect(sessionCookie(b.headers)?.attributes).toContain('Secure')
      } finally {
        await viaPublicUrl.close()
        await viaProxy.close()
      }
    })

    it('should answer 401 invalid_credentials alike for a wrong password and an unknown login, setting no cookie', async () => {
      const wrong = await login(h, 'admin', 'not-the-password')
      const unknown = await login(h, 'nobody', 'not-the-password')
      for (const r of [wrong, unknown]) {
        expect(r.status).toBe(401)
        expect(r.body.code).toBe('invalid_credentials')
        expect(sessionCookie(r.headers)).toBeNull()
      }
      expect(unknown.body).toEqual(wrong.body)
    })

    it('should treat the login case-insensitively', async () => {
      expect((await login(h, 'ADMIN', ADMIN_PASSWORD)).status).toBe(200)
    })

    it('should answer 400 validation_failed for a body without a password, and 415 for a form post', async () => {
      const r = await h.call('POST', '/api/v1/auth/login', { body: { login: 'admin' } })
      expect(r.status).toBe(400)
      expect(r.body.code).toBe('validation_failed')
      const form = await h.call('POST', '/api/v1/auth/login', {
        body: `login=admin&password=${ADMIN_PASSWORD}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      expect(form.status).toBe(415)
    })

    it('should still sign in when a stale bearer token comes along', async () => {
      const r = await login(h, 'admin', ADMIN_PASSWORD, { authorization: 'Bearer mys_revokedrevokedrevokedrevokedrevokedrevoked' })
      expect(r.status).toBe(200)
    })

    it('should rate-limit attempts per login and IP, with Retry-After, until the window passes', async () =>
      withApp({ TRUST_PROXY: '1' }, async (proxied) => {
        const from = (ip: string) => ({ 'x-forwarded-for': ip })
        for (let i = 0; i < 10; i++) expect((await login(proxied, 'admin', 'wrong-guess', from('10.0.0.1'))).status).toBe(401)
        const limited = await login(proxied, 'admin', ADMIN_PASSWORD, from('10.0.0.1'))
        expect(limited.status).toBe(429)
        expect(limited.body.code).toBe('rate_limited')
        const retryAfter = Number(limited.headers.get('retry-after'))
        // The window slides: the burst at its start still counts until well into the next 15 minutes.
        expect(retryAfter).toBeGreaterThan(15 * 60)
        // Another address is not locked out by someone else's guessing.
        expect((await login(proxied, 'admin', ADMIN_PASSWORD, from('10.0.0.2'))).status).toBe(200)
        proxied.clock.advance((retryAfter - 5) * 1000)
        const early = await login(proxied, 'admin', ADMIN_PASSWORD, from('10.0.0.1'))
        expect(early.status).toBe(429)
        // Trying early counts too; waiting as told then lets the next try through.
        proxied.clock.advance(Number(early.headers.get('retry-after')) * 1000)
        expect((await login(proxied, 'admin', ADMIN_PASSWORD, from('10.0.0.1'))).status).toBe(200)
      }))

    it('should not let the limit through twice across a window boundary (sliding window)', async () =>
      withApp({ TRUST_PROXY: '1' }, async (proxied) => {
        const ip = { 'x-forwarded-for': '10.0.0.4' }
        // T0 starts a 15-minute window: ten tries in its last 10 seconds, then more in the next one's first seconds.
        proxied.clock.advance(15 * 60_000 - 10_000)
        for (let i = 0; i < 10; i++) expect((await login(proxied, 'admin', 'wrong-guess', ip)).status).toBe(401)
        proxied.clock.advance(20_000)
        const next = await login(proxied, 'admin', ADMIN_PASSWORD, ip)
        // A fixed window let these through (a fresh count of 10); the sliding estimate still holds ~10 of them.
        expect(next.status).toBe(429)
        expect(Number(next.headers.get('retry-after'))).toBeGreaterThanOrEqual(60)
      }))

    it(
      'should limit failed logins per address over all login names, while other addresses sign in',
      async () =>
        withApp({ TRUST_PROXY: '1' }, async (proxied) => {
          const flood = { 'x-forwarded-for': '10.0.0.5' }
          // A 64-way flood of made-up logins from one address: only the first 30 reach the password check.
          const answers = await Promise.all(
            Array.from({ length: 64 }, (_, i) => login(proxied, `nobody-${i}-${Math.random().toString(36).slice(2)}`, 'guess', flood)),
          )
          const statuses = answers.map((a) => a.status)
          expect(statuses.filter((s) => s === 401)).toHaveLength(30)
          expect(statuses.filter((s) => s === 429)).toHaveLength(34)
          // Even the right password from the flooding address waits; a real user elsewhere signs in at once.
          expect((await login(proxied, 'admin', ADMIN_PASSWORD, flood)).status).toBe(429)
          const started = performance.now()
          expect((await login(proxied, 'admin', ADMIN_PASSWORD, { 'x-forwarded-for': '10.0.0.6' })).status).toBe(200)
          console.log(`login from another address right after the flood: ${(performance.now() - started).toFixed(0)} ms`)
        }),
      120_000,
    )

    it('should not count successful logins against their address', async () =>
      withApp({ TRUST_PROXY: '1', LOGIN_RATE_LIMIT_ADDRESS: '5' }, async (proxied) => {
        const office = { 'x-forwarded-for': '10.0.0.7' }
        for (let i = 0; i < 8; i++) expect((await login(proxied, 'admin', ADMIN_PASSWORD, office)).status).toBe(200)
        for (let i = 0; i < 5; i++) expect((await login(proxied, `nobody-${i}`, 'guess', office)).status).toBe(401)
        expect((await login(proxied, 'admin', ADMIN_PASSWORD, office)).status).toBe(429)
      }))

    it('should forget failed attempts after a successful login', async () =>
      withApp({ TRUST_PROXY: '1' }, async (proxied) => {
        const ip = { 'x-forwarded-for': '10.0.0.3' }
        for (let round = 0; round < 2; round++) {
          for (let i = 0; i < 9; i++) await login(proxied, 'admin', 'wrong-guess', ip)
          expect((await login(proxied, 'admin', ADMIN_PASSWORD, ip)).status).toBe(200)
        }
      }))
  })

  describe('bearer and cookie', () => {
    it('should accept the login token as Authorization: Bearer and say so in /auth/me', async () => {
      const { token } = (await login(h, 'admin', ADMIN_PASSWORD)).body
      const r = await h.call('GET', '/api/v1/auth/me', { token })
      expect(r.status).toBe(200)
      const me = MeResponse.parse(r.body)
      expect(me.user.login).toBe('admin')
      expect(me.session.via).toBe('bearer')
      const row = await h.db.db.selectFrom('sessions').select('kind').where('id', '=', me.session.id).executeTakeFirstOrThrow()
      expect(row.kind).toBe('bearer')
    })

    it('should accept the session cookie', async () => {
      const cookie = sessionCookie((await login(h, 'admin', ADMIN_PASSWORD)).headers)!.value
      const r = await h.call('GET', '/api/v1/auth/me', { cookie })
      expect(r.status).toBe(200)
      expect(r.body.session.via).toBe('cookie')
    })

    it('should store only the SHA-256 of the token', async () => {
      const { token } = (await login(h, 'admin', ADMIN_PASSWORD)).body
      const ids = await h.db.db.selectFrom('sessions').select('id').execute()
      const { createHash } = await import('node:crypto')
      expect(ids.map((r) => r.id)).toEqual([createHash('sha256').update(token).digest('hex')])
    })

    it('should answer 401 unauthenticated for an unknown or malformed bearer token, even on public routes', async () => {
      for (const header of ['Bearer mys_unknown', 'Bearer', 'Basic YWRtaW46eA==']) {
        const r = await h.call('GET', '/api/v1/health', { headers: { authorization: header } })
        expect(r.status).toBe(401)
        expect(r.body.code).toBe('unauthenticated')
      }
    })
  })

  describe('expiry and revocation', () => {
    it('should keep a session valid for 30 days and answer session_expired after', async () => {
      const { token } = (await login(h, 'admin', ADMIN_PASSWORD)).body
      h.clock.advance(30 * DAY - 60_000)
      expect((await h.call('GET', '/api/v1/auth/me', { token })).status).toBe(200)
      h.clock.advance(60_000)
      const r = await h.call('GET', '/api/v1/auth/me', { token })
      expect(r.status).toBe(401)
      expect(r.body.code).toBe('session_expired')
    })

    it('should let an expired cookie through as anonymous on public routes and say session_expired on staff routes', async () => {
      const cookie = sessionCookie((await login(h, 'admin', ADMIN_PASSWORD)).headers)!.value
      h.clock.advance(31 * DAY)
      const pub = await h.call('GET', '/api/v1/health', { cookie })
      expect(pub.status).toBe(200)
      // The stale cookie is removed so the browser stops sending it.
      expect(sessionCookie(pub.headers)?.attributes).toContain('Max-Age=0')
      const staffOnly = await h.call('GET', '/api/v1/auth/me', { cookie })
      expect(staffOnly.status).toBe(401)
      expect(staffOnly.body.code).toBe('session_expired')
    })

    it('should forget sessions 30 days after they ended, at the next login', async () => {
      await login(h, 'admin', ADMIN_PASSWORD)
      h.clock.advance(59 * DAY)
      await login(h, 'admin', ADMIN_PASSWORD)
      expect(await h.db.db.selectFrom('sessions').select('id').execute()).toHaveLength(2)
      h.clock.advance(2 * DAY)
      await login(h, 'admin', ADMIN_PASSWORD)
      expect(await h.db.db.selectFrom('sessions').select('id').execute()).toHaveLength(2)
    })

    it('should revoke the session on logout, by cookie or by bearer, and clear the cookie', async () => {
      const a = await login(h, 'admin', ADMIN_PASSWORD)
      const out = await h.call('POST', '/api/v1/auth/logout', { cookie: a.body.token, headers: { origin: 'http://localhost' } })
      expect(out.status).toBe(204)
      expect(sessionCookie(out.headers)?.attributes).toContain('Max-Age=0')
      const after = await h.call('GET', '/api/v1/auth/me', { token: a.body.token })
      expect(after.status).toBe(401)
      expect(after.body.code).toBe('unauthenticated')

      const b = await login(h, 'admin', ADMIN_PASSWORD)
      expect((await h.call('POST', '/api/v1/auth/logout', { token: b.body.token })).status).toBe(204)
      expect((await h.call('GET', '/api/v1/auth/me', { token: b.body.token })).status).toBe(401)
      // Logging out again with the dead token is not an error.
      expect((await h.call('POST', '/api/v1/auth/logout', { token: b.body.token })).status).toBe(204)
    })

    it("should let an admin list a worker's sessions and revoke the one on a lost phone", async () => {
      const admin = await h.staff('admin', 'admin2')
      const worker = await h.staff('worker', 'wang')
      const phone = (await login(h, 'wang', 'wang-password', { 'user-agent': 'lost phone' })).body.token
      const list = await h.call('GET', `/api/v1/staff/${worker.id}/sessions`, { token: admin.token })
      expect(list.status).toBe(200)
      expect(list.body).toHaveLength(2)
      const lost = list.body.find((s: { userAgent: string | null }) => s.userAgent === 'lost phone')
      expect((await h.call('POST', `/api/v1/auth/sessions/${lost.id}/revoke`, { token: admin.token })).status).toBe(204)
      expect((await h.call('GET', '/api/v1/auth/me', { token: phone })).body.code).toBe('unauthenticated')
      expect((await h.call('GET', '/api/v1/auth/me', { token: worker.token })).status).toBe(200)
    })

    it("should revoke all of a user's sessions at once", async () => {
      const admin = await h.staff('admin', 'admin2')
      const worker = await h.staff('worker', 'wang')
      const other = (await login(h, 'wang', 'wang-password')).body.token
      const r = await h.call('POST', `/api/v1/staff/${worker.id}/sessions/revoke`, { token: admin.token })
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ revoked: 2 })
      for (const token of [worker.token, other]) expect((await h.call('GET', '/api/v1/auth/me', { token })).status).toBe(401)
      expect((await h.call('GET', '/api/v1/auth/me', { token: admin.token })).status).toBe(200)
    })

    it("should let staff revoke their own sessions but not see anyone else's", async () => {
      const worker = await h.staff('worker', 'wang')
      const evaluator = await h.staff('evaluator', 'li')
      const me = (await h.call('GET', '/api/v1/auth/me', { token: worker.token })).body
      const theirs = (await h.call('GET', '/api/v1/auth/me', { token: evaluator.token })).body
      const denied = await h.call('POST', `/api/v1/auth/sessions/${theirs.session.id}/revoke`, { token: worker.token })
      expect(denied.status).toBe(404)
      expect((await h.call('GET', '/api/v1/auth/me', { token: evaluator.token })).status).toBe(200)
      expect((await h.call('POST', `/api/v1/auth/sessions/${me.session.id}/revoke`, { token: worker.token })).status).toBe(204)
      expect((await h.call('GET', '/api/v1/auth/me', { token: worker.token })).status).toBe(401)
    })
  })

  describe('Origin check on cookie-authenticated writes', () => {
    const write = (cookie: string | undefined, headers: Record<string, string>, token?: string) =>
      h.call('POST', '/api/v1/tokens', { cookie, token, headers, body: { name: 'bi' } })

    it('should refuse a cookie write with a foreign Origin, or with neither Origin nor Referer', async () => {
      const cookie = (await login(h, 'admin', ADMIN_PASSWORD)).body.token
      const cases: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        {},
        { origin: 'null' },
        { referer: 'https://evil.example/page' },
      ]
      for (const headers of cases) {
        const r = await write(cookie, headers)
        expect(r.status).toBe(403)
        expect(r.body.code).toBe('bad_origin')
      }
    })

    it('should accept a cookie write from the server’s own origin, by Origin or by Referer', async () => {
      const cookie = (await login(h, 'admin', ADMIN_PASSWORD)).body.token
      expect((await write(cookie, { origin: 'http://localhost' })).status).toBe(201)
      expect((await write(cookie, { referer: 'http://localhost/console/tokens' })).status).toBe(201)
    })

    it('should compare with PUBLIC_URL when it is set', async () => {
      const pub = await startApp(dialect, { PUBLIC_URL: 'https://minyi.example.org' })
      try {
        const cookie = (await login(pub, 'admin', ADMIN_PASSWORD)).body.token
        const call = (origin: string) => pub.call('POST', '/api/v1/tokens', { cookie, headers: { origin }, body: { name: 'x' } })
        expect((await call('http://localhost')).status).toBe(403)
        expect((await call('https://minyi.example.org')).status).toBe(201)
      } finally {
        await pub.close()
      }
    })

    it('should not apply to bearer-authenticated or anonymous writes', async () => {
      const { token } = (await login(h, 'admin', ADMIN_PASSWORD)).body
      expect((await write(undefined, { origin: 'https://evil.example' }, token)).status).toBe(201)
      const anon = await login(h, 'admin', ADMIN_PASSWORD, { origin: 'https://evil.example' })
      expect(anon.status).toBe(200)
    })

    it('should not apply to reads', async () => {
      const cookie = (await login(h, 'admin', ADMIN_PASSWORD)).body.token
      expect((await h.call('GET', '/api/v1/auth/me', { cookie, headers: { origin: 'https://evil.example' } })).status).toBe(200)
    })
  })
})
