import { IndicatorConfig } from '@minyi/shared/schemas'
import { shanghaiInstant, shanghaiYear } from '@minyi/shared/time'
import { listCampaigns, listLinkTokens } from '../../db/queries/campaigns.ts'
import { getOrgUnitByCode } from '../../db/queries/org-units.ts'
import { createCampaign } from '../campaigns.ts'
import type { Deps } from '../deps.ts'
import { createUnit } from '../org-units.ts'
import { publishQuestionnaire } from '../questionnaires.ts'
import { seedPreviousYear } from './previous-year.ts'
import { dated } from './send.ts'

// The demo `pnpm start` creates on an empty database, in this order:
//   1. the org units (units below), dated as if set up in the autumn of the previous year;
//   2. the previous year's campaign, closed, filled with a seeded synthetic sample sent through the
//      sync service (previous-year.ts: the steps and their dates; sample.ts: the batches; respondents.ts:
//      the answers; texts.ts: the words; random.ts: the seeded chance; send.ts: the sending);
//   3. this year's campaign, open and empty, created last so that it is listed first.

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

async function createUnits(deps: Deps): Promise<string[]> {
  const district = await createUnit(deps, { kind: 'district', parentId: null, population: null, ...DEMO_UNITS.district })
  const street = await createUnit(deps, { kind: 'street', parentId: district.id, population: null, ...DEMO_UNITS.street })
  const communityIds: string[] = []
  for (const c of DEMO_UNITS.communities) communityIds.push((await createUnit(deps, { kind: 'community', parentId: street.id, ...c })).id)
  return communityIds
}

/**
 * On an empty database (no campaign yet): the demo org units, the previous year's closed campaign
 * with its sample, and this year's campaign from the template, open for the current year in
 * Asia/Shanghai, published, with a QR link per community. Returns this year's campaign id, or null
 * when there was something already. Safe when two instances start together: the unique org-unit codes
 * let only one of them create it.
 */
export async function seedDemo(deps: Deps): Promise<string | null> {
  if ((await listCampaigns(deps.db.db)).length > 0) return null
  const now = deps.now()
  const year = shanghaiYear(now)
  let communityIds: string[]
  try {
    communityIds = await createUnits(dated(deps, shanghaiInstant(year - 1, 10, 20, 9, 30)))
  } catch (err) {
    // Another instance seeding at the same moment took the codes first: theirs is the demo.
    if (await getOrgUnitByCode(deps.db.db, DEMO_UNITS.district.code)) return null
    throw err
  }
  await seedPreviousYear(deps, year - 1, communityIds, now.getTime())

  const id = await createCampaign(deps, {
    title: `${year}年度城市社区党组织服务群众专项经费重点评价`,
    opensAt: new Date(shanghaiInstant(year, 1, 1)).toISOString(),
    closesAt: new Date(shanghaiInstant(year + 1, 1, 1) - 1).toISOString(),
    communityIds,
    quotas: Object.fromEntries(communityIds.map((c) => [c, 100])),
    indicatorConfig: IndicatorConfig.parse({}),
  })
  await publishQuestionnaire(deps, id)
  return id
}

/** One resident link of the first campaign, to print on start. */
export async function firstResidentToken(deps: Deps): Promise<string | null> {
  const [campaign] = await listCampaigns(deps.db.db)
  if (!campaign) return null
  const [link] = await listLinkTokens(deps.db.db, campaign.id)
  return link?.token ?? null
}
