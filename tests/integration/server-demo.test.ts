import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { reportParagraph } from '@minyi/shared/method'
import { CampaignDetail, CampaignSummary, Indicator, LedgerEntry, PublicRemarks, SymposiumSummary } from '@minyi/shared/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../server/src/services/demo/index.ts'
import { demoSample, type SampleInput } from '../../server/src/services/demo/sample.ts'
import { DIALECTS, type Harness, startApp, T0 } from './auth-harness.ts'

// The demo `pnpm start` seeds on an empty database (server/src/services/demo/): this year's campaign
// open and empty, listed first, and the previous year's closed campaign filled with a seeded synthetic
// sample sent through the sync service. Run in-process on both databases with the suites' fixed clock
// (T0, March 2026: the previous year is 2025).

describe.each(DIALECTS)('the demo seed on $dialect', ({ dialect, skip }) => {
  let h: Harness
  let admin: string
  let current: CampaignDetail
  let previous: CampaignDetail
  let indicator: Indicator

  beforeAll(async () => {
    if (skip) return
    h = await startApp(dialect)
    expect(await seedDemo(h.deps)).not.toBeNull()
    admin = (await h.staff('admin', 'demo-admin')).token
    const list = CampaignSummary.array().parse((await h.call('GET', '/api/v1/campaigns', { token: admin })).body)
    expect(list).toHaveLength(2)
    const detail = async (id: string) => CampaignDetail.parse((await h.call('GET', `/api/v1/campaigns/${id}`, { token: admin })).body)
    current = await detail(list[0]?.id ?? '')
    previous = await detail(list[1]?.id ?? '')
    indicator = Indicator.parse((await h.call('GET', `/api/v1/campaigns/${previous.id}/indicator`, { token: admin })).body)
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })

  it.skipIf(skip)('should list this year open and empty first, and the previous year closed second', async () => {
    expect(current).toMatchObject({ title: '2026年度城市社区党组织服务群众专项经费重点评价', status: 'open' })
    expect(previous).toMatchObject({
      title: '2025年度城市社区党组织服务群众专项经费重点评价',
      status: 'closed',
      opensAt: '2024-12-31T16:00:00.000Z',
      closesAt: '2025-12-31T15:59:59.999Z',
    })
    expect(previous.communities.map((c) => c.id).sort()).toEqual(current.communities.map((c) => c.id).sort())
    expect(previous.communities.every((c) => (c.population ?? 0) > 0)).toBe(true)
    const empty = Indicator.parse((await h.call('GET', `/api/v1/campaigns/${current.id}/indicator`, { token: admin })).body)
    expect(empty.n.received).toBe(0)
  })

  it.skipIf(skip)('should keep aggregates equal to a full recomputation and an evidence chain that verifies', async () => {
    const full = await h.call('GET', `/api/v1/campaigns/${previous.id}/indicator?recompute=1`, { token: admin })
    expect(full.body).toEqual(indicator)
    const verify = await h.call('GET', `/api/v1/campaigns/${previous.id}/log/verify`, { token: admin })
    // Every response, the symposium's rating sheets included, is in the chain.
    const sheets = indicator.byChannel.find((c) => c.channel === 'symposium')?.received ?? 0
    expect(verify.body).toMatchObject({ ok: true, length: indicator.n.received + sheets, firstBadSeq: null })
  })

  it.skipIf(skip)('should hold about 600 answers over the qr, door and paper channels, with the planted flags and one review', () => {
    expect(indicator.n.received).toBeGreaterThanOrEqual(550)
    expect(indicator.n.received).toBeLessThanOrEqual(650)
    for (const channel of ['qr', 'door', 'paper'] as const)
      expect(indicator.byChannel.find((c) => c.channel === channel)?.received).toBeGreaterThan(60)
    expect(indicator.n.flagged).toMatchObject({ duplicate_device: 2, duplicate_household: 1, late: 3, clock_skew: 0, conflict: 0 })
    expect(indicator.n.flagged.speeding).toBeGreaterThanOrEqual(4)
    expect(indicator.n.flagged.straightlining).toBeGreaterThanOrEqual(4)
    // A few flags, not a flagged sample.
    const flagged = Object.values(indicator.n.flagged).reduce((s, n) => s + n, 0)
    expect(flagged).toBeLessThan(indicator.n.received * 0.08)
    expect(indicator.n.excluded).toMatchObject({ evaluator_excluded: 2 })
    expect(indicator.n.excluded.missing_basis).toBeGreaterThan(0)
  })

  it.skipIf(skip)('should show satisfaction that varies by item and community around the target, not uniform noise', () => {
    expect(indicator.rate).toBeGreaterThan(0.86)
    expect(indicator.rate).toBeLessThan(0.97)
    const items = indicator.byItem.map((i) => i.rate ?? 0)
    expect(Math.max(...items) - Math.min(...items)).toBeGreaterThan(0.1)
    const communities = indicator.byCommunity.map((c) => c.rate ?? 0)
    expect(Math.min(...communities)).toBeLessThan(indicator.score.target)
    expect(Math.max(...communities)).toBeGreaterThan(indicator.score.target)
    expect(indicator.postStratified.rate).not.toBeNull()
    // Interviewers sit face to face with the respondent: door answers are kinder than scanned ones.
    const rate = (ch: string) => indicator.byChannel.find((c) => c.channel === ch)?.rate ?? 0
    expect(rate('door')).toBeGreaterThan(rate('qr'))
    // One interviewer ticks the same boxes all the way down (METHOD.md §10): found, and only that one.
    expect(indicator.interviewers).toHaveLength(4)
    expect(indicator.interviewers.filter((i) => i.uniform)).toHaveLength(1)
    expect(indicator.interviewers.filter((i) => i.rateOutlier)).toHaveLength(0)
    // Door to door: households visited, some not at home or refusing (METHOD.md §11), in every community.
    // Every door questionnaire comes with its completed visit; one household was interviewed twice.
    const door = indicator.byChannel.find((c) => c.channel === 'door')?.received ?? 0
    expect(indicator.fieldwork.completed).toBe(door - 1)
    expect(indicator.fieldwork.households).toBeGreaterThan(indicator.fieldwork.completed + 50)
    expect(indicator.fieldwork.responseRate).toBeGreaterThan(0.5)
    expect(indicator.fieldwork.responseRate).toBeLessThan(0.85)
    for (const c of indicator.byCommunity) expect(c.fieldwork.notHome + c.fieldwork.refused).toBeGreaterThan(0)
    const paragraph = reportParagraph(indicator)
    expect(paragraph).toContain(`共收回问卷${indicator.n.received}份`)
    expect(paragraph).toContain('座谈会另收回测评表18份')
  })

  it.skipIf(skip)('should attribute every door and paper answer to a demo worker assigned to its community', async () => {
    const rows = await h.db.db
      .selectFrom('responses')
      .innerJoin('staff_communities', (j) =>
        j
          .onRef('staff_communities.user_id', '=', 'responses.worker_id')
          .onRef('staff_communities.community_id', '=', 'responses.community_id'),
      )
      .select(({ fn }) => ['responses.channel', fn.countAll<number>().as('n')])
      .where('responses.campaign_id', '=', previous.id)
      .groupBy('responses.channel')
      .execute()
    const assigned = Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]))
    expect(assigned.door).toBe(indicator.byChannel.find((c) => c.channel === 'door')?.received)
    expect(assigned.paper).toBe(indicator.byChannel.find((c) => c.channel === 'paper')?.received)
    expect(assigned.qr).toBeUndefined()
    // Paper forms keep the serial printed on them, one each; no other channel has one.
    const serials = await h.db.db
      .selectFrom('responses')
      .select(['channel', 'serial'])
      .where('campaign_id', '=', previous.id)
      .where('serial', 'is not', null)
      .execute()
    expect(serials.every((r) => r.channel === 'paper')).toBe(true)
    expect(new Set(serials.map((r) => r.serial)).size).toBe(assigned.paper)
    const staff = (await h.call('GET', '/api/v1/staff', { token: admin })).body as { login: string; role: string }[]
    expect(staff.filter((s) => s.login.startsWith('demo-worker-') && s.role === 'worker')).toHaveLength(4)
  })

  it.skipIf(skip)('should have one symposium with attendees, remarks, its own link and the rating sheets', async () => {
    const list = SymposiumSummary.array().parse((await h.call('GET', `/api/v1/campaigns/${previous.id}/symposiums`, { token: admin })).body)
    expect(list).toHaveLength(1)
    const [s] = list
    expect(Object.values(s?.attendees ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(s?.sheets ?? 0)
    expect(s?.sheets).toBe(18)
    expect(s?.remarks).toBeGreaterThan(0)
    expect(s?.url).toMatch(/\/s\/[0-9A-Za-z]{16,}$/)

    // Its 整改台账, kept through sync: remarks recorded 待办, moved on by follow_up items after the meeting.
    const ledger = LedgerEntry.array().parse((await h.call('GET', `/api/v1/campaigns/${previous.id}/ledger`, { token: admin })).body)
    expect(ledger).toHaveLength(s?.remarks ?? 0)
    const done = ledger.filter((e) => e.followUp?.status === 'done')
    expect(done.length).toBeGreaterThan(0)
    for (const e of done) {
      expect(e.history.map((c) => `${c.from}→${c.to}`)).toEqual(['null→todo', 'todo→in_progress', 'in_progress→done'])
      expect(e.history.every((c) => c.changedAt > `${e.symposiumDate}T00`)).toBe(true)
      expect(e.public).toBe(true)
    }
    expect(ledger.filter((e) => e.followUp?.status === 'in_progress').length).toBeGreaterThan(0)
    expect(ledger.filter((e) => e.public).length).toBe(done.length)
    // …and what was done is on the community's public page.
    const page = PublicRemarks.parse((await h.call('GET', `/api/v1/links/${s?.url?.split('/').pop()}/remarks`)).body)
    expect(page.remarks.map((r) => r.status)).toEqual(done.map(() => 'done'))
  })

  it.skipIf(skip)('should carry zh-CN comments that can be searched', async () => {
    const all = await h.call('GET', `/api/v1/campaigns/${previous.id}/comments?limit=200`, { token: admin })
    expect(all.status).toBe(200)
    const texts = all.body.comments.map((c: { text: string }) => c.text) as string[]
    expect(texts.length).toBeGreaterThan(50)
    expect(texts.every((t) => /[\u4e00-\u9fff]/.test(t))).toBe(true)
    const hits = await h.call('GET', `/api/v1/campaigns/${previous.id}/comments?q=${encodeURIComponent('经费')}`, { token: admin })
    expect(hits.body.comments.length).toBeGreaterThan(0)
  })

  it.skipIf(skip)('should not seed again once a campaign exists', async () => {
    expect(await seedDemo(h.deps)).toBeNull()
    expect((await h.call('GET', '/api/v1/campaigns', { token: admin })).body).toHaveLength(2)
  })
})

