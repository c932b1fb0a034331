import { formatRate } from '@minyi/shared/method'
import type { Section } from '../data.ts'
import { type Block, para } from '../style.ts'
import { markedRate } from '../words.ts'

/** How many of the lowest-rated items and most-chosen areas the draft names. */
const TOP = 3

/**
 * 四、存在问题及改进建议, drafted from the data as an evaluator would start it and marked as a draft:
 * the lowest-rated items, the communities below target, what residents most often asked to improve
 * (counts of a multiple-choice question), the symposiums' problems and suggestions still open, how
 * many questionnaires carry a comment. Counts only: nobody is quoted.
 */
export const problemsSection: Section = (d, n, r) => {
  const { w, indicator: ind } = r
  const target = ind.score.target
  const out: Block[] = [n.heading(d, 1, w.hProblems), para(d, w.draftNote, 'Draft'), n.heading(d, 2, w.hProblemsFound)]
  const found: string[] = []
  const lowest = ind.byItem
    .filter((it) => it.rate !== null && !it.overall)
    .sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0))
    .slice(0, TOP)
  if (lowest.length > 0)
    found.push(w.lowestItems(w.list(lowest.map((it) => w.itemWithRate(r.title(it.questionId), markedRate(w, it.rate, it.smallSample))))))
  const below = ind.byCommunity.filter((c) => c.rate !== null && c.rate < target)
  const name = (id: string) => r.communityName.get(id) ?? id
  if (below.length > 0)
    found.push(
      w.communitiesBelow(
        w.list(below.map((c) => w.itemWithRate(name(c.communityId), markedRate(w, c.rate, c.smallSample)))),
        formatRate(target),
      ),
    )
  for (const c of r.choices)
    if (c.base > 0 && c.counts.length > 0)
      found.push(
        w.improveAreas(c.title, w.list(c.counts.slice(0, TOP).map(([label, k]) => w.areaCount(label, k, formatRate(k / c.base)))), c.base),
      )
  const { problem, suggestion, praise } = r.ledger.byKind
  const open = problem.open + suggestion.open + praise.open
  if (problem.raised + suggestion.raised > 0) found.push(w.remarksRaised(problem.raised, suggestion.raised, open))
  if (r.comments > 0) found.push(w.comments(r.comments))
  if (found.length === 0) found.push(w.noProblems)
  out.push(...found.map((s) => para(d, s)))

  const suggest: string[] = []
  if (lowest.length > 0) suggest.push(w.suggestItems(w.list(lowest.map((it) => r.title(it.questionId)))))
  if (below.length > 0) suggest.push(w.suggestCommunities(w.list(below.map((c) => name(c.communityId)))))
  if (open > 0) suggest.push(w.suggestLedger(open))
  if (!ind.sampleSize.adequate || ind.byCommunity.some((c) => c.sampleSize?.adequate === false)) suggest.push(w.suggestSample)
  if (suggest.length > 0) out.push(n.heading(d, 2, w.hSuggestions), ...suggest.map((s, i) => para(d, `${w.number(3, i + 1)}${s}`)))
  return out
}
