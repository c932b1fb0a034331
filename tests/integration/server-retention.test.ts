import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../../server/src/db/index.ts'
import { createSession } from '../../server/src/services/auth.ts'
import type { Deps } from '../../server/src/services/deps.ts'
import { loadReportData } from '../../server/src/services/report/data.ts'
import { runRetentionJob } from '../../server/src/services/retention/index.ts'
import { DAY, DIALECTS, type Harness, startApp, T0 } from './auth-harness.ts'
import { type CampaignSetup, changedAnswers, responseItem, setupCampaign, sync, uuidv7 } from './server-harness.ts'

// Issue 15 on SQLite (a file, so that a second instance can open it) and PostgreSQL, with a moved
// clock: before the retention ends nothing is deleted; after it, one of two instances racing deletes
// the campaign's raw material, the other campaign is untouched, the indicator and the report's data
// are identical, the evidence chain verifies and says which range retention deleted; the dry run's
// counts; an admin's "delete now"; a retention change needs a reason once answers arrived.

const MONTH = 31 * DAY

describe.each(DIALECTS)('retention on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let a: CampaignSetup
  let b: CampaignSetup
  let admin: { id: string; token: string }
  let second: Deps
  /** A new session at the moved clock (sessions last 30 days; the clock jumps years). */
  const fresh = async (u: { id: string }) => (await createSession(h.deps, u.id)).token
  const key = (door: string) => createHash('sha256').update(door).digest('hex')
  const plan = async (id: string) => {
    const r = await h.call('GET', `/api/v1/campaigns/${id}/retention`, { token: await fresh(admin) })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body as { counts: Record<string, number>; due: boolean; closed: boolean; retentionEndsAt: string; rawDeletedAt: string | null }
  }
  const report = async (id: string) => {
    const { generatedAt: _g, w: _w, ...data } = await loadReportData(h.deps, id, 'zh')
    return JSON.parse(JSON.stringify({ ...data, ctx: null, communityName: [...data.communityName], title: null }))
  }
  const indicator = async (id: string) => (await h.call('GET', `/api/v1/campaigns/${id}/indicator`, { token: await fresh(admin) })).body

  beforeAll(async () => {
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-retention-')), 'r.sqlite')
    h = await startApp(dialect, {}, { sqlitePath })
    admin = await h.staff('admin', 'keeper')
    a = await setupCampaign(h, { communities: 2 })
    // B closes a year later: its retention has not ended when A's has.
    b = await setupCampaign(h, { closesAt: new Date(T0 + 400 * DAY).toISOString() })
    const worker = await h.staff('worker', 'door', [a.communityIds[0] ?? ''])

    // A: 12 QR answers (one with a position), a conflict, a review, 3 door answers with their visits,
    // household codes, a symposium with a remark and a follow-up change.
    const qr = Array.from({ length: 12 }, (_, i) =>
      responseItem(h, a, {
        communityId: a.communityIds[i % 2],
        ...(i === 0 ? { evidence: { lat: 31.234, lng: 121.456, accuracyM: 30 } } : {}),
      }),
    )
    h.clock.advance(1000)
    for (const [i, item] of qr.entries())
      expect((await sync(h, [item], { deviceId: `qr-phone-${i}` })).body.results[0].status).toBe('created')
    const first = qr[0] as { id: string; answers: Record<string, unknown> }
    expect((await sync(h, [{ ...first, answers: changedAnswers(first.answers) }], { deviceId: 'qr-phone-0' })).body.results[0].status).toBe(
      'conflict',
    )
    const review = await h.call('PATCH', `/api/v1/campaigns/${a.campaignId}/responses/${qr[1]?.id}/review`, {
      token: a.evaluator.token,
      body: { action: 'exclude', reason: '重复提交' },
    })
    expect(review.status).toBe(200)
    const door = Array.from({ length: 3 }, (_, i) =>
      responseItem(h, a, { channel: 'door', householdKey: key(`3-${i}01`), evidence: { lat: 31.2, lng: 121.4, accuracyM: 50 } }),
    )
    const visits = door.map((d, i) => ({
      kind: 'visit',
      id: uuidv7(h.clock.now().getTime() - 500 + i),
      campaignId: a.campaignId,
      communityId: a.communityIds[0],
      householdKey: key(`3-${i}01`),
      outcome: 'completed',
      visitedAt: h.clock.now().toISOString(),
      responseId: d.id,
    }))
    const doorSent = await sync(h, [...door, ...visits], { token: worker.token, deviceId: 'worker-phone' })
    expect(doorSent.body.results.map((r: { status: string }) => r.status)).toEqual(Array(6).fill('created'))
    expect(
      (
        await h.call('POST', `/api/v1/campaigns/${a.campaignId}/household-codes`, {
          token: a.evaluator.token,
          body: { communityId: a.communityIds[0], count: 3 },
        })
      ).status,
    ).toBe(201)
    let ms = h.clock.now().getTime() - 100
    const [symposiumId, remarkId, changeId] = [uuidv7(ms++), uuidv7(ms++), uuidv7(ms++)]
    const ledgerItems = [
      {
        kind: 'symposium',
        id: symposiumId,
        campaignId: a.campaignId,
        title: '社区座谈会',
        date: '2026-03-01',
        place: '党群服务中心',
        communityId: a.communityIds[0],
        streetId: null,
        host: '王书记',
        recorder: '李干事',
        attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
        remarks: [
          {
            id: remarkId,
            speakerCategory: 'resident',
            kind: 'problem',
            text: '楼道灯不亮',
            followUp: { owner: '物业', dueDate: '2026-03-10', status: 'todo' },
          },
        ],
      },
      {
        kind: 'follow_up',
        id: changeId,
        campaignId: a.campaignId,
        remarkId,
        base: null,
        followUp: { owner: '物业', dueDate: '2026-03-10', status: 'done' },
        note: '已修好',
        changedAt: h.clock.now().toISOString(),
      },
    ]
    expect(
      (await sync(h, ledgerItems, { token: worker.token, deviceId: 'worker-phone' })).body.results.map((r: { status: string }) => r.status),
    ).toEqual(['created', 'created'])

    // B: 5 QR answers.
    for (let i = 0; i < 5; i++)
      expect((await sync(h, [responseItem(h, b)], { deviceId: `b-phone-${i}` })).body.results[0].status).toBe('created')

    const other = await openDb({ databaseUrl: h.databaseUrl, sqlitePath, poolSize: 2 })
    second = { env: h.env, db: other, now: h.clock.now }
  })
  afterAll(async () => {
    await second?.db.close()
    await h?.close()
  })

  let before: {
    indicator: unknown
    report: unknown
    plan: Record<string, number>
    bIndicator: unknown
    bPlan: Record<string, number>
    length: number
  }

  it('should list in a dry run what would be deleted, with counts, and change nothing', async () => {
    const p = await plan(a.campaignId)
    expect(p.counts).toHaveProperty('network_windows')
    expect(p.counts).toMatchObject({
      response_reviews: 1,
      conflicts: 1,
      responses: 15,
      household_codes: 3,
      household_counts: 3,
      device_campaigns: 13,
      visits: 3,
      households: 3,
      community_activity: 2,
      devices: 13,
      symposium_names: 1,
      remark_devices: 1,
      follow_up_devices: 2,
    })
    expect(p).toMatchObject({
      closed: false,
      due: false,
      rawDeletedAt: null,
      retentionEndsAt: new Date(T0 + 30 * DAY + 0).toISOString().replace(/^(\d{4})/, (y) => String(Number(y) + 3)),
    })
    const verify = await h.call('GET', `/api/v1/campaigns/${a.campaignId}/log/verify`, { token: await fresh(admin) })
    before = {
      indicator: await indicator(a.campaignId),
      report: await report(a.campaignId),
      plan: p.counts,
      bIndicator: await indicator(b.campaignId),
      bPlan: (await plan(b.campaignId)).counts,
      length: verify.body.length,
    }
    expect(before.length).toBe(15)
    expect((await plan(a.campaignId)).counts).toEqual(p.counts)
  })

  it('should delete nothing before the retention ends, even after the campaign closed', async () => {
    h.clock.advance(30 * DAY + 36 * MONTH - 40 * DAY)
    expect((await plan(a.campaignId)).closed).toBe(true)
    const run = await runRetentionJob(h.deps)
    expect(run).toMatchObject({ ran: true, deleted: [] })
    expect((await plan(a.campaignId)).counts).toEqual(before.plan)
  })

  it('should delete once when two instances run the job together, keeping aggregates, report data, ledger and chain', async () => {
    h.clock.advance(45 * DAY)
    expect((await plan(a.campaignId)).due).toBe(true)
    const runs = await Promise.all([runRetentionJob(h.deps), runRetentionJob(second), runRetentionJob(second)])
    expect(runs.flatMap((r) => r.deleted).map((d) => d.campaignId)).toEqual([a.campaignId])
    const audited = await h.call('GET', '/api/v1/audit?action=retention.delete', { token: await fresh(admin) })
    expect(audited.body.entries).toHaveLength(1)
    expect(audited.body.entries[0]).toMatchObject({
      actorLabel: 'system:retention',
      campaignId: a.campaignId,
      after: { evidence: { fromSeq: 1, toSeq: 15 } },
    })

    const after = await plan(a.campaignId)
    expect(Object.values(after.counts).every((n) => n === 0)).toBe(true)
    expect(after.rawDeletedAt).not.toBeNull()
    // Every raw table is empty for A; B is untouched.
    expect((await plan(b.campaignId)).counts).toEqual(before.bPlan)
    expect(await indicator(b.campaignId)).toEqual(before.bIndicator)
    // The record stays: the same indicator object, the same report data (picks, comments count, sheets, ledger, chain).
    expect(await indicator(a.campaignId)).toEqual(before.indicator)
    expect(await report(a.campaignId)).toEqual(before.report)
    const ledger = await h.call('GET', `/api/v1/campaigns/${a.campaignId}/ledger`, { token: await fresh(admin) })
    expect(ledger.body.map((e: { text: string }) => e.text)).toEqual(['楼道灯不亮'])
    const sym = await h.db.db
      .selectFrom('symposiums')
      .select(['host', 'recorder', 'title'])
      .where('campaign_id', '=', a.campaignId)
      .execute()
    expect(sym).toEqual([{ host: '', recorder: '', title: '社区座谈会' }])

    const verify = await h.call('GET', `/api/v1/campaigns/${a.campaignId}/log/verify`, { token: await fresh(admin) })
    expect(verify.body).toMatchObject({
      ok: true,
      length: 15,
      firstBadSeq: null,
      signature: 'valid',
      retentionDeleted: [{ fromSeq: 1, toSeq: 15, deletedAt: after.rawDeletedAt }],
    })
    // A link altered after the deletion is still caught.
    await h.db.db
      .updateTable('evidence_log')
      .set({ content_hash: '0'.repeat(64) })
      .where('campaign_id', '=', a.campaignId)
      .where('seq', '=', 7)
      .execute()
    expect((await h.call('GET', `/api/v1/campaigns/${a.campaignId}/log/verify`, { token: await fresh(admin) })).body).toMatchObject({
      ok: false,
      firstBadSeq: 7,
    })

    // Nothing raw comes back: a late answer is refused, recomputation from raw rows says why it cannot.
    const late = await sync(h, [responseItem(h, a)], { deviceId: 'late-phone' })
    expect(late.body.results[0]).toMatchObject({ status: 'rejected', code: 'campaign_data_deleted' })
    expect((await h.call('GET', `/api/v1/campaigns/${a.campaignId}/indicator?recompute=1`, { token: await fresh(admin) })).body.code).toBe(
      'campaign_data_deleted',
    )
    const change = await h.call('PATCH', `/api/v1/campaigns/${a.campaignId}`, {
      token: await fresh(admin),
      body: { retentionMonths: 60, retentionReason: '延长' },
    })
    expect(change.status).toBe(409)
  })

  it('should let an admin delete a closed campaign now, after typing its title, and record it', async () => {
    // B is closed by now (T0 + 400 days < the clock), its retention still running.
    const p = await plan(b.campaignId)
    expect(p).toMatchObject({ closed: true, due: false })
    const url = `/api/v1/campaigns/${b.campaignId}/retention/delete`
    expect((await h.call('POST', url, { token: await fresh(b.evaluator), body: { confirm: 'x' } })).status).toBe(403)
    const wrong = await h.call('POST', url, { token: await fresh(admin), body: { confirm: '另一个活动' } })
    expect(wrong.body).toMatchObject({ code: 'validation_failed', details: [{ path: 'confirm' }] })
    expect((await plan(b.campaignId)).counts.responses).toBe(5)
    const detail = await h.call('GET', `/api/v1/campaigns/${b.campaignId}`, { token: await fresh(admin) })
    const done = await h.call('POST', url, { token: await fresh(admin), body: { confirm: detail.body.title } })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body).toMatchObject({ campaignId: b.campaignId, counts: { responses: 5, devices: 5 }, fromSeq: 1, toSeq: 5 })
    expect((await h.call('POST', url, { token: await fresh(admin), body: { confirm: detail.body.title } })).status).toBe(409)
    const audited = await h.call('GET', `/api/v1/audit?action=retention.delete&campaignId=${b.campaignId}`, { token: await fresh(admin) })
    expect(audited.body.entries[0]).toMatchObject({ actorId: admin.id, actorLabel: 'keeper' })
  })
})

