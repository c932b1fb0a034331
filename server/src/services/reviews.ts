import { randomUUID } from 'node:crypto'
import { flagsOfKey } from '@minyi/shared/method'
import type { Answers, Exclusion, ResponseReviewInput, ReviewResult } from '@minyi/shared/schemas'
import { getResponse, type ResponseState, setResponseStateIf } from '../db/queries/responses.ts'
import { insertReview } from '../db/queries/reviews.ts'
import { inTransaction } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import { TallyBatch, tallyInputOf } from './aggregates.ts'
import { type AuditActor, audit } from './audit.ts'
import { loadCampaignContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'

function nextState(current: ResponseState, action: ResponseReviewInput['action']): ResponseState {
  // A test response stays `test` whatever the evaluator decides: it is never valid (METHOD.md §3).
  const isTest = current.exclusion === 'test'
  switch (action) {
    case 'exclude':
      return { flags: current.flags, exclusion: isTest ? 'test' : 'evaluator_excluded', review: null }
    case 'include':
      return { flags: current.flags, exclusion: isTest ? 'test' : null, review: 'include' }
    case 'reset':
      return { flags: current.flags, exclusion: isTest ? 'test' : null, review: null }
  }
}

/**
 * An evaluator's decision on a response: audited (who, when, why) and reversible. Its aggregate rows
 * move in the same transaction (the old tally out, the new one in), so the kept indicator matches a
 * full recomputation at every moment.
 */
export async function reviewResponse(
  deps: Deps,
  campaignId: string,
  responseId: string,
  userId: string | null,
  input: ResponseReviewInput,
  /** Who to record in the audit log (the route's staff member), in the decision's own transaction. */
  actor?: AuditActor,
): Promise<ReviewResult> {
  const ctx = await loadCampaignContext(deps, campaignId)
  if (!ctx) throw new ProblemError('not_found')
  const at = deps.now().toISOString()
  return inTransaction(deps.db, async (trx) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await getResponse(trx, responseId)
      if (!row || row.campaign_id !== campaignId) throw new ProblemError('not_found')
      const questions = ctx.versions.get(Number(row.questionnaire_version))?.questions
      if (!questions) throw new ProblemError('not_found')
      const before: ResponseState = { flags: row.flags, exclusion: row.exclusion, review: row.review }
      const after = nextState(before, input.action)
      if (!(await setResponseStateIf(trx, row.id, before, after))) continue
      const answers = JSON.parse(row.answers_json) as Answers
      const tallies = new TallyBatch()
      tallies.add(campaignId, questions, tallyInputOf(row, answers), -1)
      tallies.add(campaignId, questions, tallyInputOf({ ...row, ...after }, answers))
      await tallies.write(trx)
      await insertReview(trx, {
        id: randomUUID(),
        response_id: row.id,
        campaign_id: campaignId,
        user_id: userId,
        action: input.action,
        reason: input.reason,
        at,
      })
      if (actor) {
        const target = { type: 'response', id: row.id, campaignId }
        await audit(deps, actor, 'response.review', target, before, { ...after, action: input.action, reason: input.reason }, trx)
      }
      return {
        id: row.id,
        flags: flagsOfKey(after.flags),
        exclusion: after.exclusion as Exclusion | null,
        review: after.review as 'include' | null,
        reviewedAt: at,
      }
    }
    throw new ProblemError('conflict')
  })
}
