import { flagsOfKey, NETWORK_BURST, networkCountBefore } from '@minyi/shared/method'
import type { ProblemCode } from '@minyi/shared/problems'
import { HOUSEHOLD_CODE_PREFIX, type SyncItemResult } from '@minyi/shared/schemas'
import { getHouseholdCode, useHouseholdCode } from '../../../../db/queries/household-codes.ts'
import { bumpHouseholdCounts } from '../../../../db/queries/household-counts.ts'
import { lockNetworkWindows, saveNetworkWindow } from '../../../../db/queries/network-windows.ts'
import { findStoredHashes, insertResponses, type ResponseRow } from '../../../../db/queries/responses.ts'
import { tallyInputOf } from '../../../aggregates.ts'
import type { CampaignContext } from '../../../campaign-context.ts'
import { sha256Hex } from '../../../hashing.ts'
import { conflictRow } from '../../conflicts.ts'
import { type Batch, type KindWriter, rejectedResult } from '../../kind.ts'
import type { ResponseChecked } from './check.ts'
import { flagConflicts, flagsOf } from './flags.ts'
import { byId, responseRow } from './rows.ts'

interface NewResponse {
  c: ResponseChecked
  /** Its id came again later in this batch with different content. */
  conflict: boolean
}

/**
 * Responses of one batch: a replay of a stored id is a duplicate, different content under it a
 * conflict (the stored one gains the flag); a new one is created, flagged, counted in the aggregates
 * and appended to its campaign's evidence chain.
 */
export class ResponseWriter implements KindWriter<ResponseChecked> {
  /** Stored hash and flags of the batch's ids that are already stored. */
  private stored = new Map<string, { hash: string; flags: string }>()
  /** Hash of every response id known so far: stored, or new earlier in this batch. */
  private readonly known = new Map<string, string>()
  private readonly created = new Map<string, NewResponse>()
  /** Stored responses to flag as `conflict`. */
  private readonly flagStored = new Set<string>()

  constructor(private readonly batch: Batch) {}

  async load(items: ResponseChecked[]): Promise<void> {
    this.stored = await findStoredHashes(
      this.batch.trx,
      items.map((c) => c.id),
    )
    for (const [id, s] of this.stored) this.known.set(id, s.hash)
  }

  async decide(c: ResponseChecked): Promise<SyncItemResult> {
    const { batch } = this
    const prior = this.known.get(c.id)
    if (prior !== undefined) {
      if (prior === c.hash) return { id: c.id, status: 'duplicate' }
      batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      const fresh = this.created.get(c.id)
      if (fresh) fresh.conflict = true
      else if (!flagsOfKey(this.stored.get(c.id)?.flags ?? '').includes('conflict')) this.flagStored.add(c.id)
      return { id: c.id, status: 'conflict' }
    }
    if (c.item.channel === 'symposium') {
      const s = c.item.symposiumId ? batch.symposiums.get(c.item.symposiumId) : undefined
      if (!s || s.campaign !== c.campaignId) return rejectedResult(c.id, 'unknown_symposium')
      // Counted in the symposium's community (a street-level one: a community of its street), never elsewhere.
      const community = c.item.communityId
      if (s.community !== null ? s.community !== community : c.ctx.communities.get(community)?.parent_id !== s.street)
        return rejectedResult(c.id, 'symposium_mismatch', 'the sheet names another community than its symposium')
    }
    const key = c.item.householdKey
    if (key?.startsWith(HOUSEHOLD_CODE_PREFIX)) {
      const hashOfCode = sha256Hex(key)
      if (!(await useHouseholdCode(batch.trx, c.campaignId, c.item.communityId, hashOfCode, batch.receivedAt))) {
        // Why not, in the order a resident can act on: an unknown code, one printed for another
        // community (a slip of C1 must not count in C2), one already used.
        const printed = await getHouseholdCode(batch.trx, c.campaignId, hashOfCode)
        const code: ProblemCode = !printed
          ? 'invalid_household_code'
          : printed.community_id !== c.item.communityId
            ? 'household_code_wrong_community'
            : 'household_code_used'
        return rejectedResult(c.id, code)
      }
    }
    this.known.set(c.id, c.hash)
    this.created.set(c.id, { c, conflict: false })
    const counts = batch.deviceCounts.get(c.campaignId)
    if (counts) {
      counts.total++
      if (c.item.channel === 'qr') counts.qr++
    }
    return { id: c.id, status: 'created' }
  }

