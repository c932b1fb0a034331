import type { Selectable } from 'kysely'
import type { RetentionDeletionsTable } from '../tables-retention.ts'
import type { Q } from '../tx.ts'

export type RetentionDeletionRow = Selectable<RetentionDeletionsTable>

/**
 * The tables that hold a campaign's raw material, each deleted by `campaign_id` (docs/PRIVACY.md says
 * what each holds). Order: children before the rows they name.
 */
export const RAW_TABLES = [
  'response_reviews',
  'conflicts',
  'responses',
  'household_codes',
  'household_counts',
  'device_campaigns',
  'visits',
  'households',
  'community_activity',
  'network_windows',
] as const
type RawTable = (typeof RAW_TABLES)[number]

export async function countRaw(db: Q, table: RawTable, campaignId: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

export async function deleteRaw(db: Q, table: RawTable, campaignId: string): Promise<number> {
  const r = await db.deleteFrom(table).where('campaign_id', '=', campaignId).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Devices that sent to this campaign and to no other (their app version, last sight, signed-in user). */
function onlyHereDevices(db: Q, campaignId: string) {
  return db
    .selectFrom('devices')
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('device_campaigns').select('device_id').where('campaign_id', '=', campaignId)),
        eb('id', 'in', eb.selectFrom('visits').select('device_id').where('campaign_id', '=', campaignId)),
      ]),
    )
    .where((eb) => eb('id', 'not in', eb.selectFrom('device_campaigns').select('device_id').where('campaign_id', '<>', campaignId)))
    .where((eb) => eb('id', 'not in', eb.selectFrom('visits').select('device_id').where('campaign_id', '<>', campaignId)))
}

export async function countOnlyHereDevices(db: Q, campaignId: string): Promise<number> {
  const r = await onlyHereDevices(db, campaignId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

export async function deleteOnlyHereDevices(db: Q, campaignId: string): Promise<number> {
  const ids = onlyHereDevices(db, campaignId).select('id')
  const r = await db.deleteFrom('devices').where('id', 'in', ids).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Symposium records keep their meeting (title, date, place, attendee counts, remarks) without the people's names. */
export async function countNamedSymposiums(db: Q, campaignId: string): Promise<number> {
  const r = await db
    .selectFrom('symposiums')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('host', '<>', ''), eb('recorder', '<>', '')]))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

export async function blankSymposiumNames(db: Q, campaignId: string): Promise<number> {
  const r = await db
    .updateTable('symposiums')
    .set({ host: '', recorder: '' })
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('host', '<>', ''), eb('recorder', '<>', '')]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Remarks and follow-up changes keep their content; which phone and account recorded them goes. */
export async function countTraced(db: Q, table: 'remarks' | 'follow_up_changes', campaignId: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('device_id', '<>', ''), eb('user_id', 'is not', null)]))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

export async function untrace(db: Q, table: 'remarks' | 'follow_up_changes', campaignId: string): Promise<number> {
  const r = await db
    .updateTable(table)
    .set({ device_id: '', user_id: null })
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('device_id', '<>', ''), eb('user_id', 'is not', null)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Rate-limit windows (hashed network addresses and logins) that ended before `beforeSeconds`, of every bucket. */
export async function pruneAllRateLimits(db: Q, beforeSeconds: number): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', beforeSeconds).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Sets `raw_deleted_at` if it is still null: true for the one caller that claims the campaign. */
export async function claimCampaign(db: Q, campaignId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('campaigns')
    .set({ raw_deleted_at: at })
    .where('id', '=', campaignId)
    .where('raw_deleted_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertDeletion(db: Q, row: RetentionDeletionRow): Promise<void> {
  await db.insertInto('retention_deletions').values(row).execute()
}

export function getDeletion(db: Q, campaignId: string): Promise<RetentionDeletionRow | undefined> {
  return db.selectFrom('retention_deletions').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst()
}

/** Campaigns whose raw material is still kept and whose window closed before `now` (the job filters by retention end). */
export function closedKeptCampaigns(db: Q, now: string) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'closes_at', 'retention_months'])
    .where('raw_deleted_at', 'is', null)
    .where('status', '<>', 'draft')
    .where('closes_at', '<', now)
    .execute()
}

/**
 * Takes the lease of job `name` for `holder` until `until`, unless another holder's lease is still
 * running at `now`. One statement on both dialects (the conflict branch only updates an expired
 * lease), then a read of who holds it: of instances racing, exactly one sees itself.
 */
export async function takeLease(db: Q, name: string, holder: string, now: string, until: string): Promise<boolean> {
  await db
    .insertInto('job_locks')
    .values({ name, holder, until })
    .onConflict((oc) => oc.column('name').doUpdateSet({ holder, until }).where('job_locks.until', '<=', now))
    .execute()
  const row = await db.selectFrom('job_locks').select('holder').where('name', '=', name).executeTakeFirst()
  return row?.holder === holder
}

export async function releaseLease(db: Q, name: string, holder: string, now: string): Promise<void> {
  await db.updateTable('job_locks').set({ until: now }).where('name', '=', name).where('holder', '=', holder).execute()
}
