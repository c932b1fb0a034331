import type { FollowUpItem, FollowUpStatus, LedgerEntry, RemarkKind } from '@minyi/shared/schemas'

/**
 * The console's 整改台账 (LedgerPanel.vue lays it out): its filters, and a staff member's change of a
 * follow-up as the sync item it becomes (kind `follow_up`, on top of the entry's current change).
 */
export interface LedgerFilter {
  /** '' for any; 'none' for remarks without a follow-up. */
  status: FollowUpStatus | 'none' | ''
  kind: RemarkKind | ''
  communityId: string
  /** A substring of the owner, any case. */
  owner: string
  overdue: boolean
}

export const emptyLedgerFilter = (): LedgerFilter => ({ status: '', kind: '', communityId: '', owner: '', overdue: false })

/** The entries that pass every filter set. */
export function filterLedger(entries: readonly LedgerEntry[], f: LedgerFilter): LedgerEntry[] {
  const owner = f.owner.trim().toLowerCase()
  return entries.filter(
    (e) =>
      (f.status === '' || (f.status === 'none' ? e.followUp === null : e.followUp?.status === f.status)) &&
      (f.kind === '' || e.kind === f.kind) &&
      (f.communityId === '' || e.communityId === f.communityId) &&
      (owner === '' || (e.followUp?.owner.toLowerCase().includes(owner) ?? false)) &&
      (!f.overdue || e.overdue),
  )
}

/** The owners named in the ledger, for the owner filter's suggestions. */
export function ledgerOwners(entries: readonly LedgerEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.followUp?.owner ? [e.followUp.owner] : [])))].sort()
}

export interface ChangeForm {
  status: FollowUpStatus
  owner: string
  /** '' for no due date. */
  dueDate: string
  note: string
}

/** The form for a change of this entry's follow-up, starting from its current state. */
export function changeFormOf(e: LedgerEntry): ChangeForm {
  return { status: e.followUp?.status ?? 'todo', owner: e.followUp?.owner ?? '', dueDate: e.followUp?.dueDate ?? '', note: '' }
}

/** The `follow_up` item for a change made in the console, on top of the change the console showed. */
export function changeItem(campaignId: string, e: LedgerEntry, form: ChangeForm, id: string, now: Date): FollowUpItem {
  return {
    kind: 'follow_up',
    id,
    campaignId,
    remarkId: e.remarkId,
    base: e.head,
    followUp: { owner: form.owner.trim(), dueDate: form.dueDate || null, status: form.status },
    note: form.note.trim(),
    changedAt: now.toISOString(),
  }
}
