import { formatRate } from '@minyi/shared/method'
import { shanghaiDateTime } from '@minyi/shared/time'
import type { Section } from '../data.ts'
import { type Block, para, table } from '../style.ts'

const KIND: Record<string, { zh: string; en: string }> = {
  problem: { zh: '问题', en: 'Problems' },
  suggestion: { zh: '建议', en: 'Suggestions' },
  praise: { zh: '表扬', en: 'Praise' },
}

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
        `${s.remarks.length}`,
      ]),
      widths: [4, 2, 3, 1.5, 1.5, 1.5],
      source,
    }),
  )
  const t = r.ledger.total
  out.push(n.heading(d, 2, w.hLedger), para(d, w.ledger(t.raised, t.done, t.open)))
  const line = (label: string, l: { raised: number; done: number; inProgress: number; todo: number; none: number }) => [
    label,
    `${l.raised}`,
    `${l.done}`,
    `${l.inProgress}`,
    `${l.todo}`,
    `${l.inProgress + l.todo}`,
    `${l.none}`,
  ]
  out.push(
    ...table(d, n, {
      title: w.tLedger,
      header: [w.colKind, w.colRaised, w.colDone, w.colInProgress, w.colTodo, w.colOpen, w.colNoFollowUp],
      rows: [...r.ledger.byKind.map((l) => line(KIND[l.kind]?.[w.locale] ?? l.kind, l)), line(w.total, t)],
      source,
    }),
  )
  return out
}
