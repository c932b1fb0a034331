/**
 * The rules of the 整改台账 (C4), one definition for the server (ledger, public page, exports), the
 * console and the worker app: which change of a follow-up is the current one, which changes were
 * made without seeing each other, and what is overdue.
 *
 * A follow-up's changes form a tree: each names the change its editor saw last (`base`; null for the
 * remark as first recorded). The current follow-up is the latest leaf (by the device's `changedAt`,
 * then id), so the answer does not depend on the order the changes arrived in. Two changes with the
 * same base are concurrent: both are kept, and the ledger shows them as a conflict.
 */

export interface ChangeLike {
  id: string
  base: string | null
  changedAt: string
}

const later = (a: ChangeLike, b: ChangeLike) => (a.changedAt !== b.changedAt ? a.changedAt > b.changedAt : a.id > b.id)

/** The change that gives a remark's current follow-up (null: none yet). `changes` are that remark's only. */
export function followUpHead<C extends ChangeLike>(changes: readonly C[]): C | null {
  const bases = new Set(changes.map((c) => c.base))
  let head: C | null = null
  for (const c of changes) if (!bases.has(c.id) && (!head || later(c, head))) head = c
  return head
}

/** Ids of the changes that share their base with another change (edits made without seeing each other). */
export function concurrentChanges(changes: readonly ChangeLike[]): Set<string> {
  const byBase = new Map<string, string[]>()
  for (const c of changes) {
    const k = c.base ?? ''
    byBase.set(k, [...(byBase.get(k) ?? []), c.id])
  }
  const out = new Set<string>()
  for (const ids of byBase.values()) if (ids.length > 1) for (const id of ids) out.add(id)
  return out
}

/** Due before `today` (YYYY-MM-DD, Asia/Shanghai) and not done. */
export function isOverdue(followUp: { dueDate: string | null; status: string } | null, today: string): boolean {
  return followUp !== null && followUp.status !== 'done' && followUp.dueDate !== null && followUp.dueDate < today
}
