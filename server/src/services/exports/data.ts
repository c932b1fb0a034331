import type { Indicator, Question } from '@minyi/shared/schemas'
import { type ExportResponseRow, pageResponsesForExport } from '../../db/queries/responses.ts'
import type { Deps } from '../deps.ts'
import { contextWithVersion, indicatorFromAggregates } from '../indicator.ts'

const PAGE = 2000

/** What every export reads once: the campaign, its indicator, the answer columns and the community names. */
export interface ExportData {
  ctx: Awaited<ReturnType<typeof contextWithVersion>>
  indicator: Indicator
  questions: Question[]
  communityName: Map<string, string>
}

export async function loadExportData(deps: Deps, campaignId: string): Promise<ExportData> {
  const ctx = await contextWithVersion(deps, campaignId)
  const indicator = await indicatorFromAggregates(deps, campaignId)
  return {
    ctx,
    indicator,
    questions: exportQuestions(
      ctx.latest.questions,
      [...ctx.versions.values()].map((v) => v.questions),
    ),
    communityName: new Map([...ctx.communities.values()].map((c) => [c.id, c.name])),
  }
}

/**
 * The answer columns: the current version's questions, then any question only older versions had
 * (newest first), so an answer given to a question since removed is still exported.
 */
function exportQuestions(current: readonly Question[], all: readonly (readonly Question[])[]): Question[] {
  const out = [...current]
  const seen = new Set(current.map((q) => q.id))
  for (const questions of [...all].reverse())
    for (const q of questions)
      if (!seen.has(q.id)) {
        seen.add(q.id)
        out.push(q)
      }
  return out
}

/** The campaign's responses page by page in id order, so memory stays bounded however many there are. */
export async function* responsePages(deps: Deps, campaignId: string): AsyncGenerator<ExportResponseRow[]> {
  let after = ''
  for (;;) {
    const page = await pageResponsesForExport(deps.db.db, campaignId, after, PAGE)
    if (page.length > 0) yield page
    if (page.length < PAGE) return
    after = page[page.length - 1]?.id ?? after
  }
}
