import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { addResponseInto, computeFlags, durationSeconds, emptyTally, flagsKey, ratedAnswersOf, type Tally } from '@minyi/shared/method'
import { canonicalJson, sha256Hex } from '../../../server/src/services/hashing.ts'
import type { BenchItem } from './data.ts'
import type { DirectResponse } from './direct-sqlite.ts'

// What the benchmarks' direct writers (SQLite and PostgreSQL) compute for one batch, as the server
// would: each response's METHOD.md flags and content hash, and the batch's aggregate deltas summed
// per cell. No HTTP, no validation.

export function computeBatch(batch: BenchItem[], deviceId: string, receivedAt: string): { rows: DirectResponse[]; tally: Tally } {
  const questions = TEMPLATE_QUESTIONNAIRE.questions
  const tally = emptyTally()
  const rows = batch.map((item, i) => {
    const rated = ratedAnswersOf(questions, item.answers)
    const flags = computeFlags({
      ratedItemCount: rated.length,
      durationSeconds: durationSeconds(item.startedAt, item.submittedAt),
      ratedAnswers: rated,
      channel: item.channel,
      deviceCountBefore: i,
      submittedAt: item.submittedAt,
      receivedAt,
      publishedAt: null,
      closesAt: '2100-01-01T00:00:00.000Z',
    })
    addResponseInto(tally, questions, {
      communityId: item.communityId,
      channel: item.channel,
      answers: item.answers,
      flags,
      exclusion: null,
    })
    return {
      id: item.id,
      campaignId: item.campaignId,
      version: item.questionnaireVersion,
      communityId: item.communityId,
      channel: item.channel,
      deviceId,
      startedAt: item.startedAt,
      submittedAt: item.submittedAt,
      receivedAt,
      answersJson: JSON.stringify(item.answers),
      flagsKey: flagsKey(flags),
      exclusion: null,
      contentHash: sha256Hex(canonicalJson(item)),
    } satisfies DirectResponse
  })
  return { rows, tally }
}

/** The evidence chain over `rows`, from the head (`seq`, `hash`): `sha256(prev | seq | id | contentHash)`. */
export function chainOf(rows: DirectResponse[], head: { seq: number; hash: string }) {
  let { seq, hash: prev } = head
  return rows.map((r) => {
    seq++
    const hash = sha256Hex(`${prev}|${seq}|${r.id}|${r.contentHash}`)
    const entry = { seq, responseId: r.id, contentHash: r.contentHash, prev, hash }
    prev = hash
    return entry
  })
}
