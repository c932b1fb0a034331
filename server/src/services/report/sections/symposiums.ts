import { formatRate } from '@minyi/shared/method'
import type { LedgerSummary } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import type { Section } from '../data.ts'
import { type Block, para, table } from '../style.ts'

type KindCount = LedgerSummary['byKind']['problem']

const KIND = {
  problem: { zh: '问题', en: 'Problems' },
  suggestion: { zh: '建议', en: 'Suggestions' },
  praise: { zh: '表扬', en: 'Praise' },
} as const

/** 三、座谈会情况: the symposiums held and their rating sheets (shown apart), then the follow-up ledger's summary. */
export const symposiumsSection: Section = (d, n, r) => {
  const { w, indicator: ind } = r
  const source = w.sourceSymposium(r.ctx.row.title, shanghaiDateTime(r.generatedAt))
  const out: Block[] = [n.heading(d, 1, w.hSymposiums)]
  if (r.symposiums.length === 0) return [...out, para(d, w.symposiumsHeld(0, 0, ''))]
  const sheets = ind.byChannel.find((c) => c.channel === 'symposium')
  if (sheets && sheets.received > 0)
    out.push(para(d, w.symposiumSheets(sheets.received, sheets.valid, formatRate(sheets.rate), sheets.smallSample, sheets.pooled)))
  out.push(
    ...table(d, n, {
      title: w.tSymposiums,
      header: [w.colTitle, w.colDate, w.colPlace, w.colAttendees, w.colSheets, w.colRemarks],
      rows: r.symposiums.map((s) => [
        s.title,
        s.date,
        s.place,
        `${Object.values(s.attendees).reduce((a, b) => a + b, 0)}`,
        `${s.sheets}`,
        `${s.remarks}`,
      ]),
      widths: [4, 2, 3, 1.5, 1.5, 1.5],
      source,
    }),
  )
  const kinds = ['problem', 'suggestion', 'praise'] as const
  const lines = kinds.map((k) => r.ledger.byKind[k])
  const sum = (f: (l: KindCount) => number) => lines.reduce((a, l) => a + f(l), 0)
  const total: KindCount = {
    raised: sum((l) => l.raised),
    followedUp: sum((l) => l.followedUp),
    done: sum((l) => l.done),
    open: sum((l) => l.open),
    overdue: sum((l) => l.overdue),
  }
  out.push(n.heading(d, 2, w.hLedger), para(d, w.ledger(total.raised, total.done, total.open)))
  const line = (label: string, l: KindCount) => [label, `${l.raised}`, `${l.followedUp}`, `${l.done}`, `${l.open}`, `${l.overdue}`]
  out.push(
    ...table(d, n, {
      title: w.tLedger,
      header: [w.colKind, w.colRaised, w.colFollowedUp, w.colDone, w.colOpen, w.colOverdue],
      rows: [...kinds.map((k, i) => line(KIND[k][w.locale], lines[i] as KindCount)), line(w.total, total)],
      source,
    }),
  )
  return out
}
