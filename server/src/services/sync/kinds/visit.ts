import { isLaterVisit } from '@minyi/shared/method'
import type { ProblemCode } from '@minyi/shared/problems'
import { VisitItem } from '@minyi/shared/schemas'
import {
  addFieldworkCounts,
  type FieldworkDelta,
  findStoredVisitHashes,
  getHousehold,
  type HouseholdRow,
  insertNewHouseholds,
  insertVisits,
  replaceHouseholdIf,
  type VisitRow,
} from '../../../db/queries/visits.ts'
import type { Q } from '../../../db/tx.ts'
import { canonicalJson, sha256Hex } from '../../hashing.ts'
import { conflictRow } from '../conflicts.ts'
import { type Batch, type CheckedItem, type ItemKind, type KindWriter, type ParsedItem, rejected } from '../kind.ts'
import { issueMessage } from '../parse.ts'

interface VisitParsed extends ParsedItem {
  kind: 'visit'
  item: VisitItem
}
interface VisitChecked extends CheckedItem {
  kind: 'visit'
  item: VisitItem
  /** visitedAt as a UTC instant: stored, hashed and compared in this form. */
  visitedAt: string
}

/** The stable code of a visit's first schema complaint. */
function codeOf(issue: { path: PropertyKey[]; code: string } | undefined): ProblemCode {
  switch (issue?.path[0]) {
    case 'id':
      return 'invalid_id'
    case 'visitedAt':
      return 'invalid_time'
    case 'householdKey':
      return 'invalid_household_key'
    case 'outcome':
      return 'invalid_outcome'
    case 'responseId':
      // The refinement "only a completed visit names a response"; a malformed id is a plain invalid item.
      return issue.code === 'custom' ? 'invalid_outcome' : 'invalid_item'
    default:
      return 'invalid_item'
  }
}

/**
 * One door-to-door visit (PRODUCT.md Contracts, kind `visit`; METHOD.md §11): sent under a worker's
 * credentials for a community assigned to them (or imported from a worker's file by staff, like door
 * answers). Same id and content is a duplicate, different content a conflict (kept in `conflicts`,
 * the stored visit unchanged); a new visit is stored and moves its household's final outcome forward
 * when it is the household's latest visit, keeping the fieldwork counts in step.
 */
