import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import {
  type CampaignSetup,
  download,
  responseItem,
  rng,
  setupCampaign,
  sheetValues,
  sync,
  templateAnswers,
  uuidv7,
} from './server-harness.ts'

// C5 exports: the XLSX workbook and the CSV of responses, on both databases. What they show must be
// what the server holds (the indicator object, every response once, every review decision), and no
// typed text may reach a spreadsheet as a formula.

const HOSTILE = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1']

describe.each(DIALECTS)('exports on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  let ids: string[]
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 3 })
    const random = rng(11)
    const items = Array.from({ length: 12 }, (_, i) =>
      responseItem(h, s, {
        communityId: s.communityIds[i % 3],
        answers: { ...templateAnswers(random), ...(i < HOSTILE.length ? { q_suggestions: HOSTILE[i] } : {}) },
      }),
    )
    // One device per response, so nothing is flagged duplicate_device; the first one is speeding.
    const speeding = { ...items[0], startedAt: new Date(Date.parse(items[0]?.submittedAt ?? '') - 3000).toISOString() }
    for (const [i, item] of [speeding, ...items.slice(1)].entries()) {
      const r = await sync(h, [item], { deviceId: `export-device-${i}` })
      expect(r.body.results[0].status).toBe('created')
    }
    ids = items.map((i) => i.id)
    const review = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}/responses/${ids[0]}/review`, {
      token: s.evaluator.token,
      body: { action: 'exclude', reason: '=回访确认为误填' },
    })
    expect(review.status).toBe(200)
  })
  afterEach(async () => {
    await h.close()
  })

  it('should stream a workbook whose sheets carry the indicator, method, groups, every response and the review', async () => {
    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/export.xlsx`, s.evaluator.token)
    expect(file.status).toBe(200)
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(file.disposition).toMatch(/^attachment; filename=".+\.xlsx"; filename\*=UTF-8''.+\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '指标',
      '方法',
      '社区',
      '渠道',
      '分项',
      '入户走访',
      '调查员核查',
      '答卷',
      '复核记录',
      '座谈会',
      '整改台账',
    ])

    const ind = (await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })).body
    const byLabel = new Map(sheetValues(wb.getWorksheet('指标') as ExcelJS.Worksheet).map(([k, v]) => [k, v]))
    expect(byLabel.get('满意度')).toBe(ind.rate)
    expect(byLabel.get('95%置信区间下限')).toBe(ind.ci95[0])
    expect(byLabel.get('收回问卷')).toBe(ind.n.received)
    expect(byLabel.get('有效问卷')).toBe(ind.n.valid)
    expect(byLabel.get('剔除：评价人员剔除')).toBe(1)
    expect(byLabel.get('得分')).toBe(ind.score.value)
    expect(String(byLabel.get('报告段落'))).toContain(`共收回问卷${ind.n.received}份`)
    expect((wb.getWorksheet('指标') as ExcelJS.Worksheet).getRow(2).getCell(2).numFmt).toBe('0.00%')

    const method = new Map(sheetValues(wb.getWorksheet('方法') as ExcelJS.Worksheet).map(([k, v]) => [k, v]))
    expect(method.get('证据链校验')).toBe('完整：12 条记录，自接收后未被改动，链首签名有效')

    const responses = sheetValues(wb.getWorksheet('答卷') as ExcelJS.Worksheet)
    const header = responses[0] as string[]
    expect(responses).toHaveLength(1 + 12)
    expect(responses.slice(1).map((r) => r[0])).toEqual([...ids].sort())
    const suggestions = header.findIndex((c) => c.endsWith('（q_suggestions）'))
    const texts = responses.slice(1).map((r) => r[suggestions])
    // Typed text stays text: each hostile comment is there, prefixed so no spreadsheet runs it.
    for (const hostile of HOSTILE) expect(texts).toContain(`'${hostile}`)
    for (const row of responses)
      for (const v of row) expect(typeof v === 'object' && v !== null ? JSON.stringify(v) : 'plain').toBe('plain')
    const flagsCol = header.indexOf('标记')
    const exclusionCol = header.indexOf('剔除')
    const first = responses.find((r) => r[0] === ids[0]) ?? []
    expect(first[flagsCol]).toBe('答题过快')
    expect(first[exclusionCol]).toBe('评价人员剔除')

    const reviews = sheetValues(wb.getWorksheet('复核记录') as ExcelJS.Worksheet)
    expect(reviews).toHaveLength(2)
    expect(reviews[1]?.slice(0, 3)).toEqual([ids[0], '剔除', "'=回访确认为误填"])

    const communities = sheetValues(wb.getWorksheet('社区') as ExcelJS.Worksheet)
    expect(communities.slice(1).map((r) => r[3])).toEqual(ind.byCommunity.map((c: { received: number }) => c.received))
  })

  it('should carry the door-to-door fieldwork and the interviewer check as the indicator gives them', async () => {
    // A worker whose name an admin typed as a formula, 20 door answers and visits: 20 completed, 4 refused, 2 not at home.
    const created = await h.call('POST', '/api/v1/staff', {
      token: s.admin.token,
      body: { name: '=王敏', login: 'wang.min', role: 'worker', communityIds: [s.communityIds[0]], password: 'door2door!' },
    })
    const signedIn = await h.call('POST', '/api/v1/auth/login', { body: { login: 'wang.min', password: 'door2door!' } })
    const worker = { id: created.body.id as string, token: signedIn.body.token as string }
    const random = rng(3)
    const door = Array.from({ length: 20 }, () => responseItem(h, s, { channel: 'door' }, random))
    const key = (i: number) => i.toString(16).padStart(64, '0')
    const visit = (i: number, outcome: string, responseId: string | null = null) => ({
      kind: 'visit',
      id: uuidv7(),
      campaignId: s.campaignId,
      communityId: s.communityIds[0],
      householdKey: key(i),
      outcome,
      visitedAt: h.clock.now().toISOString(),
      responseId,
    })
    const visits = [
      ...door.map((r, i) => visit(i, 'completed', r.id)),
      ...[20, 21, 22, 23].map((i) => visit(i, 'refused')),
      ...[24, 25].map((i) => visit(i, 'not_home')),
    ]
    const r = await sync(h, [...door, ...visits], { token: worker.token, deviceId: 'export-worker-phone' })
    expect(r.body.results.every((x: { status: string }) => x.status === 'created')).toBe(true)

    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/export.xlsx`, s.evaluator.token)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer)
    const ind = (await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })).body
    // 20 / (20 + 4 + 2) = 76.92 %; contact (20 + 4) / 26 = 92.31 %.
    expect(ind.fieldwork).toMatchObject({ households: 26, completed: 20, refused: 4, notHome: 2, revisit: 0 })
    const fieldwork = sheetValues(wb.getWorksheet('入户走访') as ExcelJS.Worksheet)
    expect(fieldwork[0]).toEqual(['社区', '走访户数', '完成', '不在家', '拒访', '需回访', '应答率', '接触率', '应答率低于50%'])
    // (Empty cells read back as nothing.)
    expect(fieldwork.at(-1)).toEqual(['合计', 26, 20, 2, 4, 0, 20 / 26, 24 / 26])
    expect(fieldwork.slice(1, -1).map((row) => row[1])).toEqual(
      ind.byCommunity.map((c: { fieldwork: { households: number } }) => c.fieldwork.households),
    )
    const byLabel = new Map(sheetValues(wb.getWorksheet('指标') as ExcelJS.Worksheet).map(([k, v]) => [k, v]))
    expect(byLabel.get('入户应答率')).toBe(ind.fieldwork.responseRate)
    expect(String(byLabel.get('报告段落'))).toContain('入户访问共走访26户')

    // One worker, 20 valid door answers, nobody to compare with: listed, figures not computed.
    const check = sheetValues(wb.getWorksheet('调查员核查') as ExcelJS.Worksheet)
    expect(check).toHaveLength(2)
    expect(Array.from(check[1] ?? [], (v) => v ?? null)).toEqual(["'=王敏（wang.min）", worker.id, 20, 0, null, '未计算', null, '未计算'])
  })

  it('should stream every response as CSV with a BOM, RFC 4180 quoting and formulas neutralised', async () => {
    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/export.csv`, s.evaluator.token)
    expect(file.status).toBe(200)
    expect(file.type).toBe('text/csv; charset=utf-8')
    const text = file.bytes.toString('utf8')
    expect(text.startsWith('\uFEFF编号,社区,渠道,')).toBe(true)
    const lines = text.slice(1).split('\r\n').filter(Boolean)
    expect(lines).toHaveLength(1 + 12)
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`)
    for (const hostile of HOSTILE.slice(1)) expect(text).toContain(`'${hostile}`)
    // No field starts with a formula character once unquoted.
    for (const line of lines) for (const field of line.split(',')) expect(field.replace(/^"/, '')).not.toMatch(/^[=+@\t]/)
  })

  it('should still export answers to a question the current version no longer has', async () => {
    const draft = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/questionnaire`, { token: s.evaluator.token })
    const without = { ...draft.body, questions: draft.body.questions.filter((q: { id: string }) => q.id !== 'q_suggestions') }
    expect(
      (await h.call('PUT', `/api/v1/campaigns/${s.campaignId}/questionnaire`, { token: s.evaluator.token, body: without })).status,
    ).toBe(200)
    expect((await h.call('POST', `/api/v1/campaigns/${s.campaignId}/questionnaire/publish`, { token: s.evaluator.token })).status).toBe(201)
    const csv = (await download(h, `/api/v1/campaigns/${s.campaignId}/export.csv`, s.evaluator.token)).bytes.toString('utf8')
    expect(csv.split('\r\n')[0]).toContain('（q_suggestions）')
    expect(csv).toContain("'@SUM(A1:A9)")
  })

  it('should answer an unknown campaign with a 404 problem, not a broken file', async () => {
    const res = await h.call('GET', '/api/v1/campaigns/00000000-0000-7000-8000-000000000000/export.xlsx', { token: s.evaluator.token })
    expect(res.status).toBe(404)
    expect(res.body.code).toBe('not_found')
  })
})
