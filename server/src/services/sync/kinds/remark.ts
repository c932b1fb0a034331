import { RemarkItem } from '@minyi/shared/schemas'
import type { FollowUpChangeRow, RemarkRow } from '../../../db/queries/ledger.ts'
import { insertChanges, insertRemarks } from '../../../db/queries/ledger.ts'
import { audit } from '../../audit.ts'
import { canonicalJson, sha256Hex } from '../../hashing.ts'
import { conflictRow } from '../conflicts.ts'
import { type Batch, type CheckedItem, type ItemKind, type KindWriter, type ParsedItem, rejected, rejectedResult } from '../kind.ts'
import { issueMessage } from '../parse.ts'
import { ledgerState, mayRecordAt } from './ledger-state.ts'
import { queueRemark, symposiumIssueCode } from './symposium.ts'

interface RemarkParsed extends ParsedItem {
  kind: 'remark'
  item: RemarkItem
}
interface RemarkChecked extends CheckedItem {
  kind: 'remark'
  item: RemarkItem
}

/**
 * A remark added after its symposium was first sent (docs/SERVER.md, kind `remark`), under staff
 * credentials. Its symposium must be stored or come earlier in the batch (`unknown_symposium`), in the
 * same campaign; a worker adds remarks only where assigned. Same id and content is a `duplicate`,
 * other content a `conflict` (kept in `conflicts`, the stored remark unchanged).
 */
export const remarkKind: ItemKind<RemarkParsed, RemarkChecked> = {
  kind: 'remark',

  parse(raw, id) {
    const r = RemarkItem.safeParse(raw)
    if (r.success) return { kind: 'remark', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
    const issue = r.error.issues[0]
    return rejected(id, symposiumIssueCode(issue), issueMessage(issue))
  },

  check(p, ctx, principal) {
    if (!ctx) return rejected(p.id, 'unknown_campaign')
    if (principal.kind !== 'staff') return rejected(p.id, 'channel_forbidden')
    return {
      kind: 'remark',
      id: p.id,
      campaignId: p.campaignId,
      item: p.item,
      ctx,
      hash: sha256Hex(canonicalJson(p.item)),
      symposiumRef: p.item.symposiumId,
    }
  },

  writer: (batch) => new RemarkWriter(batch),
}

class RemarkWriter implements KindWriter<RemarkChecked> {
  /** Filled by queueRemark, written by write(). */
  readonly remarks: RemarkRow[] = []
  readonly changes: FollowUpChangeRow[] = []
  constructor(private readonly batch: Batch) {}

  async load(): Promise<void> {
    await ledgerState(this.batch)
  }

  async decide(c: RemarkChecked) {
    const { batch } = this
    const ledger = await ledgerState(batch)
    const prior = ledger.remarks.get(c.id)
    if (prior) {
      if (prior.hash === c.hash) return { id: c.id, status: 'duplicate' as const }
      batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      return { id: c.id, status: 'conflict' as const }
    }
    const s = batch.symposiums.get(c.item.symposiumId)
    if (!s || s.campaign !== c.campaignId) return rejectedResult(c.id, 'unknown_symposium')
    const denied = mayRecordAt(batch.principal, c.ctx, s.community, s.street)
    if (denied) return rejectedResult(c.id, denied)
    const at = { campaignId: c.campaignId, symposiumId: c.item.symposiumId, community: s.community, street: s.street }
    queueRemark(this, ledger, batch, at, c.id, c.item.remark, c.hash)
    return { id: c.id, status: 'created' as const }
  }

  async write(): Promise<void> {
    const { trx, principal, deps } = this.batch
    await insertRemarks(trx, this.remarks)
    await insertChanges(trx, this.changes)
    if (principal.kind !== 'staff') return
    for (const r of this.remarks) {
      const after = { symposiumId: r.symposium_id, kind: r.kind, speakerCategory: r.speaker_category }
      await audit(deps, principal, 'symposium.update', { type: 'remark', id: r.id, campaignId: r.campaign_id }, null, after, trx)
    }
  }
}
