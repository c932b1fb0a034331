import { SymposiumItem } from '@minyi/shared/schemas'
import { findSymposiums, insertSymposiums, type SymposiumRow } from '../../../db/queries/symposiums.ts'
import { canonicalJson, sha256Hex } from '../../hashing.ts'
import { conflictRow } from '../conflicts.ts'
import { type Batch, type CheckedItem, type ItemKind, type KindWriter, type ParsedItem, rejected } from '../kind.ts'
import { issueMessage } from '../parse.ts'

interface SymposiumParsed extends ParsedItem {
  kind: 'symposium'
  item: SymposiumItem
}
interface SymposiumChecked extends CheckedItem {
  kind: 'symposium'
  item: SymposiumItem
}

/**
 * A symposium's record (PRODUCT.md: title, date, place, host, recorder, attendees, remarks), sent by
 * the staff member who recorded it. Rating sheets filled in at it are responses naming its id.
 */
export const symposiumKind: ItemKind<SymposiumParsed, SymposiumChecked> = {
  kind: 'symposium',

  parse(raw, id) {
    const r = SymposiumItem.safeParse(raw)
    if (r.success) return { kind: 'symposium', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
    const issue = r.error.issues[0]
    return rejected(id, issue?.path[0] === 'id' ? 'invalid_id' : 'invalid_item', issueMessage(issue))
  },

  check(p, ctx, principal) {
    const { item } = p
    if (!ctx) return rejected(item.id, 'unknown_campaign')
    // Symposiums are recorded by staff (the recorder); attendees only send rating sheets.
    if (principal.kind !== 'staff') return rejected(item.id, 'channel_forbidden')
    if (item.communityId !== null && !ctx.communities.has(item.communityId)) return rejected(item.id, 'unknown_community')
    return { kind: 'symposium', id: p.id, campaignId: p.campaignId, item, ctx, hash: sha256Hex(canonicalJson(item)), symposiumRef: item.id }
  },

  writer: (batch) => new SymposiumWriter(batch),
}

class SymposiumWriter implements KindWriter<SymposiumChecked> {
  private readonly rows: SymposiumRow[] = []
  constructor(private readonly batch: Batch) {}

  /** Every symposium the batch names: its own records and the ones other items refer to. */
  async load(): Promise<void> {
    const refs = new Set<string>()
    for (const c of this.batch.items) if (c.symposiumRef) refs.add(c.symposiumRef)
    for (const [id, s] of await findSymposiums(this.batch.trx, [...refs]))
      this.batch.symposiums.set(id, { campaign: s.campaign_id, hash: s.content_hash })
  }

  async decide(c: SymposiumChecked) {
    const { batch } = this
    const prior = batch.symposiums.get(c.id)
    if (prior) {
      if (prior.hash !== c.hash) batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      return { id: c.id, status: prior.hash === c.hash ? ('duplicate' as const) : ('conflict' as const) }
    }
    batch.symposiums.set(c.id, { campaign: c.campaignId, hash: c.hash })
    this.rows.push(symposiumRow(c.item, c.hash, batch.req.deviceId, batch.receivedAt))
    return { id: c.id, status: 'created' as const }
  }

  async write(): Promise<void> {
    await insertSymposiums(this.batch.trx, this.rows)
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
