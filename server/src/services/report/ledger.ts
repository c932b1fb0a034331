import type { Remark } from '@minyi/shared/schemas'

/** One kind's line of the follow-up ledger (整改台账): raised, and how far their follow-up has come. */
export interface LedgerLine {
  kind: Remark['kind']
  raised: number
  done: number
  inProgress: number
  todo: number
  /** Raised with no follow-up asked for (a praise, usually). */
  none: number
}

export interface LedgerSummary {
  byKind: LedgerLine[]
  total: Omit<LedgerLine, 'kind'> & { open: number }
}

const KINDS: Remark['kind'][] = ['problem', 'suggestion', 'praise']

/** The ledger's summary (raised / done / open, by kind) over every remark of a campaign's symposiums. */
export function ledgerSummary(remarks: readonly Remark[]): LedgerSummary {
  const line = (kind: Remark['kind']): LedgerLine => ({ kind, raised: 0, done: 0, inProgress: 0, todo: 0, none: 0 })
  const byKind = new Map(KINDS.map((k) => [k, line(k)]))
  for (const r of remarks) {
    const l = byKind.get(r.kind) ?? line(r.kind)
    byKind.set(r.kind, l)
    l.raised++
    const s = r.followUp?.status
    if (s === 'done') l.done++
    else if (s === 'in_progress') l.inProgress++
    else if (s === 'todo') l.todo++
    else l.none++
  }
  const lines = [...byKind.values()]
  const sum = (f: (l: LedgerLine) => number) => lines.reduce((a, l) => a + f(l), 0)
  const total = {
    raised: sum((l) => l.raised),
    done: sum((l) => l.done),
    inProgress: sum((l) => l.inProgress),
    todo: sum((l) => l.todo),
    none: sum((l) => l.none),
    open: sum((l) => l.inProgress + l.todo),
  }
  return { byKind: lines, total }
}
