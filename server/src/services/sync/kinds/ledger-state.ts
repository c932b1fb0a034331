import type { ProblemCode } from '@minyi/shared/problems'
import type { SymposiumItem } from '@minyi/shared/schemas'
import type { Principal } from '../../../auth/principal.ts'
import { findChanges, findRemarks } from '../../../db/queries/ledger.ts'
import type { CampaignContext } from '../../campaign-context.ts'
import type { Batch, CheckedItem } from '../kind.ts'

/** A remark known to the batch: stored, or created earlier in it (in a symposium or as a `remark` item). */
export interface KnownRemark {
  campaign: string
  community: string | null
  street: string | null
  hash: string
}

/** A follow-up change known to the batch. */
export interface KnownChange {
  remark: string
  status: string
  hash: string
}

/**
 * What the symposium, remark and follow-up kinds of one batch share: the remarks and changes known so
 * far, loaded once for the whole batch (their writers' loads run together) and added to as each
 * kind decides its items, in the batch's order.
 */
export interface LedgerState {
  remarks: Map<string, KnownRemark>
  changes: Map<string, KnownChange>
}

const states = new WeakMap<Batch, Promise<LedgerState>>()

/** Every remark and change id the batch names (as its own id, a remark to follow up, or a base). */
function namedIds(items: readonly CheckedItem[]): { remarks: Set<string>; changes: Set<string> } {
  const remarks = new Set<string>()
  const changes = new Set<string>()
  for (const c of items) {
    const item = (c as CheckedItem & { item?: unknown }).item as Record<string, unknown> | undefined
    if (c.kind === 'symposium') for (const r of (item as unknown as SymposiumItem).remarks) remarks.add(r.id)
    if (c.kind === 'remark') {
      remarks.add(c.id)
      changes.add(c.id)
    }
    if (c.kind === 'follow_up' && item) {
      changes.add(c.id)
      remarks.add(item.remarkId as string)
      // A remark's first follow-up is the change with the remark's own id.
      changes.add(item.remarkId as string)
      if (typeof item.base === 'string') changes.add(item.base)
    }
  }
  return { remarks, changes }
}

export function ledgerState(batch: Batch): Promise<LedgerState> {
  let s = states.get(batch)
  if (!s) {
    const ids = namedIds(batch.items)
    s = Promise.all([findRemarks(batch.trx, [...ids.remarks]), findChanges(batch.trx, [...ids.changes])]).then(([remarks, changes]) => ({
      remarks: new Map(
        [...remarks].map(([id, r]) => [
          id,
          { campaign: r.campaign_id, community: r.community_id, street: r.street_id, hash: r.content_hash },
        ]),
      ),
      changes: new Map([...changes].map(([id, c]) => [id, { remark: c.remark_id, status: c.status, hash: c.content_hash }])),
    }))
    states.set(batch, s)
  }
  return s
}

/**
 * Whether this caller may record at a symposium of this community or street: staff only (attendees
 * send rating sheets, nothing else); a worker only where they are assigned (for a street, one of its
 * communities in the campaign).
 */
export function mayRecordAt(
  principal: Principal,
  ctx: CampaignContext,
  community: string | null,
  street: string | null,
): ProblemCode | null {
  if (principal.kind !== 'staff') return 'channel_forbidden'
  if (principal.role !== 'worker') return null
  if (community !== null) return principal.communityIds.includes(community) ? null : 'community_not_assigned'
  return principal.communityIds.some((id) => ctx.communities.get(id)?.parent_id === street) ? null : 'community_not_assigned'
}
