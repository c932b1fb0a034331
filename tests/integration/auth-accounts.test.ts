import { randomUUID } from 'node:crypto'
import { ApiToken, ApiTokenCreated, StaffUser } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../server/src/auth/password.ts'
import { canAccessCommunity, type Principal } from '../../server/src/auth/principal.ts'
import { openDb } from '../../server/src/db/index.ts'
import { ensureAdmin } from '../../server/src/services/auth.ts'
import { createTestDatabase } from '../support/pg.ts'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'

// Staff accounts and read-only API tokens (admin only), the first admin, and how passwords are stored.

const COMMUNITY_A = '0190f5c2-0000-7000-8000-00000000000a'
const COMMUNITY_B = '0190f5c2-0000-7000-8000-00000000000b'
const login = (h: Harness, name: string, password: string) => h.call('POST', '/api/v1/auth/login', { body: { login: name, password } })

describe('password hashes', () => {
  it('should store scrypt with its parameters and a random 16-byte salt', async () => {
    const a = await hashPassword('correct horse')
    const b = await hashPassword('correct horse')
    expect(a).toMatch(/^scrypt\$ln=15,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horsE', a)).toBe(false)
  })

  it('should refuse a tampered, malformed or absurdly expensive stored hash', async () => {
    const h = await hashPassword('pw-123456')
    const [, params, salt, key] = h.split('$')
    const flipped = key!.startsWith('A') ? `B${key!.slice(1)}` : `A${key!.slice(1)}`
    expect(await verifyPassword('pw-123456', `scrypt$${params}$${salt}$${flipped}`)).toBe(false)
    expect(await verifyPassword('pw-123456', 'plaintext')).toBe(false)
    expect(await verifyPassword('pw-123456', `scrypt$ln=30,r=8,p=1$${salt}$${key}`)).toBe(false)
  })
})

describe('canAccessCommunity', () => {
  const staff = (role: 'admin' | 'evaluator' | 'worker'): Principal => ({
    kind: 'staff',
    userId: randomUUID(),
    role,
    communityIds: [COMMUNITY_A],
    sessionId: 'x',
    via: 'bearer',
  })
  it('should limit workers to their assigned communities and nobody else', () => {
    expect(canAccessCommunity(staff('worker'), COMMUNITY_A)).toBe(true)
    expect(canAccessCommunity(staff('worker'), COMMUNITY_B)).toBe(false)
    expect(canAccessCommunity(staff('evaluator'), COMMUNITY_B)).toBe(true)
    expect(canAccessCommunity(staff('admin'), COMMUNITY_B)).toBe(true)
    expect(canAccessCommunity({ kind: 'token', tokenId: 'x', readOnly: true }, COMMUNITY_B)).toBe(true)
    expect(canAccessCommunity({ kind: 'anonymous' }, COMMUNITY_A)).toBe(false)
  })
})

describe.each(DIALECTS)('accounts on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let admin: { id: string; token: string }
  beforeEach(async () => {
    h = await startApp(dialect)
    admin = await h.staff('admin', 'admin2')
  })
  afterEach(async () => {
    await h.close()
  })

  describe('the first admin', () => {
    const fresh = async () => {
      if (dialect === 'sqlite') return { db: await openDb({ sqlitePath: ':memory:' }), drop: async () => {} }
      const pg = await createTestDatabase('minyi_auth')
      return { db: await openDb({ databaseUrl: pg.url, sqlitePath: '' }), drop: pg.drop }
    }

    it('should create admin with ADMIN_PASSWORD on first start, without printing it, and never again', async () => {
      const { db, drop } = await fresh()
      try {
        const lines: string[] = []
        expect(await ensureAdmin(db, { ADMIN_PASSWORD: 'first-start-pw' }, (l) => lines.push(l))).toEqual({ created: true })
        expect(lines.join('\n')).not.toContain('first-start-pw')
        expect(await ensureAdmin(db, { ADMIN_PASSWORD: 'changed-later-pw' }, (l) => lines.push(l))).toEqual({ created: false })
        expect(lines).toHaveLength(1)
        const row = await db.db.selectFrom('staff_users').selectAll().executeTakeFirstOrThrow()
        expect(row).toMatchObject({ login: 'admin', role: 'admin', disabled: 0 })
        expect(await verifyPassword('first-start-pw', row.password_hash)).toBe(true)
      } finally {
        await db.close()
        await drop()
      }
    })

    it('should print a generated password once when ADMIN_PASSWORD is unset, and nothing on later starts', async () => {
      const { db, drop } = await fresh()
      try {
        const lines: string[] = []
        await ensureAdmin(db, {}, (l) => lines.push(l))
        const password = /Password: (\S+)/.exec(lines.join('\n'))?.[1]
        expect(password).toMatch(/^[\w-]{16}$/)
        const row = await db.db.selectFrom('staff_users').select('password_hash').executeTakeFirstOrThrow()
        expect(await verifyPassword(password!, row.password_hash)).toBe(true)
        await ensureAdmin(db, {}, (l) => lines.push(l))
        expect(lines).toHaveLength(1)
      } finally {
        await db.close()
        await drop()
      }
    })

    it('should create exactly one admin when several instances start at once', async () => {
      const { db, drop } = await fresh()
      try {
        const lines: string[] = []
        const results = await Promise.all([1, 2, 3].map(() => ensureAdmin(db, {}, (l) => lines.push(l))))
        expect(results.filter((r) => r.created)).toHaveLength(1)
        expect(lines).toHaveLength(1)
        expect(await db.db.selectFrom('staff_users').selectAll().execute()).toHaveLength(1)
      } finally {
        await db.close()
        await drop()
      }
    })
  })

  describe('staff accounts', () => {
    it('should create a worker with assigned communities who can then sign in', async () => {
      const r = await h.call('POST', '/api/v1/staff', {
        token: admin.token,
        body: {
          name: '王敏',
          login: 'Wang.Min',
          phone: '13800000000',
          role: 'worker',
          communityIds: [COMMUNITY_A],
          password: 'door2door!',
        },
      })
      expect(r.status).toBe(201)
      const user = StaffUser.parse(r.body)
      expect(user).toMatchObject({ login: 'wang.min', role: 'worker', communityIds: [COMMUNITY_A], disabled: false })
      expect(r.body).not.toHaveProperty('password')
      const signedIn = await login(h, 'wang.min', 'door2door!')
      expect(signedIn.status).toBe(200)
      expect(signedIn.body.user).toMatchObject({ id: user.id, role: 'worker', communityIds: [COMMUNITY_A] })
    })

    it('should answer 409 conflict for a login that is taken, whatever its case', async () => {
      const body = { name: 'x', login: 'ADMIN', role: 'evaluator', password: 'long-enough' }
      const r = await h.call('POST', '/api/v1/staff', { token: admin.token, body })
      expect(r.status).toBe(409)
      expect(r.body.code).toBe('conflict')
    })

    it('should answer 400 validation_failed with field details for a bad body', async () => {
      const r = await h.call('POST', '/api/v1/staff', {
        token: admin.token,
        body: { name: '', login: 'a b', role: 'boss', password: 'short' },
      })
      expect(r.status).toBe(400)
      expect(r.body.code).toBe('validation_failed')
      expect(r.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'login', 'role', 'password']))
    })

    it('should list accounts without password hashes', async () => {
      const r = await h.call('GET', '/api/v1/staff', { token: admin.token })
      expect(r.status).toBe(200)
      expect(r.body.map((u: StaffUser) => u.login)).toEqual(['admin', 'admin2'])
      expect(JSON.stringify(r.body)).not.toContain('scrypt')
    })

    it('should update role and communities, which take effect on the next request', async () => {
      const worker = await h.staff('worker', 'wang', [COMMUNITY_A])
      const r = await h.call('PATCH', `/api/v1/staff/${worker.id}`, {
        token: admin.token,
        body: { communityIds: [COMMUNITY_B], name: '王' },
      })
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ name: '王', communityIds: [COMMUNITY_B] })
      expect((await h.call('GET', '/api/v1/auth/me', { token: worker.token })).body.user.communityIds).toEqual([COMMUNITY_B])
      const promoted = await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { role: 'evaluator' } })
      // Only workers are bound to communities.
      expect(promoted.body).toMatchObject({ role: 'evaluator', communityIds: [] })
      expect((await h.call('GET', '/api/v1/staff', { token: worker.token })).status).toBe(403)
    })

    it('should revoke every session of a user who is disabled, and refuse their login', async () => {
      const worker = await h.staff('worker', 'wang')
      const r = await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { disabled: true } })
      expect(r.status).toBe(200)
      expect(r.body.disabled).toBe(true)
      const after = await h.call('GET', '/api/v1/auth/me', { token: worker.token })
      expect(after.status).toBe(401)
      expect(after.body.code).toBe('unauthenticated')
      expect((await login(h, 'wang', 'wang-password')).body.code).toBe('invalid_credentials')
      await h.call('PATCH', `/api/v1/staff/${worker.id}`, { token: admin.token, body: { disabled: false } })
      expect((await login(h, 'wang', 'wang-password')).status).toBe(200)
    })

    it('should refuse to disable or demote the last enabled admin', async () => {
      const first = (await h.call('GET', '/api/v1/staff', { token: admin.token })).body.find((u: StaffUser) => u.login === 'admin')
      expect((await h.call('PATCH', `/api/v1/staff/${first.id}`, { token: admin.token, body: { disabled: true } })).status).toBe(200)
      const self = await h.call('PATCH', `/api/v1/staff/${admin.id}`, { token: admin.token, body: { role: 'evaluator' } })
      expect(self.status).toBe(409)
      expect(self.body.code).toBe('conflict')
    })

    it('should reset a password: the new one works, the old one and old sessions do not', async () => {
      const worker = await h.staff('worker', 'wang')
      const r = await h.call('POST', `/api/v1/staff/${worker.id}/password`, { token: admin.token, body: { password: 'brand-new-pw' } })
      expect(r.status).toBe(204)
      expect((await h.call('GET', '/api/v1/auth/me', { token: worker.token })).status).toBe(401)
      expect((await login(h, 'wang', 'wang-password')).status).toBe(401)
      expect((await login(h, 'wang', 'brand-new-pw')).status).toBe(200)
    })

    it('should answer 404 for an unknown or malformed account id', async () => {
      expect((await h.call('GET', `/api/v1/staff/${randomUUID()}`, { token: admin.token })).status).toBe(404)
      expect((await h.call('GET', '/api/v1/staff/not-a-uuid', { token: admin.token })).body.code).toBe('not_found')
    })
  })

  describe('read-only API tokens', () => {
    it('should show the secret once, list without it, and let it read but never write', async () => {
      const created = await h.call('POST', '/api/v1/tokens', { token: admin.token, body: { name: 'district BI' } })
      expect(created.status).toBe(201)
      const token = ApiTokenCreated.parse(created.body)
      expect(token.token).toMatch(/^mya_[\w-]{43}$/)

      const list = await h.call('GET', '/api/v1/tokens', { token: admin.token })
      expect(list.body).toEqual([ApiToken.parse({ ...token, token: undefined })])
      expect(JSON.stringify(list.body)).not.toContain(token.token)

      // A read-only token is not a staff login: staff routes and every write are closed to it.
      const me = await h.call('GET', '/api/v1/auth/me', { token: token.token })
      expect([me.status, me.body.code]).toEqual([403, 'forbidden'])
      const write = await h.call('POST', '/api/v1/tokens', { token: token.token, body: { name: 'escalate' } })
      expect([write.status, write.body.code]).toEqual([403, 'forbidden'])
    })

    it('should stop working once revoked', async () => {
      const { body } = await h.call('POST', '/api/v1/tokens', { token: admin.token, body: { name: 'bi' } })
      expect((await h.call('GET', '/api/v1/health', { token: body.token })).status).toBe(200)
      const revoked = await h.call('POST', `/api/v1/tokens/${body.id}/revoke`, { token: admin.token })
      expect(revoked.status).toBe(200)
      expect(revoked.body.revokedAt).toBe(h.clock.now().toISOString())
      const r = await h.call('GET', '/api/v1/health', { token: body.token })
      expect([r.status, r.body.code]).toEqual([401, 'unauthenticated'])
    })

    it('should not accept an API token as a session cookie', async () => {
      const { body } = await h.call('POST', '/api/v1/tokens', { token: admin.token, body: { name: 'bi' } })
      const r = await h.call('GET', '/api/v1/tokens', { cookie: body.token })
      expect([r.status, r.body.code]).toEqual([401, 'unauthenticated'])
    })
  })
})
