import { type Indicator, SyncResponse } from '@minyi/shared/schemas'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import {
  bothIndicators,
  type CampaignSetup,
  download,
  RATED_IDS,
  responseItem,
  rng,
  setupCampaign,
  sheetValues,
  sync,
  templateAnswers,
} from './server-harness.ts'

// An answer to a question its show-if hides (docs/SERVER.md "Show-if"): accepted and kept as
// received, but it counts in no figure. Two campaigns get the same questionnaire with show-if chains
// and twin responses at the same instants: campaign A's carry extra answers to hidden questions,
// campaign B's only what was shown. Every figure the server gives (kept and recomputed indicator,
// per-item rates, flags, breakdown, comments, the export's sheets and CSV) must be the same for both.

type Answers = Record<string, number | string | string[]>

/**
 * The template with show-if chains (each on an earlier choice, as the authoring rule wants):
 * q_uses_elderly "yes" shows q_elderly and q_elderly_kind; q_elderly_kind's "daycare" shows
 * q_elderly_why (hidden transitively after a "no"); q_identity resident/party member shows q_years.
 */
function withShowIf(draft: { questions: { id: string }[] }) {
  const questions: unknown[] = []
  for (const q of draft.questions) {
    if (q.id === 'q_elderly') {
      questions.push({
        id: 'q_uses_elderly',
        type: 'single',
        required: true,
        title: { zh: '您或家人是否使用过社区养老服务？', en: 'Have you or your family used elderly care?' },
        options: [
          { value: 'yes', label: { zh: '是', en: 'Yes' } },
          { value: 'no', label: { zh: '否', en: 'No' } },
        ],
      })
      questions.push({ ...q, showIf: { questionId: 'q_uses_elderly', values: ['yes'] } })
      questions.push({
        id: 'q_elderly_kind',
        type: 'multiple',
        title: { zh: '用过哪些养老服务？', en: 'Which elderly care services?' },
        options: [
          { value: 'meals', label: { zh: '助餐', en: 'Meals' } },
          { value: 'daycare', label: { zh: '日间照料', en: 'Day care' } },
        ],
        showIf: { questionId: 'q_uses_elderly', values: ['yes'] },
      })
      questions.push({
        id: 'q_elderly_why',
        type: 'longtext',
        required: true,
        title: { zh: '日间照料哪里需要改进？', en: 'What should day care do better?' },
        showIf: { questionId: 'q_elderly_kind', values: ['daycare'] },
      })
    } else if (q.id === 'q_years') questions.push({ ...q, showIf: { questionId: 'q_identity', values: ['resident', 'party_member'] } })
    else questions.push(q)
  }
  return { ...draft, questions }
}

/**
 * Twin answer sets: `shown` is what a resident who saw only the shown questions sends; `sent` adds
 * answers to hidden questions (left behind in a branch, or sent by a careless client).
 */
function twins(i: number, random: () => number): { sent: Answers; shown: Answers } {
  const base: Answers = templateAnswers(random)
  const hidden: Answers = {}
  switch (i % 4) {
    case 0: // "no" hides q_elderly and q_elderly_kind, and q_elderly_why behind them; q_years hidden (not a resident)
      Object.assign(base, { q_uses_elderly: 'no', q_identity: 'unit' })
      delete base.q_elderly
      Object.assign(hidden, { q_elderly: 1, q_elderly_kind: ['daycare'], q_elderly_why: `HIDDEN 不该计入 ${i}`, q_years: '10p' })
      break
    case 1: // all shown: day care opens the why
      Object.assign(base, {
        q_uses_elderly: 'yes',
        q_elderly: 2,
        q_elderly_kind: ['meals', 'daycare'],
        q_elderly_why: `电梯坏了没人修 ${i}`,
        q_identity: 'resident',
        q_years: '1_5',
      })
      break
    case 2: // meals only keeps the why hidden
      Object.assign(base, { q_uses_elderly: 'yes', q_elderly: 5, q_elderly_kind: ['meals'], q_identity: 'party_member', q_years: '5_10' })
      Object.assign(hidden, { q_elderly_why: `HIDDEN 不问原因 ${i}` })
      break
    default: {
      // Five equal shown ratings (no straightlining at 6) plus an equal hidden one; q_identity unanswered hides q_years.
      for (const id of RATED_IDS) base[id] = 'na'
      for (const id of ['q_training', 'q_visits', 'q_culture', 'q_employment', 'q_overall']) base[id] = 3
      delete base.q_elderly
      base.q_uses_elderly = 'no'
      Object.assign(hidden, { q_elderly: 3, q_elderly_kind: ['meals'], q_years: 'u1' })
    }
  }
  return { shown: base, sent: { ...base, ...hidden } }
}

