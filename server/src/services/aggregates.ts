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

const QUOTE = 34
const BACKSLASH = 92

/**
 * A cell's stored counts (`{"metric": integer, …}`, as JSON.stringify or PostgreSQL's jsonb::text
 * writes them) into a dictionary-mode object, zeros left out. Tens of thousands of cells, each with
 * its own set of metric names, would make JSON.parse build a hidden class per key sequence and keep
 * the collector busy; this scanner never does. Anything it does not expect (an escape, a fraction)
 * goes through JSON.parse, and every count must be an integer.
 */
export function parseCounts(text: string): Record<string, number> {
  const out: Record<string, number> = Object.create(null)
  const len = text.length
  let i = 0
  const space = () => {
    while (i < len && text.charCodeAt(i) <= 32) i++
  }
  space()
  if (text.charCodeAt(i) !== 123) return checkedCounts(text)
  i++
  space()
  if (text.charCodeAt(i) === 125) return out
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return checkedCounts(text)
    const start = ++i
    while (i < len && text.charCodeAt(i) !== QUOTE) {
      if (text.charCodeAt(i) === BACKSLASH) return checkedCounts(text)
      i++
    }
    const metric = text.slice(start, i++)
    space()
    if (text.charCodeAt(i) !== 58) return checkedCounts(text)
    i++
    space()
    const from = i
    if (text.charCodeAt(i) === 45) i++
    while (i < len && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++
    const digits = i - from
    if (digits === 0 || digits > 16) return checkedCounts(text)
    const count = Number(text.slice(from, i))
    space()
    const next = text.charCodeAt(i++)
    if (count !== 0) out[metric] = (out[metric] ?? 0) + count
    if (next === 44) {
      space()
      continue
    }
    if (next === 125) return out
    return checkedCounts(text)
  }
}

/** JSON.parse with every count checked to be an integer; zeros left out. */
function checkedCounts(text: string): Record<string, number> {
  const parsed = JSON.parse(text) as Record<string, unknown>
  const out: Record<string, number> = Object.create(null)
  for (const metric in parsed) {
    const count = parsed[metric]
    if (typeof count !== 'number' || !Number.isInteger(count)) throw new Error(`unreadable aggregate ${metric}=${String(count)}`)
    if (count !== 0) out[metric] = count
  }
  return out
}

/** One stored cell as the method's TallyCell; null when every count is zero. */
export function cellOfRow(row: AggregateCellRow): TallyCell | null {
  const counts = parseCounts(row.counts)
  let any = false
  for (const _ in counts) {
    any = true
    break
  }
  if (!any) return null
  return {
    communityId: row.communityId,
    // Written only from the method's cells, so the stored text is one of the method's keys.
    channel: row.channel as TallyCell['channel'],
    workerId: row.workerId,
    flagsKey: row.flagsKey,
    exclusionKey: row.exclusionKey as TallyCell['exclusionKey'],
    basisKey: row.basisKey as TallyCell['basisKey'],
    reviewKey: row.reviewKey as TallyCell['reviewKey'],
    counts,
  }
}

/** The method's Tally from the stored cells (`listAggregateCells`), zero counts and empty cells left out as the method's Tally requires. */
export function tallyOfCells(rows: readonly AggregateCellRow[]): Tally {
  const cells: Record<string, TallyCell> = {}
  for (const row of rows) {
    const cell = cellOfRow(row)
    if (cell) cells[cellKey(cell)] = cell
  }
  return { cells }
}
