import { CampaignDetail, Indicator } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AggregateCellRow, aggregateCellPages, listAggregateCells } from '../../server/src/db/queries/aggregates.ts'
import { DAY, DIALECTS, type Harness, startApp, T0 } from './auth-harness.ts'
import { bothIndicators, responseItem, sync, templateAnswers } from './server-harness.ts'

// Streets (街道) as a level of the indicator: byStreet from the kept aggregates equals a full
// recomputation, pools each street's communities, post-stratifies within it, and the campaign
// detail names the streets; the kept cells are read page by page in whole communities.

describe.each(DIALECTS)('streets in the indicator on $dialect', ({ dialect, skip }) => {
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

  /** District → street 东街 (A 1000, B 3000 residents) and street 西街 (C, no population); a campaign over A, B, C. */
  async function setup() {
    const admin = await h.staff('admin', 'adm-streets')
    const evaluator = await h.staff('evaluator', 'eva-streets')
    const unit = async (body: Record<string, unknown>) => {
      const r = await h.call('POST', '/api/v1/org-units', { token: admin.token, body })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      return r.body.id as string
    }
    const district = await unit({ kind: 'district', code: 'st-d', name: '测试区' })
    const east = await unit({ kind: 'street', parentId: district, code: 'st-e', name: '东街街道' })
    const west = await unit({ kind: 'street', parentId: district, code: 'st-w', name: '西街街道' })
    const a = await unit({ kind: 'community', parentId: east, code: 'st-a', name: 'A社区', population: 1000 })
    const b = await unit({ kind: 'community', parentId: east, code: 'st-b', name: 'B社区', population: 3000 })
    const c = await unit({ kind: 'community', parentId: west, code: 'st-c', name: 'C社区' })
    const created = await h.call('POST', '/api/v1/campaigns', {
      token: evaluator.token,
      body: {
        title: '街道测试',
        opensAt: new Date(T0 - 30 * DAY).toISOString(),
        closesAt: new Date(T0 + 30 * DAY).toISOString(),
        communityIds: [a, b, c],
        quotas: { [a]: 4, [b]: 2, [c]: 5 },
        indicatorConfig: { basis: 'overall', satisfiedSet: 'top2' },
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const published = await h.call('POST', `/api/v1/campaigns/${created.body.id}/questionnaire/publish`, { token: evaluator.token })
    expect(published.status).toBe(201)
    h.clock.advance(10 * 60_000)
    const s = {
      campaignId: created.body.id as string,
      communityIds: [a, b, c],
      evaluator,
      admin,
      version: published.body.version as number,
    }
    // Overall answers: A 5, 4, 2, 1 (x 2 of 4); B 5, 5, 1 (x 2 of 3); C 4, 2 (x 1 of 2).
    const plan: [string, number][] = [
      [a, 5],
      [a, 4],
      [a, 2],
      [a, 1],
      [b, 5],
      [b, 5],
      [b, 1],
      [c, 4],
      [c, 2],
    ]
    const items = plan.map(([communityId, overall]) =>
      responseItem(h, s, { communityId, answers: { ...templateAnswers(() => 0.5), q_overall: overall } }),
    )
    for (const [i, item] of items.entries()) {
      const r = await sync(h, [item], { deviceId: `device-streets-${i}` })
      expect(r.body.results[0]?.status).toBe('created')
    }
    return { s, east, west, a, b, c }
  }

  it('should pool each street, post-stratify within it, and equal a full recomputation', async () => {
    const { s, east, west, a, b, c } = await setup()
    const { kept, full } = await bothIndicators(h, s)
    expect(kept).toStrictEqual(full)
    const ind = Indicator.parse(kept)
    expect(ind.byStreet.map((x) => [x.streetId, x.communityIds])).toEqual([
      [east, [a, b]],
      [west, [c]],
    ])
    const [e, w] = ind.byStreet
    // 东街: 7 valid, 4 satisfied; post-stratified 1/4 · 2/4 + 3/4 · 2/3 = 0.625.
    expect(e).toMatchObject({ received: 7, valid: 7, n: 7, population: 4000, quota: 6 })
    expect(e?.rate).toBeCloseTo(4 / 7, 12)
    expect(e?.postStratified.rate).toBeCloseTo(0.625, 12)
    // 西街: C has no population.
    expect(w).toMatchObject({ received: 2, valid: 2, population: null, quota: 5, rate: 0.5 })
    expect(w?.postStratified).toStrictEqual({ rate: null, se: null, coverageGaps: [], missingPopulation: [c] })

    const detail = CampaignDetail.parse((await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: s.evaluator.token })).body)
    expect(detail.streets?.map((x) => [x.id, x.code, x.name])).toEqual([
      [east, 'st-e', '东街街道'],
      [west, 'st-w', '西街街道'],
    ])
  })

  it('should read the kept cells page by page in whole communities, every cell once, whatever the page size', async () => {
    const { s } = await setup()
    // A test answer in every community: a second cell each, more cells than communities.
    for (const [i, communityId] of s.communityIds.entries()) {
      const r = await sync(h, [responseItem(h, s, { communityId, test: true })], { deviceId: `device-test-${i}` })
      expect(r.body.results[0]?.status).toBe('created')
    }
    const all = await listAggregateCells(h.db.db, s.campaignId)
    const key = (c: AggregateCellRow) => JSON.stringify(c)
    expect(all.length).toBeGreaterThan(s.communityIds.length)
    for (const size of [1, 2, 3, 1000]) {
      const pages: AggregateCellRow[][] = []
      for await (const page of aggregateCellPages(h.db.db, s.campaignId, size)) pages.push(page)
      expect(pages.flat().map(key).sort()).toEqual(all.map(key).sort())
      const pageOf = new Map<string, number>()
      for (const [i, page] of pages.entries())
        for (const c of page) {
          expect(pageOf.get(c.communityId) ?? i).toBe(i)
          pageOf.set(c.communityId, i)
        }
    }
    const { kept, full } = await bothIndicators(h, s)
    expect(kept).toStrictEqual(full)
  })
})