describe.each(DIALECTS)('answers to hidden questions on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let a: CampaignSetup
  let b: CampaignSetup
  /** Campaign A's response id → its twin in campaign B. */
  const twinOf = new Map<string, string>()
  const sentById = new Map<string, Answers>()
  const itemsById = new Map<string, ReturnType<typeof responseItem>>()

  async function publishShowIf(s: CampaignSetup): Promise<CampaignSetup> {
    const path = `/api/v1/campaigns/${s.campaignId}/questionnaire`
    const draft = await h.call('GET', path, { token: s.evaluator.token })
    const put = await h.call('PUT', path, { token: s.evaluator.token, body: withShowIf(draft.body) })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const published = await h.call('POST', `${path}/publish`, { token: s.evaluator.token })
    expect(published.status).toBe(201)
    return { ...s, version: published.body.version }
  }

  // One pair of campaigns for the suite (setting it up is most of its time). Tests that change
  // campaign A in a way B does not mirror (a conflict, an extra response) come last.
  beforeAll(async () => {
    h = await startApp(dialect)
    a = await publishShowIf(await setupCampaign(h, { communities: 2 }))
    b = await publishShowIf(await setupCampaign(h, { communities: 2 }))
    h.clock.advance(60_000)
    twinOf.clear()
    sentById.clear()
    itemsById.clear()
    const random = rng(8)
    for (let i = 0; i < 16; i++) {
      const { sent, shown } = twins(i, random)
      const community = i % 2
      const itemA = responseItem(h, a, { communityId: a.communityIds[community], answers: sent })
      const itemB = responseItem(h, b, { communityId: b.communityIds[community], answers: shown })
      // One device per twin pair, so duplicate_device never fires and flags depend on the answers alone.
      for (const item of [itemA, itemB]) {
        const r = await sync(h, [item], { deviceId: `showif-device-${i}` })
        expect(r.status).toBe(200)
        expect(SyncResponse.parse(r.body).results[0], JSON.stringify(r.body)).toMatchObject({ status: 'created' })
      }
      twinOf.set(itemA.id, itemB.id)
      sentById.set(itemA.id, sent)
      itemsById.set(itemA.id, itemA)
    }
  })
  afterAll(async () => {
    await h?.close()
  })

  const get = (s: CampaignSetup, path: string) => h.call('GET', `/api/v1/campaigns/${s.campaignId}${path}`, { token: s.evaluator.token })

  it('should keep answers to hidden questions as received, in the content hash', async () => {
    const [id, sent] = [...sentById].find(([, x]) => typeof x.q_elderly_why === 'string' && x.q_elderly_why.startsWith('HIDDEN')) ?? []
    const row = await h.db.db
      .selectFrom('responses')
      .select('answers_json')
      .where('id', '=', id ?? '')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.answers_json)).toEqual(sent)
    expect((await get(a, '/log/verify')).body).toMatchObject({ ok: true, length: 16 })
    expect((await sync(h, [itemsById.get(id ?? '')])).body.results[0].status).toBe('duplicate')
  })

  it('should give the same indicator, kept and recomputed, per item and per community, as without those answers', async () => {
    const ia = await bothIndicators(h, a)
    const ib = await bothIndicators(h, b)
    expect(ia.kept).toEqual(ia.full)
    expect(ib.kept).toEqual(ib.full)
    // Community ids differ between the two campaigns: compare by position (and each has its own evidence chain).
    const sameCommunities = (ind: Indicator, s: CampaignSetup) => ({
      ...ind,
      evidence: ind.evidence?.seq,
      byCommunity: ind.byCommunity.map((c) => ({ ...c, communityId: s.communityIds.indexOf(c.communityId) })),
      // Each campaign's communities sit under their own street: compare streets by their communities' positions.
      byStreet: ind.byStreet.map((x) => ({
        ...x,
        streetId: x.streetId === null,
        communityIds: x.communityIds.map((id) => s.communityIds.indexOf(id)),
      })),
      postStratified: { ...ind.postStratified, coverageGaps: ind.postStratified.coverageGaps.map((id) => s.communityIds.indexOf(id)) },
    })
    expect(sameCommunities(ia.kept, a)).toEqual(sameCommunities(ib.kept, b))
    // The hidden q_elderly answers (1 and 3) are in no per-item rate: only the shown 2s and 5s are.
    const elderly = ia.kept.byItem.find((x: { questionId: string }) => x.questionId === 'q_elderly')
    const distribution = Object.fromEntries(elderly.distribution)
    expect(distribution).toMatchObject({ 4: 0, 3: 0, 1: 0 })
    expect(distribution[2] + distribution[5]).toBe(elderly.n)
    expect(elderly.n).toBeGreaterThan(4)
  })

  it('should judge flags on shown answers only', async () => {
    const flags = async (id: string) =>
      (await h.db.db.selectFrom('responses').select('flags').where('id', '=', id).executeTakeFirstOrThrow()).flags
    for (const [ida, idb] of twinOf) expect(await flags(ida)).toBe(await flags(idb))
    // Six equal scores with the hidden one, five without: not straightlining.
    const five = [...sentById].filter(([, x]) => x.q_elderly === 3).map(([id]) => id)
    expect(five).toHaveLength(4)
    for (const id of five) expect(await flags(id)).not.toContain('straightlining')
  })

  it('should leave hidden answers out of breakdowns, comments and the review list, also after a review', async () => {
    expect((await get(a, '/breakdown/q_years')).body).toEqual((await get(b, '/breakdown/q_years')).body)
    const texts = async (s: CampaignSetup) =>
      ((await get(s, '/comments?limit=200')).body.comments as { text: string }[]).map((c) => c.text).sort()
    expect(await texts(a)).toEqual(await texts(b))
    expect((await texts(a)).some((t) => t.includes('HIDDEN'))).toBe(false)

    // An evaluator excludes a response with hidden answers (and its twin): its delta comes out exactly.
    const [ida, idb] = [...twinOf].find(([id]) => sentById.get(id)?.q_elderly === 1) ?? ['', '']
    for (const [s, id] of [
      [a, ida],
      [b, idb],
    ] as const) {
      const r = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}/responses/${id}/review`, {
        token: s.evaluator.token,
        body: { action: 'exclude', reason: '核实为代填' },
      })
      expect(r.status).toBe(200)
    }
    const ia = await bothIndicators(h, a)
    expect(ia.kept).toEqual(ia.full)
    expect(ia.kept.rate).toEqual((await bothIndicators(h, b)).kept.rate)
    const listed = (await get(a, '/responses')).body as { id: string; answers: Answers }[]
    const excluded = listed.find((r) => r.id === ida)
    expect(excluded?.answers).toBeDefined()
    expect(Object.keys(excluded?.answers ?? {})).not.toContain('q_elderly')
    expect(Object.keys(excluded?.answers ?? {})).not.toContain('q_years')
  })

  it('should export the same figures and leave hidden answers out of the workbook and the CSV', async () => {
    const workbook = async (s: CampaignSetup) => {
      const file = await download(h, `/api/v1/campaigns/${s.campaignId}/export.xlsx`, s.evaluator.token)
      expect(file.status).toBe(200)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(file.bytes as unknown as ArrayBuffer)
      return wb
    }
    const [wa, wb] = [await workbook(a), await workbook(b)]
    // The report paragraph ends with each campaign's own signed chain head: compare what comes before it.
    const withoutHead = (rows: unknown[][]) =>
      rows.map((r) => r.map((v) => (typeof v === 'string' ? v.replace(/以上数据对应的答卷证据链.*$/, '') : v)))
    for (const sheet of ['指标', '渠道', '分项'])
      expect(withoutHead(sheetValues(wa.getWorksheet(sheet)))).toEqual(withoutHead(sheetValues(wb.getWorksheet(sheet))))
    // 社区: the same figures per community (names match; codes differ between the two campaigns).
    const figures = (rows: unknown[][]) => rows.map((r) => [r[0], ...r.slice(3)])
    expect(figures(sheetValues(wa.getWorksheet('社区')))).toEqual(figures(sheetValues(wb.getWorksheet('社区'))))

    const responses = (w: ExcelJS.Workbook) => new Map(sheetValues(w.getWorksheet('答卷')).map((r) => [String(r[0]), r]))
    const [ra, rb] = [responses(wa), responses(wb)]
    const header = ra.get('编号') as string[]
    expect(header).toEqual(rb.get('编号'))
    expect(ra.size).toBe(17)
    for (const [ida, idb] of twinOf) expect(ra.get(ida)?.slice(1, -1)).toEqual(rb.get(idb)?.slice(1, -1))
    expect(JSON.stringify([...ra.values()])).not.toContain('HIDDEN')

    const csv = (await download(h, `/api/v1/campaigns/${a.campaignId}/export.csv`, a.evaluator.token)).bytes.toString('utf8')
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(17)
    expect(csv).not.toContain('HIDDEN')
  })

  it('should require a shown required question and only then, transitively', async () => {
    const base = twins(1, rng(1)).shown
    const send = async (answers: Answers) =>
      (await sync(h, [responseItem(h, a, { answers })], { deviceId: 'showif-required' })).body.results[0]
    // "yes" shows q_elderly, which is required.
    const { q_elderly: _e, q_elderly_why: _w, ...noElderly } = base
    expect(await send(noElderly)).toMatchObject({ status: 'rejected', code: 'missing_required' })
    // Day care shows the required why.
    const { q_elderly_why: _w2, ...noWhy } = base
    expect(await send(noWhy)).toMatchObject({ status: 'rejected', code: 'missing_required' })
    // "no" hides q_elderly and q_elderly_kind; the day care left behind in it does not show the why.
    expect(await send({ ...noWhy, q_uses_elderly: 'no' })).toMatchObject({ status: 'created' })
  })

  it('should answer conflict when only a hidden answer differs under a stored id: the content is what was received', async () => {
    const [id, sent] = [...sentById].find(([, x]) => x.q_years === '10p') ?? []
    const replay = await sync(h, [{ ...itemsById.get(id ?? ''), answers: { ...sent, q_elderly_why: 'HIDDEN 改过' } }])
    expect(replay.body.results[0].status).toBe('conflict')
  })
})
