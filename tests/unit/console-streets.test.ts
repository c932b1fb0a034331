import { computeIndicator, type TallyResponseInput } from '@minyi/shared/method'
import type { CampaignDetail } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import {
  communityViews,
  initialStreet,
  nameList,
  PAGE_SIZE,
  pageOf,
  progressText,
  streetViews,
} from '../../client/src/console/logic/streets.ts'
import { config, ratingQuestion, response } from './method-helpers.ts'

// The communities tab's rules at city scale without mounting it: streets first, a street's
// communities, search by name or code, pages of 50.

const questions = [ratingQuestion('q_overall', 'likert5', true)]
/** 3 streets: S0 with 60 communities, S1 with 2, and a community with no street. */
const communities = [
  ...Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, population: 100, quota: 2, streetId: 'S0' })),
  { id: 'x1', population: 100, quota: null, streetId: 'S1' },
  { id: 'x2', population: 100, quota: 1, streetId: 'S1' },
  { id: 'lone', population: null, quota: null, streetId: null },
]
const responses: TallyResponseInput[] = [
  response('c0', 'qr', { q_overall: 5 }),
  response('x1', 'qr', { q_overall: 1 }),
  response('x2', 'qr', { q_overall: 5 }),
]
const indicator = computeIndicator({ config: config(), questionnaires: [{ version: 1, questions }], communities, responses })
const campaign: Pick<CampaignDetail, 'communities' | 'streets'> = {
  communities: [
    ...communities
      .slice(0, 60)
      .map((c, i) => ({ id: c.id, code: `C${String(i).padStart(3, '0')}`, name: `第${i + 1}社区`, population: 100 })),
    { id: 'x1', code: 'X1', name: '东风社区', population: 100 },
    { id: 'x2', code: 'X2', name: '幸福社区', population: 100 },
    { id: 'lone', code: 'L', name: '孤岛社区', population: null },
  ],
  streets: [
    { id: 'S0', code: 'S0', name: '城关街道', population: null },
    { id: 'S1', code: 'S1', name: '新华街道', population: null },
  ],
}

describe('console communities tab at city scale', () => {
  const streets = streetViews(indicator, campaign, '未归属街道')

  it('should name every street line, the street null by the given word', () => {
    expect(streets.map((s) => [s.id, s.name, s.line.communityIds.length])).toEqual([
      ['S0', '城关街道', 60],
      ['S1', '新华街道', 2],
      [null, '未归属街道', 1],
    ])
    expect(streets[1]?.line).toMatchObject({ received: 2, valid: 2, quota: null, rate: 0.5 })
  })

  it("should open a street to its own communities only, in the indicator's order", () => {
    expect(communityViews(indicator, campaign, { streetId: 'S1' }).map((c) => c.name)).toEqual(['东风社区', '幸福社区'])
    expect(communityViews(indicator, campaign, { streetId: null }).map((c) => c.id)).toEqual(['lone'])
    expect(communityViews(indicator, campaign, {})).toHaveLength(63)
  })

  it('should find communities by part of the name or code, any case, within the open street or all', () => {
    expect(communityViews(indicator, campaign, { query: '幸福' }).map((c) => c.id)).toEqual(['x2'])
    expect(communityViews(indicator, campaign, { query: ' x1 ' }).map((c) => c.id)).toEqual(['x1'])
    expect(communityViews(indicator, campaign, { query: '社区', streetId: 'S1' }).map((c) => c.id)).toEqual(['x1', 'x2'])
    expect(communityViews(indicator, campaign, { query: '幸福', streetId: 'S0' })).toEqual([])
  })

  it('should page 50 rows at a time and clamp the page to those there are', () => {
    const all = communityViews(indicator, campaign, { streetId: 'S0' })
    expect(PAGE_SIZE).toBe(50)
    const first = pageOf(all, 0)
    expect([first.items.length, first.page, first.pages, first.total]).toEqual([50, 0, 2, 60])
    expect(first.items[0]?.name).toBe('第1社区')
    const last = pageOf(all, 7)
    expect([last.items.length, last.page, last.items[0]?.name]).toEqual([10, 1, '第51社区'])
    expect(pageOf([], 3)).toEqual({ items: [], page: 0, pages: 1, total: 0 })
  })

  it('should open the only street at once and show the streets when there are several', () => {
    expect(initialStreet(streets)).toBeUndefined()
    expect(initialStreet(streets.slice(1, 2))).toBe('S1')
  })

  it('should give progress as a whole percentage capped at 100%, and a dash without quota', () => {
    expect([progressText(1, 3), progressText(5, 4), progressText(3, null), progressText(0, 0)]).toEqual(['33%', '100%', '—', '—'])
  })

  it('should list the first names and say how many more', () => {
    const more = (n: number) => ` 等 ${n} 个`
    expect(nameList(['甲', '乙', '丙'], 2, more)).toBe('甲、乙 等 1 个')
    expect(nameList(['甲', '乙'], 2, more)).toBe('甲、乙')
  })
})
