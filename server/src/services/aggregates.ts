import {
  addResponseCounts,
  cellKey,
  durationSeconds,
  flagsOfKey,
  responseCell,
  type Tally,
  type TallyCell,
  type TallyResponseInput,
} from '@minyi/shared/method'
import type { Answers, Channel, Question } from '@minyi/shared/schemas'
import { type AggregateCellRow, addAggregateCells } from '../db/queries/aggregates.ts'
import type { ResponseRow } from '../db/queries/responses.ts'
import type { Q } from '../db/tx.ts'

/** The method's view of a stored response row. */
export function tallyInputOf(
  row: Pick<
    ResponseRow,
    | 'id'
    | 'community_id'
    | 'channel'
    | 'questionnaire_version'
    | 'flags'
    | 'exclusion'
    | 'review'
    | 'worker_id'
    | 'started_at'
    | 'submitted_at'
  >,
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
    workerId: row.worker_id,
    durationSeconds: durationSeconds(row.started_at, row.submitted_at),
  }
}

/**
 * Collects the aggregate deltas of one transaction per campaign and cell, so each touched cell is read,
 * added to and written back once however many responses touched it. The deltas come from the
 * method's `responseCell` and `addResponseCounts` (what `tallyResponse` is made of), summed per cell.
 */
export class TallyBatch {
  private readonly byCampaign = new Map<string, Map<string, TallyCell>>()

  add(campaignId: string, questions: readonly Question[], response: TallyResponseInput, sign: 1 | -1 = 1): void {
    let cells = this.byCampaign.get(campaignId)
    if (!cells) {
      cells = new Map()
      this.byCampaign.set(campaignId, cells)
    }
    const coordinates = responseCell(questions, response)
    const key = cellKey(coordinates)
    let sum = cells.get(key)
    if (!sum) {
      sum = { ...coordinates, counts: {} }
      cells.set(key, sum)
    }
    addResponseCounts(sum.counts, questions, response, sign)
  }

  /** Campaigns in sorted order and cells sorted by key: concurrent instances then lock cells in one order. */
  async write(trx: Q): Promise<void> {
    for (const campaignId of [...this.byCampaign.keys()].sort()) {
      const cells = this.byCampaign.get(campaignId)
      if (!cells) continue
      const out: TallyCell[] = []
      for (const key of [...cells.keys()].sort()) {
        const cell = cells.get(key)
        // A move that cancels out (e.g. a review undone in one call) writes nothing.
        if (cell && Object.values(cell.counts).some((c) => c !== 0)) out.push(cell)
      }
      await addAggregateCells(trx, campaignId, out)
    }
  }
}

/**
 * The method's Tally from the stored cells (`listAggregateCells`): each cell's JSON counts, with
 * zero counts and empty cells left out as the method's Tally requires.
 */
export function tallyOfCells(rows: readonly AggregateCellRow[]): Tally {
  const cells: Record<string, TallyCell> = {}
  for (const row of rows) {
    const coordinates = {
      communityId: row.communityId,
      // Written only from the method's cells, so the stored text is one of the method's keys.
      channel: row.channel as TallyCell['channel'],
      workerId: row.workerId,
      flagsKey: row.flagsKey,
      exclusionKey: row.exclusionKey as TallyCell['exclusionKey'],
      basisKey: row.basisKey as TallyCell['basisKey'],
      reviewKey: row.reviewKey as TallyCell['reviewKey'],
    }
    const stored = JSON.parse(row.counts) as Record<string, unknown>
    const counts: Record<string, number> = {}
    let any = false
    for (const metric in stored) {
      const count = stored[metric]
      if (typeof count !== 'number' || !Number.isInteger(count)) throw new Error(`unreadable aggregate ${metric}=${String(count)}`)
      if (count !== 0) {
        counts[metric] = count
        any = true
      }
    }
    if (any) cells[cellKey(coordinates)] = { ...coordinates, counts }
  }
  return { cells }
}
