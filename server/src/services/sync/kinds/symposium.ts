import type { ProblemCode } from '@minyi/shared/problems'
import { type RemarkBody, SymposiumItem } from '@minyi/shared/schemas'
import { uuidv7Time } from '@minyi/shared/uuid'
import type { FollowUpChangeRow, RemarkRow } from '../../../db/queries/ledger.ts'
import { insertChanges, insertRemarks } from '../../../db/queries/ledger.ts'
import { findSymposiums, insertSymposiums, type SymposiumRow } from '../../../db/queries/symposiums.ts'
import { audit } from '../../audit.ts'
import type { CampaignContext } from '../../campaign-context.ts'
import { canonicalJson, sha256Hex } from '../../hashing.ts'
import { conflictRow } from '../conflicts.ts'
import { type Batch, type CheckedItem, type ItemKind, type KindWriter, type ParsedItem, rejected, rejectedResult } from '../kind.ts'
import { issueMessage } from '../parse.ts'
import { type LedgerState, ledgerState, mayRecordAt } from './ledger-state.ts'

interface SymposiumParsed extends ParsedItem {
  kind: 'symposium'
  item: SymposiumItem
}
interface SymposiumChecked extends CheckedItem {
  kind: 'symposium'
  item: SymposiumItem
}

/** The stable code of a symposium's first schema complaint: its id, a date (its own or a follow-up's due date), or the shape. */
export function symposiumIssueCode(issue: { path: PropertyKey[] } | undefined): ProblemCode {
  const path = issue?.path ?? []
  if (path.length === 1 && path[0] === 'id') return 'invalid_id'
  const last = path[path.length - 1]
  if (last === 'date' || last === 'dueDate') return 'invalid_date'
  return 'invalid_item'
}

/** A street is in a campaign when one of the campaign's communities lies in it. */
function streetInCampaign(ctx: CampaignContext, street: string): boolean {
  for (const c of ctx.communities.values()) if (c.parent_id === street) return true
  return false
}

/**
 * A symposium's record (PRODUCT.md C4: title, date, place, community or street, host, recorder,
 * attendees, remarks), sent by the staff member who recorded it. Rating sheets filled in at it are
 * responses naming its id; remarks added and follow-ups changed later are `remark` and `follow_up`
 * items. Its community must be in the campaign, its street must hold one of the campaign's
 * communities (and contain its community when both are given), and a worker records only where
 * assigned. Its remarks go into the 整改台账 (`remarks`, their first follow-ups as changes).
 */