describe.each(DIALECTS)('retention period and the privacy notice on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  beforeAll(async () => {
    h = await startApp(dialect)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('should generate the notice from the period, and ask why it changes once answers arrived', async () => {
    const s = await setupCampaign(h)
    const url = `/api/v1/campaigns/${s.campaignId}`
    const fresh = await h.call('GET', url, { token: s.evaluator.token })
    expect(fresh.body).toMatchObject({ retentionMonths: 36, rawDeletedAt: null })
    expect(fresh.body.privacyNotice.zh).toContain('评价结束后保存三年后删除')
    expect(fresh.body.privacyNotice.en).toContain('deleted three years after the evaluation')
    // Before any answer: changed freely (recorded all the same).
    const early = await h.call('PATCH', url, { token: s.evaluator.token, body: { retentionMonths: 18 } })
    expect(early.body.privacyNotice.zh).toContain('保存18个月后删除')
    expect(early.body.privacyNotice.en).toContain('deleted 18 months after')

    const sent = await sync(h, [responseItem(h, s)], { deviceId: 'notice-phone-1' })
    expect(sent.body.results?.[0].status, JSON.stringify(sent.body)).toBe('created')
    const refused = await h.call('PATCH', url, { token: s.evaluator.token, body: { retentionMonths: 60 } })
    expect(refused.body).toMatchObject({ code: 'validation_failed', details: [{ path: 'retentionReason' }] })
    const changed = await h.call('PATCH', url, {
      token: s.evaluator.token,
      body: { retentionMonths: 60, retentionReason: '审计要求保存五年' },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.privacyNotice.zh).toContain('评价结束后保存五年后删除')
    // The resident's page reads the same notice through its QR link.
    const links = await h.call('GET', `${url}/links`, { token: s.evaluator.token })
    const token = String(links.body[0].url).split('/s/')[1]
    expect((await h.call('GET', `/api/v1/links/${token}`)).body.campaign.privacyNotice.zh).toContain('保存五年后删除')

    const admin = await h.staff('admin', `adm-${randomUUID().slice(0, 6)}`)
    const log = await h.call('GET', `/api/v1/audit?action=campaign.retention&campaignId=${s.campaignId}`, { token: admin.token })
    expect(log.body.entries.map((e: { before: unknown; after: unknown }) => [e.before, e.after])).toEqual([
      [{ months: 18 }, { months: 60, reason: '审计要求保存五年' }],
      [{ months: 36 }, { months: 18 }],
    ])
  })
})
