import { addIntoTally, emptyTally, flagsOfKey, type Tally, type TallyResponseInput, tallyResponse, tallyToRows } from '@minyi/shared/method'
import type { Answers, Channel, Question } from '@minyi/shared/schemas'
import { addAggregates } from '../db/queries/aggregates.ts'
import type { ResponseRow } from '../db/queries/responses.ts'
import type { Q } from '../db/tx.ts'

/** The method's view of a stored response row. */
export function tallyInputOf(
  row: Pick<ResponseRow, 'id' | 'community_id' | 'channel' | 'questionnaire_version' | 'flags' | 'exclusion' | 'review'>,
  answers: Answers,
): TallyResponseInput {
  return {
    id: row.id,
    communityId: row.community_id,
    channel: row.channel as Channel,
    questionnaireVersion: Number(row.questionnaire_version),
    answers,
    flags: flagsOfKey(row.flags),
    exclusion: row.exclusion === 'test' || row.exclusion === 'evaluator_excluded' ? row.exclusion : null,
    review: row.review === 'include' ? 'include' : null,
  }
}

/**
 * Collects the aggregate deltas of one transaction per campaign, so each distinct row is upserted once
 * (`count = count + excluded.count`) however many responses touched it.
 */
export class TallyBatch {
  private readonly byCampaign = new Map<string, Tally>()

  add(campaignId: string, questions: readonly Question[], response: TallyResponseInput, sign: 1 | -1 = 1): void {
    let t = this.byCampaign.get(campaignId)
    if (!t) {
      t = emptyTally()
      this.byCampaign.set(campaignId, t)
    }
    addIntoTally(t, tallyResponse(questions, response), sign)
  }

  /** Campaigns in sorted order and rows sorted by key: concurrent instances then lock rows in one order. */
  async write(trx: Q): Promise<void> {
    for (const campaignId of [...this.byCampaign.keys()].sort()) {
      const tally = this.byCampaign.get(campaignId)
      if (tally) await addAggregates(trx, campaignId, tallyToRows(tally))
    }
  }
}
