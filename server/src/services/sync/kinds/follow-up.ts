import { FollowUpItem } from '@minyi/shared/schemas'
import type { FollowUpChangeRow } from '../../../db/queries/ledger.ts'
import { insertChanges } from '../../../db/queries/ledger.ts'
import { audit } from '../../audit.ts'
import { canonicalJson, sha256Hex } from '../../hashing.ts'
import { conflictRow } from '../conflicts.ts'
import { type Batch, type CheckedItem, type ItemKind, type KindWriter, type ParsedItem, rejected, rejectedResult } from '../kind.ts'
import { issueMessage } from '../parse.ts'
import { ledgerState, mayRecordAt } from './ledger-state.ts'
import { symposiumIssueCode } from './symposium.ts'

interface FollowUpParsed extends ParsedItem {
  kind: 'follow_up'
  item: FollowUpItem
}
interface FollowUpChecked extends CheckedItem {
  kind: 'follow_up'
  item: FollowUpItem
  /** changedAt as a UTC instant: stored, hashed and compared in this form. */
  changedAt: string
}

/**
 * One change of a remark's follow-up (docs/SERVER.md, kind `follow_up`), under staff credentials: a
 * recorder in the worker app, or staff in the console's 整改台账. Appended, never applied over another
 * change: the remark must be stored or come earlier in the batch (`unknown_remark`); same id and
 * content is a `duplicate`, other content a `conflict`. A change whose base another change already
 * has is stored too; the ledger shows the two as concurrent (shared/src/ledger.ts).
 */
export const followUpKind: ItemKind<FollowUpParsed, FollowUpChecked> = {
  kind: 'follow_up',

  parse(raw, id) {
    const r = FollowUpItem.safeParse(raw)
    if (r.success) return { kind: 'follow_up', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
    const issue = r.error.issues[0]
    const code = issue?.path[0] === 'changedAt' ? 'invalid_time' : symposiumIssueCode(issue)
    return rejected(id, code, issueMessage(issue))
  },

  check(p, ctx, principal) {
    if (!ctx) return rejected(p.id, 'unknown_campaign')
    if (principal.kind !== 'staff') return rejected(p.id, 'channel_forbidden')
    if (p.item.base === p.id) return rejected(p.id, 'invalid_item', 'a change cannot be its own base')
    const changedAt = new Date(p.item.changedAt).toISOString()
    return {
      kind: 'follow_up',
      id: p.id,
      campaignId: p.campaignId,
      item: p.item,
      ctx,
      changedAt,
      hash: sha256Hex(canonicalJson({ ...p.item, changedAt })),
      symposiumRef: null,
    }
  },

  writer: (batch) => new FollowUpWriter(batch),
}

class FollowUpWriter implements KindWriter<FollowUpChecked> {
  private readonly rows: FollowUpChangeRow[] = []
  constructor(private readonly batch: Batch) {}

  async load(): Promise<void> {
    await ledgerState(this.batch)
  }

  async decide(c: FollowUpChecked) {
    const { batch } = this
    const ledger = await ledgerState(batch)
    const prior = ledger.changes.get(c.id)
    if (prior) {
      if (prior.hash === c.hash) return { id: c.id, status: 'duplicate' as const }
      batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      return { id: c.id, status: 'conflict' as const }
    }
    const { item } = c
    const remark = ledger.remarks.get(item.remarkId)
    if (!remark || remark.campaign !== c.campaignId) return rejectedResult(c.id, 'unknown_remark')
    const denied = mayRecordAt(batch.principal, c.ctx, remark.community, remark.street)
    if (denied) return rejectedResult(c.id, denied)
    // null base: the remark as recorded, i.e. its first follow-up when it had one.
    const first = ledger.changes.get(item.remarkId)
    const baseId = item.base ?? (first?.remark === item.remarkId ? item.remarkId : null)
    const base = baseId ? ledger.changes.get(baseId) : undefined
    if (base && base.remark !== item.remarkId) return rejectedResult(c.id, 'invalid_item', 'the base is a change of another remark')
    ledger.changes.set(c.id, { remark: item.remarkId, status: item.followUp.status, hash: c.hash })
    this.rows.push({
      id: c.id,
      campaign_id: c.campaignId,
      remark_id: item.remarkId,
      base_id: baseId,
      owner: item.followUp.owner,
      due_date: item.followUp.dueDate,
      status: item.followUp.status,
      from_status: base?.status ?? null,
      note: item.note,
      changed_at: c.changedAt,
      received_at: batch.receivedAt,
      user_id: batch.principal.kind === 'staff' ? batch.principal.userId : null,
      device_id: batch.req.deviceId,
      content_hash: c.hash,
    })
    return { id: c.id, status: 'created' as const }
  }

  async write(): Promise<void> {
    const { trx, principal, deps } = this.batch
    await insertChanges(trx, this.rows)
    if (principal.kind !== 'staff') return
    for (const r of this.rows) {
      const target = { type: 'remark', id: r.remark_id, campaignId: r.campaign_id }
      const after = { status: r.status, owner: r.owner, dueDate: r.due_date, change: r.id }
      await audit(deps, principal, 'followup.update', target, { status: r.from_status }, after, trx)
    }
  }
}
