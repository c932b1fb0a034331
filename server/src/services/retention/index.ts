import { randomUUID } from 'node:crypto'
import type { CampaignPatch, RetentionCounts, RetentionPlan, RetentionResult } from '@minyi/shared/schemas'
import type { CampaignRow } from '../../db/queries/campaigns.ts'
import { getEvidenceHead, lockEvidenceHead } from '../../db/queries/evidence.ts'
import * as q from '../../db/queries/retention.ts'
import { inTransaction, type Q } from '../../db/tx.ts'
import { ProblemError } from '../../http/problem.ts'
import { type AuditActor, audit } from '../audit.ts'
import { type CampaignContext, campaignStatus, invalidateCampaign, requireContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'
import { GENESIS } from '../evidence.ts'
import { countAnswers, type KeptCounts } from '../report/data.ts'

/*
 * Retention (issue 15): a campaign's raw material is kept `retention_months` after it closes (default
 * 36, the privacy notice's "three years"; the notice is generated from it), then deleted; what the
 * evaluation needs stays as its record.
 *  1. `runRetentionJob` — on start and daily (`startRetentionJob`): takes the `retention` lease in
 *     `job_locks` (of several instances exactly one works), deletes every campaign whose retention
 *     ended, prunes old rate-limit windows, gives the lease back.
 *  2. `purgeCampaign` — one transaction per campaign: claims it (`raw_deleted_at`, set once), counts
 *     what the report reads from raw answers (`KeptCounts`), deletes the raw tables
 *     (`db/queries/retention.ts` RAW_TABLES, devices seen only here), blanks names and device ids of
 *     the symposium records, records the evidence range and head (`retention_deletions`) and the audit
 *     entry. Aggregates, fieldwork counts, symposium records, the ledger and the evidence chain stay.
 *  3. `retentionPlan` — the dry run: the same counts, nothing changed. An admin's "delete now"
 *     (routes/retention.ts) is `purgeCampaign` for a closed campaign, after its title is typed again.
 */

const LEASE_MS = 10 * 60_000
const DAY_MS = 86_400_000

/** closes_at + retention_months, in calendar months (UTC). */
export function retentionEndsAt(row: Pick<CampaignRow, 'closes_at' | 'retention_months'>): string {
  const d = new Date(row.closes_at)
  d.setUTCMonth(d.getUTCMonth() + Number(row.retention_months))
  return d.toISOString()
}

/**
 * A retention change in a settings patch: none (undefined), or the new months. Once answers have
 * arrived a change needs a reason (recorded in the audit log by the route); after the deletion it is refused.
 */
export async function checkRetentionChange(deps: Deps, ctx: CampaignContext, patch: CampaignPatch): Promise<number | undefined> {
  const months = patch.retentionMonths
  if (months === undefined || months === Number(ctx.row.retention_months)) return undefined
  if (ctx.row.raw_deleted_at)
    throw new ProblemError('conflict', { details: [{ path: 'retentionMonths', message: 'the raw material was already deleted' }] })
  if (!patch.retentionReason && (await q.countRaw(deps.db.db, 'responses', ctx.row.id)) > 0)
    throw new ProblemError('validation_failed', {
      details: [{ path: 'retentionReason', message: 'answers have arrived: say why the retention period changes' }],
    })
  return months
}

/** What deleting the campaign's raw material touches, per table. */
async function countAll(db: Q, campaignId: string): Promise<RetentionCounts> {
  const counts: RetentionCounts = {}
  for (const t of q.RAW_TABLES) counts[t] = await q.countRaw(db, t, campaignId)
  counts.devices = await q.countOnlyHereDevices(db, campaignId)
  counts.symposium_names = await q.countNamedSymposiums(db, campaignId)
  counts.remark_devices = await q.countTraced(db, 'remarks', campaignId)
  counts.follow_up_devices = await q.countTraced(db, 'follow_up_changes', campaignId)
  return counts
}

/** `GET /api/v1/campaigns/:id/retention`: the dry run. */
export async function retentionPlan(deps: Deps, campaignId: string): Promise<RetentionPlan> {
  const ctx = await requireContext(deps, campaignId)
  const now = deps.now()
  const endsAt = retentionEndsAt(ctx.row)
  return {
    campaignId,
    retentionMonths: Number(ctx.row.retention_months),
    closesAt: ctx.row.closes_at,
    retentionEndsAt: endsAt,
    closed: campaignStatus(ctx.row, now) === 'closed',
    due: ctx.row.raw_deleted_at === null && campaignStatus(ctx.row, now) === 'closed' && endsAt <= now.toISOString(),
    rawDeletedAt: ctx.row.raw_deleted_at,
    counts: await countAll(deps.db.db, campaignId),
  }
}

/** The counts kept at deletion, or undefined while the raw answers are still there. */
export async function keptCounts(deps: Deps, campaignId: string): Promise<KeptCounts | undefined> {
  const row = await q.getDeletion(deps.db.db, campaignId)
  return row ? (JSON.parse(row.kept_json) as KeptCounts) : undefined
}

/** The evidence ranges whose responses retention deleted (for `verifyChain`). */
export async function deletedRanges(db: Q, campaignId: string): Promise<{ fromSeq: number; toSeq: number; deletedAt: string }[]> {
  const row = await q.getDeletion(db, campaignId)
  return row && Number(row.last_seq) > 0 ? [{ fromSeq: Number(row.first_seq), toSeq: Number(row.last_seq), deletedAt: row.deleted_at }] : []
}

/**
 * Deletes one campaign's raw material, in one transaction; null when another caller (an instance, an
 * admin) already did. `actor`: the job (`{ system: 'retention' }`) or the admin.
 */
export async function purgeCampaign(deps: Deps, campaignId: string, actor: AuditActor): Promise<RetentionResult | null> {
  const ctx = await requireContext(deps, campaignId)
  const at = deps.now().toISOString()
  const result = await inTransaction(deps.db, async (trx) => {
    if (!(await q.claimCampaign(trx, campaignId, at))) return null
    // The chain head is locked first: an ingest for this campaign waits, then finds it deleted.
    await lockEvidenceHead(trx, campaignId, GENESIS)
    const head = (await getEvidenceHead(trx, campaignId)) ?? { seq: 0, hash: GENESIS }
    const kept: KeptCounts = ctx.latest ? await countAnswers(trx, { ...ctx, latest: ctx.latest }) : { picks: {}, comments: 0, sheets: {} }
    const counts: RetentionCounts = {}
    counts.devices = await q.deleteOnlyHereDevices(trx, campaignId)
    for (const t of q.RAW_TABLES) counts[t] = await q.deleteRaw(trx, t, campaignId)
    counts.symposium_names = await q.blankSymposiumNames(trx, campaignId)
    counts.remark_devices = await q.untrace(trx, 'remarks', campaignId)
    counts.follow_up_devices = await q.untrace(trx, 'follow_up_changes', campaignId)
    const range = { fromSeq: head.seq > 0 ? 1 : 0, toSeq: head.seq }
    await q.insertDeletion(trx, {
      campaign_id: campaignId,
      deleted_at: at,
      actor_label: 'userId' in actor ? actor.userId : `system:${actor.system}`,
      first_seq: range.fromSeq,
      last_seq: range.toSeq,
      head_hash: head.hash,
      counts_json: JSON.stringify(counts),
      kept_json: JSON.stringify(kept),
    })
    const after = { counts, evidence: { ...range, headHash: head.hash } }
    await audit(deps, actor, 'retention.delete', { type: 'campaign', id: campaignId, campaignId }, null, after, trx)
    return { campaignId, deletedAt: at, counts, ...range }
  })
  invalidateCampaign(deps, campaignId)
  return result
}

/** An admin's "delete now": a closed campaign, its title typed again. */
export async function deleteNow(deps: Deps, campaignId: string, confirm: string, actor: AuditActor): Promise<RetentionResult> {
  const ctx = await requireContext(deps, campaignId)
  if (campaignStatus(ctx.row, deps.now()) !== 'closed')
    throw new ProblemError('conflict', { details: [{ path: 'id', message: 'only a closed campaign can be deleted' }] })
  if (confirm.trim() !== ctx.row.title.trim())
    throw new ProblemError('validation_failed', { details: [{ path: 'confirm', message: 'type the campaign’s title to confirm' }] })
  const done = await purgeCampaign(deps, campaignId, actor)
  if (!done) throw new ProblemError('conflict', { details: [{ path: 'id', message: 'the raw material was already deleted' }] })
  return done
}

export interface JobRun {
  /** False when another instance held the lease. */
  ran: boolean
  deleted: RetentionResult[]
  rateLimitRows: number
}

/** One run of the retention job: under the lease, every campaign whose retention ended. */
export async function runRetentionJob(deps: Deps, holder: string = randomUUID()): Promise<JobRun> {
  const now = deps.now()
  const db = deps.db.db
  if (!(await q.takeLease(db, 'retention', holder, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString())))
    return { ran: false, deleted: [], rateLimitRows: 0 }
  try {
    const deleted: RetentionResult[] = []
    for (const c of await q.closedKeptCampaigns(db, now.toISOString())) {
      if (retentionEndsAt(c) > now.toISOString()) continue
      const done = await purgeCampaign(deps, c.id, { system: 'retention' })
      if (done) deleted.push(done)
    }
    // Hashed network addresses and logins of rate limiting: every window that ended a day ago.
    const rateLimitRows = await q.pruneAllRateLimits(db, Math.floor((now.getTime() - DAY_MS) / 1000))
    return { ran: true, deleted, rateLimitRows }
  } finally {
    await q.releaseLease(db, 'retention', holder, deps.now().toISOString())
  }
}

/** Runs the job now and then every day; `stop` ends the timer (the process may exit meanwhile: it is unref'd). */
export function startRetentionJob(deps: Deps, log: (line: string) => void): { stop(): void } {
  const run = () =>
    runRetentionJob(deps)
      .then((r) => {
        for (const d of r.deleted) log(`retention: deleted the raw material of campaign ${d.campaignId} (${JSON.stringify(d.counts)})`)
      })
      .catch((err) => log(`retention: the job failed and runs again tomorrow: ${String(err)}`))
  void run()
  const timer = setInterval(run, DAY_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
