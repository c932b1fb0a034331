import {
  cellKey,
  flagsOfKey,
  type Tally,
  type TallyCell,
  type TallyResponseInput,
  type TallyRow,
  tallyResponse,
} from '@minyi/shared/method'
import type { Answers, Channel, Question } from '@minyi/shared/schemas'
import { type AggregateCellRow, addAggregates } from '../db/queries/aggregates.ts'
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
 * (`count = count + excluded.count`) however many responses touched it. The deltas come from the
 * method's `tallyResponse`; summing them here into rows directly (rather than `mergeTally` then
 * `tallyToRows`) is only integer addition, and it was a tenth of ingest's CPU time.
 */
export class TallyBatch {
  private readonly byCampaign = new Map<string, Map<string, TallyRow>>()

  add(campaignId: string, questions: readonly Question[], response: TallyResponseInput, sign: 1 | -1 = 1): void {
    let rows = this.byCampaign.get(campaignId)
    if (!rows) {
      rows = new Map()
      this.byCampaign.set(campaignId, rows)
    }
    for (const [key, cell] of Object.entries(tallyResponse(questions, response).cells)) {
      for (const metric in cell.counts) {
        const k = `${key}|${metric}`
        const row = rows.get(k)
        const delta = sign * (cell.counts[metric] ?? 0)
        if (row) row.count += delta
        else
          rows.set(k, {
            communityId: cell.communityId,
            channel: cell.channel,
            flagsKey: cell.flagsKey,
            exclusionKey: cell.exclusionKey,
            basisKey: cell.basisKey,
            reviewKey: cell.reviewKey,
            metric,
            count: delta,
          })
      }
    }
  }

  /** Campaigns in sorted order and rows sorted by key: concurrent instances then lock rows in one order. */
  async write(trx: Q): Promise<void> {
    for (const campaignId of [...this.byCampaign.keys()].sort()) {
      const rows = this.byCampaign.get(campaignId)
      if (!rows) continue
      const keys = [...rows.keys()].sort()
      const out: TallyRow[] = []
      for (const k of keys) {
        const row = rows.get(k)
        // A move that cancels out (e.g. a review undone in one call) writes nothing.
        if (row && row.count !== 0) out.push(row)
      }
      await addAggregates(trx, campaignId, out)
    }
  }
}

/**
 * The method's Tally from per-cell rows (`listAggregateCells`): the same object as the method's
 * `tallyFromRows` over the row-per-metric listing (an integration test holds them equal), which
 * merges row by row through `addIntoTally` and took a large part of the indicator's budget.
 */
export function tallyOfCells(rows: readonly AggregateCellRow[]): Tally {
  const cells: Record<string, TallyCell> = {}
  for (const row of rows) {
    const coordinates = {
      communityId: row.communityId,
      // Written only from TallyRows, so the stored text is one of the method's keys.
      channel: row.channel as TallyCell['channel'],
      flagsKey: row.flagsKey,
      exclusionKey: row.exclusionKey as TallyCell['exclusionKey'],
      basisKey: row.basisKey as TallyCell['basisKey'],
      reviewKey: row.reviewKey as TallyCell['reviewKey'],
    }
    const counts: Record<string, number> = {}
    for (const pair of row.counts.split(';')) {
      const at = pair.lastIndexOf('=')
      const count = Number(pair.slice(at + 1))
      if (at < 1 || !Number.isInteger(count)) throw new Error(`unreadable aggregate ${pair}`)
      if (count !== 0) counts[pair.slice(0, at)] = count
    }
    if (Object.keys(counts).length > 0) cells[cellKey(coordinates)] = { ...coordinates, counts }
  }
  return { cells }
}
