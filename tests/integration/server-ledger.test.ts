import { randomUUID } from 'node:crypto'
import { LedgerEntry, LedgerSummary, PublicRemarks } from '@minyi/shared/schemas'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, download, responseItem, setupCampaign, sheetValues, sync, uuidv7 } from './server-harness.ts'

// C4's 整改台账 through sync (kinds `symposium`, `remark`, `follow_up`), the checks of issue 10 point 6,
// the public page, and the summary the report and exports use. On SQLite and PostgreSQL.

describe.each(DIALECTS)('symposium ledger on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  let street: string
  let worker: { id: string; token: string }
  // Ids in the order things were recorded (UUIDv7 of increasing milliseconds), as a device makes them.
  let ms = Date.now()
  const nextId = () => uuidv7(ms++)
  const symposium = (over: Record<string, unknown> = {}) => ({
    kind: 'symposium',
    id: nextId(),
    campaignId: s.campaignId,
    title: '社区服务群众座谈会',
    date: '2026-03-01',
    place: '社区党群服务中心',
    communityId: s.communityIds[0],
    streetId: null,
    host: '王书记',
    recorder: '李干事',
    attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
    remarks: [
      {
        id: nextId(),
        speakerCategory: 'resident',
        kind: 'problem',
        text: '楼道灯不亮',
        followUp: { owner: '物业', dueDate: '2026-03-10', status: 'todo' },
      },
      { id: nextId(), speakerCategory: 'party_member', kind: 'praise', text: '活动办得好', followUp: null },
    ],
    ...over,
  })
  const remark = (symposiumId: string, over: Record<string, unknown> = {}) => ({
    kind: 'remark',
    id: nextId(),
    campaignId: s.campaignId,
    symposiumId,
    remark: {
      speakerCategory: 'resident',
      kind: 'suggestion',
      text: '增加老年食堂',
      followUp: { owner: '社区', dueDate: null, status: 'todo' },
    },
    ...over,
  })
  const change = (remarkId: string, base: string | null, status: string, note: string, over: Record<string, unknown> = {}) => ({
    kind: 'follow_up',
    id: nextId(),
    campaignId: s.campaignId,
    remarkId,
    base,
    followUp: { owner: '物业', dueDate: '2026-03-10', status },
    note,
    changedAt: h.clock.now().toISOString(),
    ...over,
  })
  const ledger = async () => {
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/ledger`, { token: s.evaluator.token })
    expect(r.status).toBe(200)
    return LedgerEntry.array().parse(r.body)
  }
  const statuses = (r: { body: { results: { status: string; code?: string }[] } }) => r.body.results.map((x) => x.code ?? x.status)

  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
    const row = await h.db.db
      .selectFrom('org_units')
      .select('parent_id')
      .where('id', '=', s.communityIds[0] ?? '')
      .executeTakeFirstOrThrow()
    street = row.parent_id ?? ''
    worker = await h.staff('worker', 'recorder', [s.communityIds[0] ?? ''])
  })
  afterEach(async () => {
    await h.close()
  })

  it('should keep remarks and follow-up changes sent as their own items, once each, with who, when, from → to and the note', async () => {
    const sym = symposium()
    const first = sym.remarks[0] as { id: string }
    const added = remark(sym.id)
    const c1 = change(first.id, null, 'in_progress', '已联系物业')
    // One batch from the recorder's outbox: the symposium, a later remark, a change, in that order.
    const batch = [sym, added, c1]
    expect(statuses(await sync(h, batch, { token: worker.token }))).toEqual(['created', 'created', 'created'])
    // Replayed (a lost acknowledgement): every item a duplicate, nothing stored twice.
    expect(statuses(await sync(h, batch, { token: worker.token }))).toEqual(['duplicate', 'duplicate', 'duplicate'])
    h.clock.advance(60_000)
    const c2 = change(first.id, c1.id, 'done', '灯已修好')
    expect(statuses(await sync(h, [c2], { token: s.evaluator.token }))).toEqual(['created'])

    const entries = await ledger()
    expect(entries.map((e) => e.text)).toEqual(['楼道灯不亮', '活动办得好', '增加老年食堂'])
    const e = entries[0] as LedgerEntry
    expect(e.followUp).toEqual({ owner: '物业', dueDate: '2026-03-10', status: 'done' })
    expect(e.head).toBe(c2.id)
    expect(e.conflict).toBe(false)
    expect(e.history.map((x) => [x.from, x.to, x.note, x.by])).toEqual([
      [null, 'todo', '', 'recorder'],
      ['todo', 'in_progress', '已联系物业', 'recorder'],
      ['in_progress', 'done', '灯已修好', expect.stringMatching(/^eva/)],
    ])
    expect(entries[1]?.followUp).toBeNull()
    const list = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/symposiums`, { token: s.evaluator.token })
    expect(list.body[0].remarks).toBe(3)
    const rows = await h.db.db.selectFrom('follow_up_changes').select('id').execute()
    expect(rows).toHaveLength(4)
  })

  it('should keep two recorders’ edits of one follow-up made without seeing each other and show them as a conflict', async () => {
    const sym = symposium()
    const first = (sym.remarks[0] as { id: string }).id
    expect(statuses(await sync(h, [sym], { token: worker.token }))).toEqual(['created'])
    const a = change(first, first, 'in_progress', '甲：已派人')
    h.clock.advance(1000)
    const b = change(first, first, 'done', '乙：已办结', { followUp: { owner: '街道', dueDate: null, status: 'done' } })
    expect(statuses(await sync(h, [b], { token: s.evaluator.token, deviceId: 'console-b' }))).toEqual(['created'])
    expect(statuses(await sync(h, [a], { token: worker.token, deviceId: 'phone-aaaa' }))).toEqual(['created'])
    // The same id with other content is a conflict, kept aside, never applied.
    const tampered = { ...a, note: '改过的' }
    expect(statuses(await sync(h, [tampered], { token: worker.token }))).toEqual(['conflict'])
    const e = (await ledger())[0] as LedgerEntry
    expect(e.conflict).toBe(true)
    expect(e.history.filter((x) => x.concurrent).map((x) => x.note)).toEqual(['甲：已派人', '乙：已办结'])
    // The later of the two (by the device's time) is current, whatever order they arrived in.
    expect(e.followUp).toEqual({ owner: '街道', dueDate: null, status: 'done' })
    const conflicts = await h.db.db.selectFrom('conflicts').select('response_id').execute()
    expect(conflicts.map((c) => c.response_id)).toEqual([a.id])
  })

  it('should refuse symposium data that does not fit the campaign (issue 10 point 6)', async () => {
    const sym = symposium()
    expect(statuses(await sync(h, [sym], { token: s.evaluator.token }))).toEqual(['created'])
    const sheet = (over: Record<string, unknown>) => responseItem(h, s, { channel: 'symposium', symposiumId: sym.id, ...over })
    const results = await sync(h, [
      // A sheet of C1's symposium sent for C2: not counted in C2.
      sheet({ communityId: s.communityIds[1] }),
      // A QR answer carrying a symposium id would raise that symposium's projector count.
      responseItem(h, s, { channel: 'qr', symposiumId: sym.id }),
      sheet({ communityId: s.communityIds[0] }),
    ])
    expect(statuses(results)).toEqual(['symposium_mismatch', 'symposium_mismatch', 'created'])
    const count = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/symposiums/${sym.id}/count`, { token: s.evaluator.token })
    expect(count.body.sheets).toBe(1)

    const bad = await sync(
      h,
      [
        symposium({ date: '2026-99-99' }),
        symposium({ date: '2026-02-30' }),
        symposium({ communityId: null, streetId: randomUUID() }),
        symposium({ communityId: randomUUID() }),
        symposium({ communityId: s.communityIds[0], streetId: randomUUID() }),
        symposium({
          remarks: [
            {
              id: randomUUID(),
              speakerCategory: 'resident',
              kind: 'problem',
              text: 'x',
              followUp: { owner: 'a', dueDate: '2026-13-01', status: 'todo' },
            },
          ],
        }),
        remark(randomUUID()),
        change(randomUUID(), null, 'done', 'x'),
        symposium({ communityId: null, streetId: street }),
      ],
      { token: s.evaluator.token },
    )
    expect(statuses(bad)).toEqual([
      'invalid_date',
      'invalid_date',
      'unknown_street',
      'unknown_community',
      'unknown_street',
      'invalid_date',
      'unknown_symposium',
      'unknown_remark',
      'created',
    ])
    // A street-level symposium's sheets count in a community of that street.
    const streetSym = (bad.body.results[8] as { id: string }).id
    expect(statuses(await sync(h, [sheet({ symposiumId: streetSym, communityId: s.communityIds[1] })]))).toEqual(['created'])

    // Staff only; a worker only where assigned.
    const outsider = await h.staff('worker', 'outsider', [s.communityIds[1] ?? ''])
    const own = symposium()
    expect(statuses(await sync(h, [symposium()], {}))).toEqual(['channel_forbidden'])
    expect(statuses(await sync(h, [own], { token: outsider.token }))).toEqual(['community_not_assigned'])
    expect(
      statuses(
        await sync(h, [remark(sym.id), change((sym.remarks[0] as { id: string }).id, null, 'done', 'x')], { token: outsider.token }),
      ),
    ).toEqual(['community_not_assigned', 'community_not_assigned'])
    expect(statuses(await sync(h, [remark(sym.id)], {}))).toEqual(['channel_forbidden'])
    // Nothing of the refused items was stored.
    expect(await h.db.db.selectFrom('symposiums').select('id').execute()).toHaveLength(2)
  })

  it('should show on the community’s public page only what staff marked public, with its status, never who said it', async () => {
    const sym = symposium()
    const [problem, praise] = sym.remarks as { id: string }[]
    expect(statuses(await sync(h, [sym], { token: worker.token }))).toEqual(['created'])
    const links = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/links`, { token: s.evaluator.token })
    const url = (links.body as { communityId: string; url: string }[]).find((l) => l.communityId === s.communityIds[0])?.url ?? ''
    const token = url.split('/').pop() ?? ''
    const page = async () => PublicRemarks.parse((await h.call('GET', `/api/v1/links/${token}/remarks`)).body)
    expect((await page()).remarks).toEqual([])

    const put = (id: string, pub: boolean, as = s.evaluator.token) =>
      h.call('PUT', `/api/v1/campaigns/${s.campaignId}/remarks/${id}/public`, { token: as, body: { public: pub } })
    expect((await put(problem?.id ?? '', true)).status).toBe(200)
    expect((await put(praise?.id ?? '', true)).status).toBe(200)
    expect((await put(praise?.id ?? '', false)).status).toBe(200)
    expect((await put(randomUUID(), true)).status).toBe(404)
    expect((await put(problem?.id ?? '', true, worker.token)).status).toBe(403)
    h.clock.advance(5000)
    const done = change(problem?.id ?? '', null, 'done', '已修好')
    expect(statuses(await sync(h, [done], { token: s.evaluator.token }))).toEqual(['created'])

    const shown = await page()
    expect(shown.communityName).toBe('社区0')
    expect(shown.remarks).toEqual([{ id: problem?.id, kind: 'problem', text: '楼道灯不亮', status: 'done', changedAt: done.changedAt }])
    const raw = JSON.stringify((await h.call('GET', `/api/v1/links/${token}/remarks`)).body)
    for (const secret of ['resident', '物业', 'speaker', 'owner', '李干事']) expect(raw).not.toContain(secret)
    // The other community's page does not show it.
    const other = (links.body as { communityId: string; url: string }[]).find((l) => l.communityId === s.communityIds[1])?.url ?? ''
    expect(PublicRemarks.parse((await h.call('GET', `/api/v1/links/${other.split('/').pop()}/remarks`)).body).remarks).toEqual([])
    expect((await h.call('GET', '/api/v1/links/nope/remarks')).status).toBe(404)
  })

  it('should sum the ledger by kind of remark for the report and exports', async () => {
    const sym = symposium()
    const first = (sym.remarks[0] as { id: string }).id
    const street = symposium({ attendees: { party_member: 1, resident: 2, unit: 0, cadre: 0, other: 3 }, remarks: [] })
    const late = remark(street.id, {
      remark: {
        speakerCategory: 'unit',
        kind: 'problem',
        text: '停车难',
        followUp: { owner: '街道', dueDate: '2026-03-01', status: 'in_progress' },
      },
    })
    expect(statuses(await sync(h, [sym, street, late, change(first, null, 'done', '办结')], { token: s.admin.token }))).toEqual([
      'created',
      'created',
      'created',
      'created',
    ])
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/ledger/summary`, { token: s.evaluator.token })
    expect(r.status).toBe(200)
    const zero = { raised: 0, followedUp: 0, done: 0, open: 0, overdue: 0 }
    // The harness clock is 2026-03-02 (Shanghai): the 2026-03-01 due date has passed.
    expect(LedgerSummary.parse(r.body)).toEqual({
      symposiums: 2,
      attendees: 26,
      remarks: 3,
      byKind: { problem: { raised: 2, followedUp: 2, done: 1, open: 1, overdue: 1 }, suggestion: zero, praise: { ...zero, raised: 1 } },
    })
    expect((await ledger()).filter((e) => e.overdue).map((e) => e.text)).toEqual(['停车难'])
  })

  it('should export the ledger as its own workbook sheet and CSV, typed text neutralised', async () => {
    const sym = symposium({
      remarks: [
        {
          id: nextId(),
          speakerCategory: 'resident',
          kind: 'problem',
          text: '=HYPERLINK("http://x")',
          followUp: { owner: '+物业', dueDate: '2026-03-01', status: 'todo' },
        },
      ],
    })
    const first = (sym.remarks[0] as { id: string }).id
    expect(
      statuses(
        await sync(
          h,
          [
            sym,
            change(first, null, 'in_progress', '@已派人', { followUp: { owner: '+物业', dueDate: '2026-03-01', status: 'in_progress' } }),
          ],
          { token: worker.token },
        ),
      ),
    ).toEqual(['created', 'created'])
    const csv = await download(h, `/api/v1/campaigns/${s.campaignId}/ledger.csv`, s.evaluator.token)
    expect(csv.status).toBe(200)
    expect(csv.type).toContain('text/csv')
    const lines = csv.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
    expect(lines[0]).toBe('座谈会,日期,社区,发言人类别,类别,意见,整改状态,责任人,办结期限,逾期,公示,最后更新,修改记录')
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(lines[1]).toContain("'+物业")
    expect(lines[1]).toContain('居民代表,问题')
    expect(lines[1]).toContain('整改中')
    expect(lines[1]).toContain('待办→整改中：@已派人')
    const xlsx = await download(h, `/api/v1/campaigns/${s.campaignId}/export.xlsx`, s.evaluator.token)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer)
    const rows = sheetValues(wb.getWorksheet('整改台账'))
    expect(rows).toHaveLength(2)
    expect(rows[1]?.slice(0, 11)).toEqual([
      '社区服务群众座谈会',
      '2026-03-01',
      '社区0',
      '居民代表',
      '问题',
      `'=HYPERLINK("http://x")`,
      '整改中',
      "'+物业",
      '2026-03-01',
      '是',
      undefined,
    ])
    expect(String(sheetValues(wb.getWorksheet('座谈会'))[1]?.[6])).toContain('【问题】')
  })
})
