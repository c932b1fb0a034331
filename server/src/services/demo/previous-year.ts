import { IndicatorConfig, type StaffUser } from '@minyi/shared/schemas'
import { shanghaiInstant } from '@minyi/shared/time'
import type { Principal } from '../../auth/principal.ts'
import { findStaffUserByLogin } from '../../db/queries/auth.ts'
import { requireContext } from '../campaign-context.ts'
import { createCampaign } from '../campaigns.ts'
import type { Deps } from '../deps.ts'
import { randomToken } from '../hashing.ts'
import { publishQuestionnaire } from '../questionnaires.ts'
import { reviewResponse } from '../reviews.ts'
import { createStaff } from '../staff.ts'
import { setPublic, symposiumLink } from '../symposiums/index.ts'
import { demoSample } from './sample.ts'
import { dated, sendBatches } from './send.ts'
import { WORKERS } from './texts.ts'

/** The sample's seed: change it and every figure of the demo changes (tests hold the figures of this one). */
const DEMO_SEED = 2024

/**
 * The previous year's campaign, closed, with its fieldwork, each step at the time it would have
 * happened that year: the demo workers' accounts (October), the campaign from the template, published
 * in November, every batch of the synthetic sample (sample.ts) through the sync service — the path
 * real answers take, so flags, kept aggregates, activity and the evidence chain are what real traffic
 * would have made — and an evaluator's review after fieldwork. Returns the campaign id.
 */
export async function seedPreviousYear(deps: Deps, year: number, communityIds: string[], notAfter: number): Promise<string> {
  // The workers' password hashes (scrypt, on libuv's threads) are awaited only when the first worker's
  // batch is due: awaited here they would add as much time as the whole ingest. One after the other,
  // because each scrypt holds 32 MiB: four at once lifted the server's start-up peak to ~220 MB.
  const hired = dated(deps, shanghaiInstant(year, 10, 22, 10))
  const workersReady = (async () => {
    const users: StaffUser[] = []
    for (const w of WORKERS) {
      const taken = await findStaffUserByLogin(deps.db.db, w.login)
      // Nobody signs in with these (the password is thrown away): an admin sets one to try the worker side.
      users.push(
        await createStaff(hired, {
          name: w.name,
          login: taken ? `${w.login}-${randomToken(4).toLowerCase()}` : w.login,
          role: 'worker',
          communityIds: w.communities.map((i) => communityIds[i] as string),
          password: randomToken(24),
        }),
      )
    }
    return users
  })()
  // Awaited below; this only keeps a failure from counting as unhandled in the meantime.
  workersReady.catch(() => {})

  const campaignId = await createCampaign(dated(deps, shanghaiInstant(year, 10, 28, 15)), {
    title: `${year}年度城市社区党组织服务群众专项经费重点评价`,
    description: '演示数据：程序生成的合成样本（约600份问卷和一场座谈会），用于熟悉控制台，不代表任何真实社区。',
    opensAt: new Date(shanghaiInstant(year, 1, 1)).toISOString(),
    closesAt: new Date(shanghaiInstant(year + 1, 1, 1) - 1).toISOString(),
    communityIds,
    quotas: Object.fromEntries(communityIds.map((c, i) => [c, [180, 150, 140, 120][i] ?? 100])),
    indicatorConfig: IndicatorConfig.parse({}),
  })
  await publishQuestionnaire(dated(deps, shanghaiInstant(year, 11, 1, 9)), campaignId)
  const ctx = await requireContext(deps, campaignId)
  const version = ctx.latest
  if (!version) throw new Error('demo campaign not published')

  const sample = demoSample({
    seed: DEMO_SEED,
    campaignId,
    version: version.version,
    questions: version.questions,
    communityIds,
    householdSalt: ctx.row.household_salt,
    publishedAt: Date.parse(version.publishedAt),
    closesAt: Date.parse(ctx.row.closes_at),
    notAfter,
  })
  const anonymous: Principal = { kind: 'anonymous' }
  await sendBatches(
    deps,
    sample.batches,
    async (batch) => {
      if (batch.sender.kind === 'resident') return anonymous
      const worker = (await workersReady)[batch.sender.worker]
      if (!worker) throw new Error(`no demo worker ${batch.sender.worker}`)
      return { kind: 'staff', userId: worker.id, role: 'worker', communityIds: worker.communityIds, sessionId: 'demo-seed', via: 'bearer' }
    },
    async (batch) => {
      // The symposium's own QR code, made by the recorder once the symposium is on the server.
      if (batch.items.some((i) => i.id === sample.symposium.id))
        await symposiumLink(dated(deps, sample.symposium.linkAt), campaignId, sample.symposium.id, '')
    },
  )
  await workersReady

  const admin = await findStaffUserByLogin(deps.db.db, 'admin')
  const reviewed = dated(deps, sample.exclusion.at)
  for (const id of sample.exclusion.ids)
    await reviewResponse(reviewed, campaignId, id, admin?.id ?? null, { action: 'exclude', reason: sample.exclusion.reason })
  // What was done is shown on the community's public page.
  if (admin) for (const id of sample.published.remarkIds) await setPublic(dated(deps, sample.published.at), campaignId, id, true, admin.id)
  return campaignId
}