describe('the demo sample generator', () => {
  const ids = ['a', 'b', 'c', 'd'].map((x) => `00000000-0000-4000-8000-00000000000${x}`)
  const input: SampleInput = {
    seed: 7,
    campaignId: ids[0] as string,
    version: 1,
    questions: TEMPLATE_QUESTIONNAIRE.questions,
    communityIds: ids,
    householdSalt: 'salt',
    publishedAt: Date.parse('2025-11-01T01:00:00.000Z'),
    closesAt: Date.parse('2025-12-31T15:59:59.999Z'),
    notAfter: T0,
  }

  it('should make the same batches from the same seed and different ones from another', () => {
    expect(demoSample(input)).toEqual(demoSample(input))
    expect(demoSample({ ...input, seed: 8 }).batches[0]).not.toEqual(demoSample(input).batches[0])
  })

  it('should send every batch after what it contains was submitted, in order of arrival, and nothing after notAfter', () => {
    const { batches } = demoSample({ ...input, notAfter: Date.parse('2026-01-03T00:00:00.000Z') })
    for (const [i, b] of batches.entries()) {
      if (i > 0) expect(b.at).toBeGreaterThanOrEqual(batches[i - 1]?.at ?? 0)
      expect(b.at).toBeLessThanOrEqual(Date.parse('2026-01-03T00:00:00.000Z'))
      for (const item of b.items) if (item.kind === 'response') expect(Date.parse(item.submittedAt)).toBeLessThanOrEqual(b.at)
    }
  })
})
