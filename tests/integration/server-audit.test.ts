import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { download, setupCampaign, sync, uuidv7 } from './server-harness.ts'

// The audit log of staff actions (issue 12 point 6), on SQLite and PostgreSQL: the routes record who,
// when, what and before / after; no secret ever enters it; filters, export and the chain check work;
// the table refuses edits, and an edit made around that refusal breaks the chain.

/** Kysely's raw `sql` tag, from the server's dependencies (the tests' own do not list Kysely). */
const { sql } = createRequire(new URL('../../server/package.json', import.meta.url))('kysely') as {
  sql: (text: TemplateStringsArray) => { execute(db: unknown): Promise<unknown> }
}

describe.each(DIALECTS)('audit log on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let admin: { id: string; token: string }
  beforeAll(async () => {
    h = await startApp(dialect)
    admin = await h.staff('admin', 'auditor')
  })
  afterAll(async () => {
    await h?.close()
  })

  const list = async (query = '') => {
    const r = await h.call('GET', `/api/v1/audit${query}`, { token: admin.token })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body as {
      entries: { seq: number; action: string; actorId: string; actorLabel: string; before: unknown; after: unknown; targetId: string }[]
      next: number | null
    }
  }

  it('should record account, password, token and sign-out actions with before and after, and no secret', async () => {
    const created = await h.call('POST', '/api/v1/staff', {
      token: admin.token,
      body: { name: '王五', login: 'wangwu', role: 'worker', password: 'first-secret-pass', communityIds: [] },
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await h.call('PATCH', `/api/v1/staff/${id}`, { token: admin.token, body: { name: '王五五' } })).status).toBe(200)
    expect(
      (await h.call('POST', `/api/v1/staff/${id}/password`, { token: admin.token, body: { password: 'second-secret-pass' } })).status,
    ).toBe(204)
    const enrol = await h.call('POST', `/api/v1/staff/${id}/enrolment`, { token: admin.token })
    expect(enrol.status).toBe(201)
    const token = await h.call('POST', '/api/v1/tokens', { token: admin.token, body: { name: 'BI' } })
    expect((await h.call('POST', `/api/v1/tokens/${token.body.id}/revoke`, { token: admin.token })).status).toBe(200)
    expect((await h.call('POST', `/api/v1/staff/${id}/sessions/revoke`, { token: admin.token })).status).toBe(200)
    const login = await h.call('POST', '/api/v1/auth/login', { body: { login: 'admin', password: ADMIN_PASSWORD } })
    expect(login.status).toBe(200)
    expect((await h.call('POST', '/api/v1/auth/logout', { token: login.body.token })).status).toBe(204)

    const { entries } = await list()
    expect(entries.map((e) => e.action).slice(0, 9)).toEqual([
      'auth.logout',
      'auth.login',
      'staff.sessions_revoke',
      'token.revoke',
      'token.create',
      'staff.enrolment',
      'staff.password',
      'staff.update',
      'staff.create',
    ])
    const update = entries.find((e) => e.action === 'staff.update')!
    // Only what changed, both sides.
    expect(update).toMatchObject({
      actorId: admin.id,
      actorLabel: 'auditor',
      targetId: id,
      before: { name: '王五' },
      after: { name: '王五五' },
    })
    expect(entries.find((e) => e.action === 'token.revoke')).toMatchObject({
      before: { revokedAt: null },
      after: { revokedAt: expect.any(String) },
    })
    expect(entries.find((e) => e.action === 'auth.login')).toMatchObject({ actorLabel: 'admin', actorId: login.body.user.id })
    const text = JSON.stringify(entries)
    for (const secret of ['first-secret-pass', 'second-secret-pass', token.body.token, enrol.body.code]) expect(text).not.toContain(secret)
    expect(text).not.toContain('scrypt$')
  })

  it('should record campaign settings, publishing, household codes and exports, filterable by campaign and action', async () => {
    const s = await setupCampaign(h)
    const patched = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}`, { token: s.evaluator.token, body: { title: '改过的标题' } })
    expect(patched.status).toBe(200)
    const codes = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/household-codes`, {
      token: s.evaluator.token,
      body: { communityId: s.communityIds[0], count: 3 },
    })
    expect(codes.status).toBe(201)
    expect((await download(h, `/api/v1/campaigns/${s.campaignId}/export.csv`, s.evaluator.token)).status).toBe(200)

    const { entries } = await list(`?campaignId=${s.campaignId}`)
    expect(entries.map((e) => e.action)).toEqual([
      'export.download',
      'household_codes.create',
      'campaign.update',
      'questionnaire.publish',
      'campaign.create',
    ])
    expect(entries[2]).toMatchObject({ actorId: s.evaluator.id, before: { title: expect.any(String) }, after: { title: '改过的标题' } })
    expect(Object.keys(entries[2]!.after as object)).toEqual(['title'])
    expect(entries[1]!.after).toEqual({ communityId: s.communityIds[0], count: 3 })
    const codeText = JSON.stringify(entries)
    for (const c of codes.body.codes as { code: string }[]) expect(codeText).not.toContain(c.code)
    expect(codeText).not.toContain('householdSalt')

    // A noun takes all its actions; an actor filter only theirs.
    expect((await list('?action=org_unit')).entries.every((e) => e.action.startsWith('org_unit.'))).toBe(true)
    expect((await list('?action=org_unit')).entries).toHaveLength(5)
    expect((await list(`?actorId=${s.evaluator.id}`)).entries.every((e) => e.actorId === s.evaluator.id)).toBe(true)
    // Pages by cursor, newest first.
    const first = await list('?limit=2')
    const second = await list(`?limit=2&before=${first.next}`)
    expect(second.entries[0]!.seq).toBe(first.entries[1]!.seq - 1)
    expect((await h.call('GET', '/api/v1/audit?action=DROP%20TABLE', { token: admin.token })).body.code).toBe('validation_failed')
  })

  it('should record symposium records, follow-up changes and report downloads, without speaker text', async () => {
    const s = await setupCampaign(h)
    const worker = await h.staff('worker', 'recorder', [s.communityIds[0] ?? ''])
    let ms = Date.now()
    const [symposiumId, remarkId, changeId] = [uuidv7(ms++), uuidv7(ms++), uuidv7(ms++)]
    const items = [
      {
        kind: 'symposium',
        id: symposiumId,
        campaignId: s.campaignId,
        title: '社区座谈会',
        date: '2026-03-01',
        place: '党群服务中心',
        communityId: s.communityIds[0],
        streetId: null,
        host: '王书记',
        recorder: '李干事',
        attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
        remarks: [
          {
            id: remarkId,
            speakerCategory: 'resident',
            kind: 'problem',
            text: '三号楼楼道灯不亮',
            followUp: { owner: '物业', dueDate: '2026-03-10', status: 'todo' },
          },
        ],
      },
      {
        kind: 'follow_up',
        id: changeId,
        campaignId: s.campaignId,
        remarkId,
        base: null,
        followUp: { owner: '物业', dueDate: '2026-03-10', status: 'done' },
        note: '已修好',
        changedAt: h.clock.now().toISOString(),
      },
    ]
    const r = await sync(h, items, { token: worker.token })
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'created'])
    expect((await download(h, `/api/v1/campaigns/${s.campaignId}/report.docx`, s.evaluator.token)).status).toBe(200)

    const { entries } = await list(`?campaignId=${s.campaignId}&limit=3`)
    expect(entries.map((e) => e.action)).toEqual(['report.download', 'followup.update', 'symposium.update'])
    expect(entries[1]).toMatchObject({
      actorId: worker.id,
      targetId: remarkId,
      before: { status: 'todo' },
      after: { status: 'done', owner: '物业' },
    })
    expect(entries[2]).toMatchObject({ actorId: worker.id, targetId: symposiumId, after: { title: '社区座谈会', remarks: 1 } })
    expect(JSON.stringify(entries)).not.toContain('楼道灯')
  })

  it('should export the filtered log as CSV and record that export', async () => {
    const file = await download(h, '/api/v1/audit/export.csv?action=staff', admin.token)
    expect(file.status).toBe(200)
    expect(file.type).toContain('text/csv')
    const lines = file.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toContain('操作人')
    expect(lines.slice(1).every((l) => l.includes(',staff.'))).toBe(true)
    expect(lines.length - 1).toBe((await list('?action=staff')).entries.length)
    expect((await list('?limit=1')).entries[0]).toMatchObject({ action: 'audit.export', after: { action: 'staff' } })
  })

  it('should verify the chain, refuse edits and deletes, and show an edit made around the refusal', async () => {
    const ok = await h.call('GET', '/api/v1/audit/verify', { token: admin.token })
    expect(ok.body).toMatchObject({ ok: true, firstBadSeq: null })
    expect(ok.body.length).toBeGreaterThan(15)
    const db = h.db.db
    await expect(sql`update audit_log set actor_label = 'someone' where seq = 3`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log where seq = 3`.execute(db)).rejects.toThrow(/append-only/)
    // Someone with the database's owner rights drops the guard and rewrites history: the chain says where.
    if (dialect === 'postgres') await sql`drop trigger audit_log_no_update on audit_log`.execute(db)
    else await sql`drop trigger audit_log_no_update`.execute(db)
    await sql`update audit_log set actor_label = 'someone' where seq = 3`.execute(db)
    const bad = await h.call('GET', '/api/v1/audit/verify', { token: admin.token })
    expect(bad.body).toMatchObject({ ok: false, firstBadSeq: 3 })
  })
})