export const symposiumKind: ItemKind<SymposiumParsed, SymposiumChecked> = {
  kind: 'symposium',

  parse(raw, id) {
    const r = SymposiumItem.safeParse(raw)
    if (r.success) return { kind: 'symposium', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
    const issue = r.error.issues[0]
    return rejected(id, symposiumIssueCode(issue), issueMessage(issue))
  },

  isStale: ({ item }, ctx) =>
    !ctx ||
    (item.communityId !== null && !ctx.communities.has(item.communityId)) ||
    (item.streetId !== null && !streetInCampaign(ctx, item.streetId)),

  check(p, ctx, principal) {
    const { item } = p
    if (!ctx) return rejected(item.id, 'unknown_campaign')
    if (principal.kind !== 'staff') return rejected(item.id, 'channel_forbidden')
    if (item.communityId !== null && !ctx.communities.has(item.communityId)) return rejected(item.id, 'unknown_community')
    if (item.streetId !== null) {
      if (!streetInCampaign(ctx, item.streetId)) return rejected(item.id, 'unknown_street')
      if (item.communityId !== null && ctx.communities.get(item.communityId)?.parent_id !== item.streetId)
        return rejected(item.id, 'unknown_street', 'the community does not lie in this street')
    }
    const denied = mayRecordAt(principal, ctx, item.communityId, item.streetId)
    if (denied) return rejected(item.id, denied)
    const ids = new Set(item.remarks.map((r) => r.id))
    if (ids.size !== item.remarks.length || ids.has(item.id)) return rejected(item.id, 'invalid_id', 'remark ids must be distinct')
    return {
      kind: 'symposium',
      id: p.id,
      campaignId: p.campaignId,
      item,
      ctx,
      hash: sha256Hex(canonicalJson(item)),
      symposiumRef: item.id,
    }
  },

  writer: (batch) => new SymposiumWriter(batch),
}

class SymposiumWriter implements KindWriter<SymposiumChecked> {
  private readonly rows: SymposiumRow[] = []
  /** Filled by queueRemark, written by write(). */
  readonly remarks: RemarkRow[] = []
  readonly changes: FollowUpChangeRow[] = []
  constructor(private readonly batch: Batch) {}

  /** Every symposium the batch names: its own records and the ones other items refer to. */
  async load(): Promise<void> {
    const refs = new Set<string>()
    for (const c of this.batch.items) if (c.symposiumRef) refs.add(c.symposiumRef)
    const [found] = await Promise.all([findSymposiums(this.batch.trx, [...refs]), ledgerState(this.batch)])
    for (const [id, s] of found)
      this.batch.symposiums.set(id, { campaign: s.campaign_id, hash: s.content_hash, community: s.community_id, street: s.street_id })
  }

  async decide(c: SymposiumChecked) {
    const { batch } = this
    const prior = batch.symposiums.get(c.id)
    if (prior) {
      if (prior.hash !== c.hash) batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      return { id: c.id, status: prior.hash === c.hash ? ('duplicate' as const) : ('conflict' as const) }
    }
    const ledger = await ledgerState(batch)
    if (c.item.remarks.some((r) => ledger.remarks.has(r.id))) return rejectedResult(c.id, 'invalid_id', 'a remark id is already in use')
    const { item } = c
    batch.symposiums.set(c.id, { campaign: c.campaignId, hash: c.hash, community: item.communityId, street: item.streetId })
    this.rows.push(symposiumRow(item, c.hash, batch.req.deviceId, batch.receivedAt))
    const at = { campaignId: c.campaignId, symposiumId: item.id, community: item.communityId, street: item.streetId }
    for (const r of item.remarks) queueRemark(this, ledger, batch, at, r.id, r, c.hash)
    return { id: c.id, status: 'created' as const }
  }

  async write(): Promise<void> {
    const { trx, principal, deps } = this.batch
    await insertSymposiums(trx, this.rows)
    await insertRemarks(trx, this.remarks)
    await insertChanges(trx, this.changes)
    // Staff records are audited in the batch's transaction; no speaker detail or remark text goes into the log.
    if (principal.kind !== 'staff') return
    for (const s of this.rows) {
      const remarks = this.remarks.filter((r) => r.symposium_id === s.id).length
      const target = { type: 'symposium', id: s.id, campaignId: s.campaign_id }
      await audit(deps, principal, 'symposium.update', target, null, { title: s.title, date: s.date, remarks }, trx)
    }
  }
}

/**
 * When a remark was recorded: the time in its UUIDv7 (made on the recorder's device as it was typed),
 * never later than its receipt; the receipt for an id of another version.
 */
function recordedAt(remarkId: string, receivedAt: string): string {
  if (!UUIDV7.test(remarkId)) return receivedAt
  return new Date(Math.min(uuidv7Time(remarkId), Date.parse(receivedAt))).toISOString()
}
const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7/i

/** A remark's follow-up as first recorded: the first change of its history, with the remark's own id. */
/**
 * A new remark (inside its symposium or sent on its own): its row, and its first follow-up as the first
 * change of its history; both known to the batch's ledger so later items of the batch see them.
 */
export function queueRemark(
  out: { remarks: RemarkRow[]; changes: FollowUpChangeRow[] },
  ledger: LedgerState,
  batch: Batch,
  at: { campaignId: string; symposiumId: string; community: string | null; street: string | null },
  id: string,
  remark: RemarkBody,
  hash: string,
): void {
  const userId = batch.principal.kind === 'staff' ? batch.principal.userId : null
  ledger.remarks.set(id, { campaign: at.campaignId, community: at.community, street: at.street, hash })
  out.remarks.push({
    id,
    campaign_id: at.campaignId,
    symposium_id: at.symposiumId,
    community_id: at.community,
    street_id: at.street,
    speaker_category: remark.speakerCategory,
    kind: remark.kind,
    text: remark.text,
    public: 0,
    public_changed_at: null,
    public_by: null,
    content_hash: hash,
    device_id: batch.req.deviceId,
    user_id: userId,
    received_at: batch.receivedAt,
  })
  if (remark.followUp) {
    ledger.changes.set(id, { remark: id, status: remark.followUp.status, hash })
    out.changes.push(firstChange(id, at.campaignId, remark.followUp, hash, batch, userId))
  }
}

function firstChange(
  remarkId: string,
  campaignId: string,
  followUp: { owner: string; dueDate: string | null; status: string },
  hash: string,
  batch: Batch,
  userId: string | null,
): FollowUpChangeRow {
  return {
    id: remarkId,
    campaign_id: campaignId,
    remark_id: remarkId,
    base_id: null,
    owner: followUp.owner,
    due_date: followUp.dueDate,
    status: followUp.status,
    from_status: null,
    note: '',
    changed_at: recordedAt(remarkId, batch.receivedAt),
    received_at: batch.receivedAt,
    user_id: userId,
    device_id: batch.req.deviceId,
    content_hash: hash,
  }
}

function symposiumRow(s: SymposiumItem, hash: string, deviceId: string, at: string): SymposiumRow {
  return {
    id: s.id,
    campaign_id: s.campaignId,
    community_id: s.communityId,
    street_id: s.streetId,
    title: s.title,
    date: s.date,
    place: s.place,
    host: s.host,
    recorder: s.recorder,
    attendees_json: JSON.stringify(s.attendees),
    remarks_json: JSON.stringify(s.remarks),
    content_hash: hash,
    device_id: deviceId,
    received_at: at,
  }
}
