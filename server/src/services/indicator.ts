import { addIntoTally, type CommunityInput, emptyTally, indicatorBuilder, indicatorFromTally, tallyAll } from '@minyi/shared/method'
import type { Answers, Indicator } from '@minyi/shared/schemas'
import { aggregateCellPages } from '../db/queries/aggregates.ts'
import { pageCampaignResponses } from '../db/queries/responses.ts'
import { ProblemError } from '../http/problem.ts'
import { cellOfRow, tallyInputOf } from './aggregates.ts'
import { type CampaignContext, loadCampaignContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { evidenceHead } from './evidence.ts'
import { keptFieldwork, recomputeFieldwork } from './fieldwork.ts'
import { withConfigCheck } from './method-errors.ts'

/** The campaign's communities as the method takes them (population, quota, street: a community's parent is its street). */
export function communitiesOf(ctx: CampaignContext): CommunityInput[] {
  return [...ctx.communities.values()].map((c) => ({
    id: c.id,
    population: c.population === null ? null : Number(c.population),
    quota: c.quota === null ? null : Number(c.quota),
    streetId: c.parent_id,
  }))
}

/** The campaign's context with its current published version (`questionnaire_not_published` before the first). */
export async function contextWithVersion(
  deps: Deps,
  campaignId: string,
): Promise<CampaignContext & { latest: NonNullable<CampaignContext['latest']> }> {
  const ctx = await loadCampaignContext(deps, campaignId)
  if (!ctx) throw new ProblemError('not_found')
  const latest = ctx.latest
  if (!latest) throw new ProblemError('questionnaire_not_published')
  return { ...ctx, latest }
}

/**
 * `GET /api/v1/campaigns/:id/indicator`: from the kept aggregates and fieldwork counts (rows that
 * grow with communities, channels and workers, never with responses or visits). The cells are read
 * page by page into the method's `indicatorBuilder`, so memory follows a page of counts, not the
 * campaign: a province's tens of thousands of cells fit the server's 128 MB heap.
 */
export async function indicatorFromAggregates(deps: Deps, campaignId: string): Promise<Indicator> {
  const ctx = await contextWithVersion(deps, campaignId)
  const builder = withConfigCheck(() => indicatorBuilder({ config: ctx.config, questions: ctx.latest.questions }))
  for await (const page of aggregateCellPages(deps.db.db, campaignId))
    for (const row of page) {
      const cell = cellOfRow(row)
      if (cell) builder.add(cell)
    }
  const [fieldwork, evidence] = await Promise.all([keptFieldwork(deps, campaignId), evidenceHead(deps, campaignId)])
  return { ...withConfigCheck(() => builder.build({ communities: communitiesOf(ctx), fieldwork })), evidence }
}

/**
 * The same indicator from the raw rows, re-tallying every response against its own version. This is
 * the shared `computeIndicator` (tallyAll, then indicatorFromTally) done page by page so memory stays
 * flat at a million responses; the visits likewise (`recomputeFieldwork`); the kept aggregates are not read.
 */
export async function recomputeIndicator(deps: Deps, campaignId: string, pageSize = 5000): Promise<Indicator> {
  const ctx = await contextWithVersion(deps, campaignId)
  // Issue 15: the raw rows are gone; the kept aggregates are the record (GET …/indicator without recompute).
  if (ctx.row.raw_deleted_at) throw new ProblemError('campaign_data_deleted')
  const questionnaires = [...ctx.versions.values()].map((v) => ({ version: v.version, questions: v.questions }))
  const tally = emptyTally()
  let after = ''
  for (;;) {
    const page = await pageCampaignResponses(deps.db.db, campaignId, after, pageSize)
    if (page.length === 0) break
    addIntoTally(
      tally,
      tallyAll(
        questionnaires,
        page.map((r) => tallyInputOf(r, JSON.parse(r.answers_json) as Answers)),
      ),
    )
    after = page[page.length - 1]?.id ?? after
    if (page.length < pageSize) break
  }
  const fieldwork = await recomputeFieldwork(deps, campaignId, pageSize)
  const evidence = await evidenceHead(deps, campaignId)
  return {
    ...withConfigCheck(() =>
      indicatorFromTally({ config: ctx.config, questions: ctx.latest.questions, communities: communitiesOf(ctx), tally, fieldwork }),
    ),
    evidence,
  }
}
