import { flagsOfKey } from '@minyi/shared/method'
import type { Exclusion, FlaggedResponse } from '@minyi/shared/schemas'
import { listConflicts } from '../db/queries/conflicts.ts'
import { listFlaggedResponses } from '../db/queries/responses.ts'
import { storedAnswers } from './answers.ts'
import { requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'

/** Flagged or excluded responses for the review screen (C5), newest first. */
export async function listFlagged(deps: Deps, campaignId: string, limit: number, offset: number): Promise<FlaggedResponse[]> {
  const ctx = await requireContext(deps, campaignId)
  return (await listFlaggedResponses(deps.db.db, campaignId, limit, offset)).map((r) => ({
    id: r.id,
    communityId: r.community_id,
    channel: r.channel,
    questionnaireVersion: Number(r.questionnaire_version),
    deviceId: r.device_id,
    workerId: r.worker_id,
    startedAt: r.started_at,
    submittedAt: r.submitted_at,
    receivedAt: r.received_at,
    answers: storedAnswers(ctx, r),
    flags: flagsOfKey(r.flags),
    // The columns hold only what the ingest and the review write (METHOD.md names, 'include').
    exclusion: r.exclusion as Exclusion | null,
    review: r.review as 'include' | null,
  }))
}

/** The other payloads received under stored ids, kept for review and never applied. */
export async function listConflictsOf(deps: Deps, campaignId: string) {
  await requireContext(deps, campaignId)
  return (await listConflicts(deps.db.db, campaignId)).map((c) => ({
    responseId: c.response_id,
    deviceId: c.device_id,
    contentHash: c.content_hash,
    receivedAt: c.received_at,
    payload: JSON.parse(c.payload_json) as unknown,
  }))
}
