import { addResponseInto, emptyTally, indicatorFromTally, type Tally } from '@minyi/shared/method'
import type { Breakdown, BreakdownGroup } from '@minyi/shared/schemas'
import { pageCampaignResponses } from '../db/queries/responses.ts'
import { ProblemError } from '../http/problem.ts'
import { tallyInputOf } from './aggregates.ts'
import { storedAnswers } from './answers.ts'
import type { Deps } from './deps.ts'
import { communitiesOf, contextWithVersion } from './indicator.ts'
import { withConfigCheck } from './method-errors.ts'

const PAGE = 5000

/**
 * C5 profile breakdowns: the satisfaction rate among respondents who gave each answer to a
 * single-choice question (age band, identity, years lived…). Each group's responses are tallied and
 * judged by the shared method exactly as the campaign's indicator is (same config, each response
 * against its own version), so a group's rate is the indicator restricted to that group. Reads
 * every stored response, like `?recompute=1`.
 */
export async function profileBreakdown(deps: Deps, campaignId: string, questionId: string): Promise<Breakdown> {
  const ctx = await contextWithVersion(deps, campaignId)
  const question = ctx.latest.questions.find((q) => q.id === questionId)
  if (question?.type !== 'single') throw new ProblemError('not_found')
  const tallies = new Map<string | null, Tally>()
  for (const o of question.options) tallies.set(o.value, emptyTally())
  tallies.set(null, emptyTally())
  let after = ''
  for (;;) {
    const page = await pageCampaignResponses(deps.db.db, campaignId, after, PAGE)
    for (const r of page) {
      const answers = storedAnswers(ctx, r)
      const questions = ctx.versions.get(Number(r.questionnaire_version))?.questions
      if (!questions) continue
      const given = answers[questionId]
      const key = typeof given === 'string' && tallies.has(given) ? given : null
      addResponseInto(tallies.get(key) ?? emptyTally(), questions, tallyInputOf(r, answers))
    }
    if (page.length < PAGE) break
    after = page[page.length - 1]?.id ?? after
  }
  const communities = communitiesOf(ctx)
  const groups: BreakdownGroup[] = []
  for (const [value, tally] of tallies) {
    const ind = withConfigCheck(() => indicatorFromTally({ config: ctx.config, questions: ctx.latest.questions, communities, tally }))
    if (value === null && ind.n.received === 0) continue
    groups.push({
      value,
      label: value === null ? '未作答' : (question.options.find((o) => o.value === value)?.label.zh ?? value),
      received: ind.n.received,
      valid: ind.n.valid,
      rate: ind.rate,
      ci95: ind.ci95,
      smallSample: ind.smallSample,
    })
  }
  return { questionId, groups }
}
