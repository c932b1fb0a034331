import { concurrentChanges, followUpHead, isOverdue } from '@minyi/shared/ledger'
import {
  AttendeeCategory,
  type FollowUpChange,
  FollowUpStatus,
  type LedgerEntry,
  type LedgerSummary,
  REMARK_KINDS,
  RemarkKind,
} from '@minyi/shared/schemas'
import { shanghaiDay } from '@minyi/shared/time'
import { type FollowUpChangeRow, getRemark, listChanges, listRemarks, setRemarkPublic } from '../../db/queries/ledger.ts'
import { listSymposiums } from '../../db/queries/symposiums.ts'
import { ProblemError } from '../../http/problem.ts'
import { requireContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'

// The 整改台账 (C4): every remark of every symposium of a campaign, its current follow-up (the rules
// are shared/src/ledger.ts) and every change with who, when, from → to and the note.

type ChangeRow = FollowUpChangeRow & { by: string | null }

function changeOut(r: ChangeRow, concurrent: Set<string>): FollowUpChange {
  return {
    id: r.id,
    base: r.base_id,
    changedAt: r.changed_at,
    receivedAt: r.received_at,
    by: r.by,
    from: r.from_status === null ? null : FollowUpStatus.parse(r.from_status),
    to: FollowUpStatus.parse(r.status),
    owner: r.owner,
    dueDate: r.due_date,
    note: r.note,
    concurrent: concurrent.has(r.id),
  }
}

/** Changes grouped by remark, in the order they were made. */
function byRemark(changes: readonly ChangeRow[]): Map<string, ChangeRow[]> {
  const out = new Map<string, ChangeRow[]>()
  for (const c of changes) out.set(c.remark_id, [...(out.get(c.remark_id) ?? []), c])
  return out
}

/** The whole ledger of a campaign, symposium by symposium (by date), each one's remarks by id (UUIDv7: the order recorded). */
export async function campaignLedger(deps: Deps, campaignId: string): Promise<LedgerEntry[]> {
  await requireContext(deps, campaignId)
  const db = deps.db.db
  const [symposiums, remarks, changes] = await Promise.all([
    listSymposiums(db, campaignId),
    listRemarks(db, campaignId),
    listChanges(db, campaignId),
  ])
  const grouped = byRemark(changes)
  const today = shanghaiDay(deps.now())
  const order = new Map(symposiums.map((s, i) => [s.id, i]))
  const bySymposium = new Map(symposiums.map((s) => [s.id, s]))
  return remarks
    .filter((r) => bySymposium.has(r.symposium_id))
    .sort((a, b) => (order.get(a.symposium_id) ?? 0) - (order.get(b.symposium_id) ?? 0))
    .map((r) => {
      const s = bySymposium.get(r.symposium_id) as NonNullable<ReturnType<typeof bySymposium.get>>
      const history = grouped.get(r.id) ?? []
      const concurrent = concurrentChanges(history.map((c) => ({ id: c.id, base: c.base_id, changedAt: c.changed_at })))
      const head = followUpHead(history.map((c) => ({ id: c.id, base: c.base_id, changedAt: c.changed_at, row: c })))?.row ?? null
      const followUp = head ? { owner: head.owner, dueDate: head.due_date, status: FollowUpStatus.parse(head.status) } : null
      return {
        remarkId: r.id,
        symposiumId: s.id,
        symposiumTitle: s.title,
        symposiumDate: s.date,
        communityId: r.community_id,
        streetId: r.street_id,
        speakerCategory: AttendeeCategory.parse(r.speaker_category),
        kind: RemarkKind.parse(r.kind),
        text: r.text,
        public: r.public === 1,
        followUp,
        head: head?.id ?? null,
        lastChangedAt: head?.changed_at ?? null,
        overdue: isOverdue(followUp, today),
        conflict: concurrent.size > 0,
        history: history.map((c) => changeOut(c, concurrent)),
      }
    })
}

/**
 * The symposium figures of a campaign, reported separately (METHOD.md §8): symposiums held,
 * attendees, and per kind of remark how many were raised, followed up, done, open and overdue.
 * Used by the console, the exports and the report.
 */
export async function ledgerSummary(deps: Deps, campaignId: string): Promise<LedgerSummary> {
  const entries = await campaignLedger(deps, campaignId)
  const symposiums = await listSymposiums(deps.db.db, campaignId)
  const count = () => ({ raised: 0, followedUp: 0, done: 0, open: 0, overdue: 0 })
  const byKind = Object.fromEntries(REMARK_KINDS.map((k) => [k, count()])) as LedgerSummary['byKind']
  for (const e of entries) {
    const k = byKind[e.kind]
    k.raised++
    if (!e.followUp) continue
    k.followedUp++
    if (e.followUp.status === 'done') k.done++
    else k.open++
    if (e.overdue) k.overdue++
  }
  let attendees = 0
  for (const s of symposiums) for (const n of Object.values(JSON.parse(s.attendees_json) as Record<string, number>)) attendees += n
  return { symposiums: symposiums.length, attendees, remarks: entries.length, byKind }
}

/** Staff show a remark on its community's public page, or take it off (who and when are kept). */
export async function setPublic(deps: Deps, campaignId: string, remarkId: string, pub: boolean, userId: string): Promise<LedgerEntry> {
  await requireContext(deps, campaignId)
  const r = await getRemark(deps.db.db, remarkId)
  if (!r || r.campaign_id !== campaignId) throw new ProblemError('not_found')
  await setRemarkPublic(deps.db.db, remarkId, pub, deps.now().toISOString(), userId)
  const entry = (await campaignLedger(deps, campaignId)).find((e) => e.remarkId === remarkId)
  if (!entry) throw new ProblemError('not_found')
  return entry
}
