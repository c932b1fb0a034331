import { ATTENDEE_LABELS, CHANNEL_LABELS, labelOf, reasonLabel } from '@minyi/shared/labels'
import { formatRate } from '@minyi/shared/method'
import { shanghaiDay } from '@minyi/shared/time'
import type { Section } from '../data.ts'
import { para } from '../style.ts'

/** 一、评价方法与数据采集: period, communities, channels, questionnaires received and valid, symposiums and attendees. */
export const collectionSection: Section = (d, n, r) => {
  const { w, indicator: ind, ctx } = r
  const lang = w.locale
  const out = [n.heading(d, 1, w.hCollection)]
  out.push(
    para(
      d,
      w.collection({
        from: shanghaiDay(ctx.row.opens_at),
        to: shanghaiDay(ctx.row.closes_at),
        communities: ctx.communities.size,
        names: w.list([...ctx.communities.values()].map((c) => c.name)),
        channels: w.list(ind.channels.map((c) => labelOf(CHANNEL_LABELS, c, lang))),
        received: ind.n.received,
        valid: ind.n.valid,
        validRate: formatRate(ind.validRate),
      }),
    ),
  )
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .filter(([, k]) => k > 0)
      .map(([reason, k]) => w.count(reasonLabel(reason, lang), k))
  const excluded = counts(ind.n.excluded)
  const flagged = counts(ind.n.flagged)
  const notes: string[] = []
  if (excluded.length > 0) notes.push(w.excluded(w.list(excluded)))
  if (flagged.length > 0) notes.push(w.flagged(w.list(flagged)))
  // Attendees of every symposium, by category, in the shared words.
  const byCategory = new Map<string, number>()
  for (const s of r.symposiums) for (const [k, v] of Object.entries(s.attendees)) byCategory.set(k, (byCategory.get(k) ?? 0) + v)
  const people = [...byCategory.values()].reduce((a, b) => a + b, 0)
  notes.push(
    w.symposiumsHeld(
      r.symposiums.length,
      people,
      w.list([...byCategory].filter(([, v]) => v > 0).map(([k, v]) => w.people(labelOf(ATTENDEE_LABELS, k, lang), v))),
    ),
  )
  out.push(para(d, notes.join(lang === 'en' ? ' ' : '')))
  if (ind.n.valid === 0) out.push(para(d, w.noAnswers, 'Draft'))
  return out
}
