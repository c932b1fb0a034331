// The communities axis of `pnpm bench:indicator`: a city or province campaign of many communities
// (district → streets → communities), its responses spread evenly over them on several channels
// with the template's items, written straight into a SQLite file with their kept aggregate cells
// and fieldwork counts, as the server would have kept them.
import {
  addResponseInto,
  computeFlags,
  durationSeconds,
  emptyOutcomeCounts,
  emptyTally,
  type FieldworkTally,
  flagsKey,
  ratedAnswersOf,
  type Tally,
} from '@minyi/shared/method'
import type { Channel } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import { openDb } from '../../../server/src/db/index.ts'
import { loadEnv } from '../../../server/src/env.ts'
import { ensureAdmin } from '../../../server/src/services/auth.ts'
import { type CampaignContext, loadCampaignContext } from '../../../server/src/services/campaign-context.ts'
import { seedDemo } from '../../../server/src/services/demo/index.ts'
import { makeItems } from './data.ts'
import { directWriter, openRawSqlite } from './direct-sqlite.ts'

type QuestionnaireVersion = NonNullable<CampaignContext['latest']>
type BenchItem = ReturnType<typeof makeItems>[number]

/** Communities per street (a city's street has 10–30). */
export const COMMUNITIES_PER_STREET = 20

/**
 * A fresh SQLite file with the first admin and the demo's open campaign (as the server starts):
 * the campaign's context and published version, the file closed again for raw writes.
 */
export async function demoCampaignFile(path: string, adminPassword: string) {
  const env = loadEnv({ SQLITE_PATH: path, LOG_LEVEL: 'silent', ADMIN_PASSWORD: adminPassword }, [])
  const opened = await openDb({ sqlitePath: path })
  const deps = { env, db: opened, now: () => new Date() }
  // As the server starts: the first admin before the demo (whose workers would otherwise be the first staff).
  await ensureAdmin(opened, env, () => {})
  const campaignId = await seedDemo(deps)
  if (!campaignId) throw new Error('expected an empty database')
  const ctx = await loadCampaignContext(deps, campaignId, true)
  const version = ctx?.latest
  if (!ctx || !version) throw new Error('demo campaign not published')
  await opened.close()
  return { campaignId, ctx, version }
}

/**
 * One bench response written as the server would keep it: its row (flags computed by the shared
 * rules, every 997th marked test) and its share of the kept tally.
 */
export function writeBenchResponse(
  write: ReturnType<typeof directWriter>,
  tally: Tally,
  ctx: CampaignContext,
  version: QuestionnaireVersion,
  r: { item: BenchItem; n: number; channel: Channel; workerId: string | null; receivedAt: string },
): void {
  const { item, n, channel, workerId, receivedAt } = r
  const rated = ratedAnswersOf(version.questions, item.answers)
  const seconds = durationSeconds(item.startedAt, item.submittedAt)
  const flags = computeFlags({
    rules: ctx.config.flagRules,
    ratedItemCount: rated.length,
    durationSeconds: seconds,
    ratedAnswers: rated,
    channel,
    deviceCountBefore: n % 5,
    submittedAt: item.submittedAt,
    receivedAt,
    publishedAt: ctx.row.published_at,
    closesAt: ctx.row.closes_at,
  })
  const exclusion = n % 997 === 0 ? 'test' : null
  write.response({
    id: item.id,
    campaignId: ctx.row.id,
    version: version.version,
    communityId: item.communityId,
    channel,
    deviceId: `bench-device-${Math.floor(n / 5)}`,
    workerId,
    startedAt: item.startedAt,
    submittedAt: item.submittedAt,
    receivedAt,
    answersJson: JSON.stringify(item.answers),
    flagsKey: flagsKey(flags),
    exclusion,
    contentHash: 'bench',
  })
  addResponseInto(tally, version.questions, {
    communityId: item.communityId,
    channel,
    answers: item.answers,
    flags,
    exclusion,
    workerId,
    durationSeconds: seconds,
  })
}