  async write(): Promise<void> {
    const { batch } = this
    const { tallies, chains, activity } = batch.group
    const householdSeen = await this.countHouseholds()
    const network = await this.networkWindows()
    const qrSeen = new Map(batch.qrBefore)
    const workerId = batch.principal.kind === 'staff' ? batch.principal.userId : null
    const rows: ResponseRow[] = []
    for (const { c, conflict } of this.created.values()) {
      const { item } = c
      const deviceBefore = item.channel === 'qr' ? (qrSeen.get(item.campaignId) ?? 0) : 0
      if (item.channel === 'qr') qrSeen.set(item.campaignId, deviceBefore + 1)
      let seenHousehold = false
      if (item.householdKey) {
        const k = `${item.campaignId}|${item.householdKey}`
        const before = householdSeen.get(k) ?? 0
        seenHousehold = before > 0
        householdSeen.set(k, before + 1)
      }
      const networkBefore = network ? network.count(item.campaignId, item.channel) : 0
      const flags = flagsOf(c, { deviceBefore, householdSeen: seenHousehold, networkBefore, receivedAt: batch.receivedAt, conflict })
      const row = responseRow(c, { deviceId: batch.req.deviceId, workerId, receivedAt: batch.receivedAt, flags })
      rows.push(row)
      tallies.add(item.campaignId, c.version.questions, tallyInputOf(row, item.answers))
      activity.set(`${item.campaignId}|${item.communityId}`, {
        campaign_id: item.campaignId,
        community_id: item.communityId,
        last_received_at: batch.receivedAt,
      })
      const chain = chains.get(item.campaignId) ?? []
      chains.set(item.campaignId, chain)
      chain.push({ id: item.id, hash: c.hash })
    }
    await network?.save()
    await insertResponses(batch.trx, rows.sort(byId))
    if (this.flagStored.size > 0) await flagConflicts(batch.trx, [...this.flagStored].sort(), contexts(batch), tallies)
  }

  /**
   * METHOD.md §3 `network_burst`: the batch's caller address (a keyed hash) and the windows of the
   * campaigns it sent QR responses to, locked; `count` gives, response by response in batch order, how
   * many from that address came within the window before it, and records it. Null when the batch has
   * no caller address (file import, demo) or no new QR response. Cost: nothing per item beyond a
   * comparison; per batch with QR responses, one locked row read and one write per campaign.
   */
  private async networkWindows(): Promise<{ count(campaignId: string, channel: string): number; save(): Promise<void> } | null> {
    const { batch } = this
    const networkKey = batch.opts.networkKey
    if (!networkKey) return null
    const campaigns = new Set<string>()
    for (const { c } of this.created.values()) if (c.item.channel === 'qr') campaigns.add(c.campaignId)
    if (campaigns.size === 0) return null
    const windows = await lockNetworkWindows(
      batch.trx,
      [...campaigns].map((campaign_id) => ({ campaign_id, network_key: networkKey })),
    )
    const received = Date.parse(batch.receivedAt)
    return {
      count(campaignId, channel) {
        if (channel !== 'qr') return 0
        const k = `${campaignId}|${networkKey}`
        const times = windows.get(k) ?? []
        const before = networkCountBefore(times, received)
        times.push(received)
        // Only the last NETWORK_BURST.max times can decide a later response.
        windows.set(k, times.slice(-NETWORK_BURST.max))
        return before
      },
      async save() {
        for (const campaignId of [...campaigns].sort())
          await saveNetworkWindow(batch.trx, campaignId, networkKey, windows.get(`${campaignId}|${networkKey}`) ?? [])
      },
    }
  }

  /**
   * Adds the new responses to the per-household counters, locked in sorted order; returns per
   * (campaign|household key) how many came before this batch, for `duplicate_household`.
   */
  private async countHouseholds(): Promise<Map<string, number>> {
    const perHousehold = new Map<string, { campaign_id: string; household_key: string; count: number }>()
    for (const { c } of this.created.values()) {
      if (!c.item.householdKey) continue
      const k = `${c.campaignId}|${c.item.householdKey}`
      const h = perHousehold.get(k) ?? { campaign_id: c.campaignId, household_key: c.item.householdKey, count: 0 }
      h.count++
      perHousehold.set(k, h)
    }
    const after = await bumpHouseholdCounts(this.batch.trx, [...perHousehold.values()])
    const seen = new Map<string, number>()
    for (const [k, h] of perHousehold) seen.set(k, (after.get(k) ?? h.count) - h.count)
    return seen
  }
}

/** The campaigns of the batch's checked items, for moving a stored response's aggregates when it is flagged. */
function contexts(batch: Batch): Map<string, CampaignContext> {
  const out = new Map<string, CampaignContext>()
  for (const c of batch.items) out.set(c.ctx.row.id, c.ctx)
  return out
}
