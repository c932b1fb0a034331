import { IndicatorConfig } from '@minyi/shared/schemas'
import { listCampaigns, listLinkTokens } from '../db/queries/campaigns.ts'
import { getOrgUnitByCode } from '../db/queries/org-units.ts'
import { createCampaign, publishQuestionnaire } from './campaigns.ts'
import type { Deps } from './deps.ts'
import { createUnit } from './org-units.ts'

/** A fictional district, street and four communities with resident populations (PRODUCT.md: at least three). */
const DEMO_UNITS = {
  district: { code: 'demo-d', name: '示范区' },
  street: { code: 'demo-s', name: '城关街道' },
  communities: [
    { code: 'demo-c1', name: '东风社区', population: 8200 },
    { code: 'demo-c2', name: '幸福社区', population: 6500 },
    { code: 'demo-c3', name: '和平社区', population: 5100 },
    { code: 'demo-c4', name: '新华社区', population: 4300 },
  ],
}

/** 00:00 on 1 January of `year` in Asia/Shanghai (UTC+8, no daylight saving) as a UTC instant. */
function shanghaiYearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 8 * 3600_000)
}

/**
 * On an empty database (no campaign yet): the demo org units and the demo campaign from the template,
 * open for the current year in Asia/Shanghai, published, with a QR link per community. Returns the
 * campaign id, or null when there was something already. Safe when two instances start together:
 * the unique org-unit codes let only one of them create it.
 */
export async function seedDemo(deps: Deps): Promise<string | null> {
  if ((await listCampaigns(deps.db.db)).length > 0) return null
  const now = deps.now()
  const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear()
  try {
    const district = await createUnit(deps, { kind: 'district', parentId: null, population: null, ...DEMO_UNITS.district })
    const street = await createUnit(deps, { kind: 'street', parentId: district.id, population: null, ...DEMO_UNITS.street })
    const communityIds: string[] = []
    for (const c of DEMO_UNITS.communities) communityIds.push((await createUnit(deps, { kind: 'community', parentId: street.id, ...c })).id)
    const id = await createCampaign(deps, {
      title: `${year}年度城市社区党组织服务群众专项经费重点评价`,
      opensAt: shanghaiYearStart(year).toISOString(),
      closesAt: new Date(shanghaiYearStart(year + 1).getTime() - 1).toISOString(),
      communityIds,
      quotas: Object.fromEntries(communityIds.map((c) => [c, 100])),
      indicatorConfig: IndicatorConfig.parse({}),
    })
    await publishQuestionnaire(deps, id)
    return id
  } catch (err) {
    // Another instance seeding at the same moment took the codes first: theirs is the demo.
    if (await getOrgUnitByCode(deps.db.db, DEMO_UNITS.district.code)) return null
    throw err
  }
}

/** One resident link of the first campaign, to print on start. */
export async function firstResidentToken(deps: Deps): Promise<string | null> {
  const [campaign] = await listCampaigns(deps.db.db)
  if (!campaign) return null
  const [link] = await listLinkTokens(deps.db.db, campaign.id)
  return link?.token ?? null
}