export interface AxisCampaign {
  campaignId: string
  responses: number
  communities: number
  streets: number
  cells: number
}

/**
 * This year's demo campaign, its four communities replaced by `communities` new ones under
 * ceil(communities / 20) streets of one district, with `perCommunity` responses each. Door answers
 * come from two workers per five communities; fieldwork counts a household per door answer plus one
 * that ended otherwise.
 */
export async function loadAxisCampaign(
  path: string,
  communities: number,
  perCommunity: number,
  adminPassword: string,
): Promise<AxisCampaign> {
  const { campaignId, ctx, version } = await demoCampaignFile(path, adminPassword)
  const db = openRawSqlite(path, 'OFF')
  const write = directWriter(db)
  const at = new Date().toISOString()
  const unit = db.prepare('insert into org_units (id, kind, parent_id, code, name, population, created_at) values (?, ?, ?, ?, ?, ?, ?)')
  const scope = db.prepare('insert into campaign_communities (campaign_id, community_id, quota) values (?, ?, ?)')
  const communityIds: string[] = []
  const streetCount = Math.ceil(communities / COMMUNITIES_PER_STREET)
  db.transaction(() => {
    db.prepare('delete from campaign_communities where campaign_id = ?').run(campaignId)
    const district = uuidv7()
    unit.run(district, 'district', null, 'BENCH-D', '基准区', null, at)
    for (let s = 0; s < streetCount; s++) {
      const street = uuidv7()
      unit.run(street, 'street', district, `BENCH-S${String(s).padStart(4, '0')}`, `第${s + 1}街道`, null, at)
      for (let c = s * COMMUNITIES_PER_STREET; c < Math.min(communities, (s + 1) * COMMUNITIES_PER_STREET); c++) {
        const id = uuidv7()
        unit.run(
          id,
          'community',
          street,
          `BENCH-C${String(c).padStart(5, '0')}`,
          `第${s + 1}街道第${c + 1}社区`,
          1500 + ((c * 7919) % 4000),
          at,
        )
        scope.run(campaignId, id, perCommunity)
        communityIds.push(id)
      }
    }
  })()

  const channels: Channel[] = ['qr', 'qr', 'qr', 'door', 'paper', 'symposium']
  const total = communities * perCommunity
  const chunk = 10_000
  const fieldwork: FieldworkTally = {}
  const writeChunk = db.transaction((start: number) => {
    const count = Math.min(chunk, total - start)
    const items = makeItems(count, { campaignId, version: version.version, communityIds }, Date.now(), start + 1)
    const tally = emptyTally()
    const receivedAt = new Date().toISOString()
    items.forEach((raw, i) => {
      const n = start + i
      const communityIndex = n % communities
      const item = { ...raw, communityId: communityIds[communityIndex] ?? '' }
      const channel = channels[Math.floor(n / communities) % channels.length] ?? 'qr'
      const workerId = channel === 'door' ? `bench-worker-${Math.floor(communityIndex / 5)}-${n % 2}` : null
      if (workerId) {
        const counts = fieldwork[item.communityId] ?? emptyOutcomeCounts()
        counts.completed++
        counts[(['not_home', 'refused', 'revisit', 'not_home'] as const)[n % 4] ?? 'refused']++
        fieldwork[item.communityId] = counts
      }
      writeBenchResponse(write, tally, ctx, version, { item, n, channel, workerId, receivedAt })
    })
    write.tally(campaignId, tally)
  })
  for (let start = 0; start < total; start += chunk) writeChunk(start)
  db.transaction(() => write.fieldwork(campaignId, fieldwork))()
  const { cells } = db.prepare('select count(*) as cells from aggregate_cells where campaign_id = ?').get(campaignId) as { cells: number }
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { campaignId, responses: total, communities, streets: streetCount, cells }
}