export const visitKind: ItemKind<VisitParsed, VisitChecked> = {
  kind: 'visit',

  parse(raw, id) {
    const r = VisitItem.safeParse(raw)
    if (r.success) return { kind: 'visit', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
    const issue = r.error.issues[0]
    return rejected(id, codeOf(issue), issueMessage(issue))
  },

  isStale: ({ item }, ctx) => !ctx?.communities.has(item.communityId),

  check(p, ctx, principal, opts) {
    const { id, item } = p
    if (!ctx) return rejected(id, 'unknown_campaign')
    if (ctx.row.status === 'draft') return rejected(id, 'campaign_not_open')
    if (!ctx.communities.has(item.communityId)) return rejected(id, 'unknown_community')
    if (principal.kind !== 'staff') return rejected(id, 'channel_forbidden')
    if (principal.role !== 'worker' && !opts.importing) return rejected(id, 'channel_forbidden')
    if (principal.role === 'worker' && !principal.communityIds.includes(item.communityId)) return rejected(id, 'community_not_assigned')
    const visitedAt = new Date(item.visitedAt).toISOString()
    const content = { ...item, visitedAt, evidence: item.evidence ?? null }
    return {
      kind: 'visit',
      id,
      campaignId: p.campaignId,
      item,
      ctx,
      visitedAt,
      hash: sha256Hex(canonicalJson(content)),
      symposiumRef: null,
    }
  },

  writer: (batch) => new VisitWriter(batch),
}

class VisitWriter implements KindWriter<VisitChecked> {
  /** Hash of every visit id known so far: stored, or new earlier in this batch. */
  private known = new Map<string, string>()
  private readonly created: VisitChecked[] = []
  constructor(private readonly batch: Batch) {}

  async load(items: VisitChecked[]): Promise<void> {
    this.known = await findStoredVisitHashes(
      this.batch.trx,
      items.map((c) => c.id),
    )
  }

  async decide(c: VisitChecked) {
    const { batch } = this
    const prior = this.known.get(c.id)
    if (prior !== undefined) {
      if (prior === c.hash) return { id: c.id, status: 'duplicate' as const }
      batch.conflicts.push(conflictRow(c.id, c.campaignId, batch.req.deviceId, c.hash, c.item, batch.receivedAt))
      return { id: c.id, status: 'conflict' as const }
    }
    this.known.set(c.id, c.hash)
    this.created.push(c)
    return { id: c.id, status: 'created' as const }
  }

  async write(): Promise<void> {
    if (this.created.length === 0) return
    const { batch } = this
    const workerId = batch.principal.kind === 'staff' ? batch.principal.userId : null
    const rows: VisitRow[] = this.created.map((c) => ({
      id: c.id,
      campaign_id: c.campaignId,
      community_id: c.item.communityId,
      household_key: c.item.householdKey,
      outcome: c.item.outcome,
      visited_at: c.visitedAt,
      response_id: c.item.responseId,
      worker_id: workerId,
      device_id: batch.req.deviceId,
      received_at: batch.receivedAt,
      content_hash: c.hash,
      evidence_json: c.item.evidence ? JSON.stringify(c.item.evidence) : null,
    }))
    await insertVisits(
      batch.trx,
      rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    )
    await moveHouseholds(batch.trx, rows)
  }
}

const householdOf = (v: VisitRow): HouseholdRow => ({
  campaign_id: v.campaign_id,
  household_key: v.household_key,
  community_id: v.community_id,
  outcome: v.outcome,
  visited_at: v.visited_at,
  visit_id: v.id,
})
const later = (a: HouseholdRow, b: HouseholdRow) =>
  isLaterVisit({ id: a.visit_id, visitedAt: a.visited_at }, { id: b.visit_id, visitedAt: b.visited_at })

/** A household's final visit moved by a concurrent instance between our read and our write this many times in a row is an error. */
const MAX_ATTEMPTS = 8

/**
 * Each household's final visit becomes the latest of the stored one and the new ones (METHOD.md §11,
 * the shared `isLaterVisit`); each change moves one household between fieldwork counts. Households
 * are taken in key order, so concurrent instances lock them in one order.
 */
async function moveHouseholds(trx: Q, visits: readonly VisitRow[]): Promise<void> {
  const latest = new Map<string, HouseholdRow>()
  for (const v of visits) {
    const k = `${v.campaign_id}|${v.household_key}`
    const h = householdOf(v)
    const prior = latest.get(k)
    if (!prior || later(h, prior)) latest.set(k, h)
  }
  const keys = [...latest.keys()].sort()
  const deltas = new Map<string, FieldworkDelta>()
  const move = (h: HouseholdRow, by: 1 | -1) => {
    const k = `${h.campaign_id}|${h.community_id}|${h.outcome}`
    const d = deltas.get(k) ?? { campaign_id: h.campaign_id, community_id: h.community_id, outcome: h.outcome, count: 0 }
    d.count += by
    deltas.set(k, d)
  }
  const inserted = await insertNewHouseholds(
    trx,
    keys.map((k) => latest.get(k) as HouseholdRow),
  )
  for (const k of keys) {
    const next = latest.get(k) as HouseholdRow
    if (inserted.has(k)) {
      move(next, 1)
      continue
    }
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw new Error(`household ${k}: its final visit kept changing under this transaction`)
      const stored = await getHousehold(trx, next.campaign_id, next.household_key)
      if (!stored) {
        // A concurrent insert we deferred to was rolled back: insert it ourselves.
        if ((await insertNewHouseholds(trx, [next])).size === 1) {
          move(next, 1)
          break
        }
        continue
      }
      if (!later(next, stored)) break
      if (await replaceHouseholdIf(trx, next, stored.visit_id)) {
        move(stored, -1)
        move(next, 1)
        break
      }
    }
  }
  await addFieldworkCounts(trx, [...deltas.values()])
}
