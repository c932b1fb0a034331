import type { Flag } from '../schemas/campaign.ts'
import type { Channel } from '../schemas/common.ts'
import type { Answers, Question } from '../schemas/questionnaire.ts'
import { NA, overallQuestion, ratingQuestions } from './scales.ts'
import { countedAnswers } from './show-if.ts'

/**
 * The indicator's aggregate: integer counts only, so it is order-independent and exactly
 * reproducible. The server keeps it as rows (`tallyToRows`), adds each accepted response's delta
 * (`tallyResponse`) in the same transaction with `count = count + excluded.count`, and gets from
 * `indicatorFromTally` an object identical to a full recomputation (`computeIndicator`).
 *
 * It does not depend on the indicator config: answers are counted by raw score, and the satisfied
 * set, basis, pooled channels and excluding flags are applied when the indicator is computed, so a
 * config change needs no recount.
 *
 * A cell groups responses that the config can only treat alike:
 * - communityId, channel;
 * - workerId: the worker who sent a `door` questionnaire ('' on every other channel, and for a door
 *   questionnaire with no worker), so the interviewer check (METHOD.md §10) can compare workers;
 * - flagsKey: the response's flags, sorted, joined with ',' ('' for none);
 * - exclusionKey: the stored hard reason, 'evaluator_excluded' | 'test' | '';
 * - basisKey: what the response can serve as a basis for, so `missing_basis` (which depends on the
 *   configured basis) can be decided per cell: 'overall' (the overall item is rated), 'items' (some
 *   rating item is rated, not the overall one), 'none' (no rating item rated);
 * - reviewKey: 'include' when an evaluator reviewed the response and kept it, which overrides the
 *   config's excluding flags; '' otherwise. (An evaluator's "exclude" is exclusionKey
 *   'evaluator_excluded'.)
 *
 * Only the answers that count are read (`countedAnswers`): an answer to a question its show-if hides
 * is in no cell coordinate and no metric.
 *
 * Metrics of a cell (each an integer count of responses or answers):
 * - `n`: responses;
 * - `overall:<score>` | `overall:na` | `overall:missing`: the overall item's answer;
 * - `item:<questionId>:<score>` | `item:<questionId>:na`: answers to each rating item (unanswered: none);
 * - `mean:k<k>:<s>/<r>`: for k = 1 … K−1 (K the largest scale of the response's questionnaire
 *   version), questionnaires with s of their r rated items among the item's k best options — the
 *   items_mean share as an exact rational; `mean:none` when no item is rated.
 * Door questionnaires (the interviewer check, METHOD.md §10) also count:
 * - `sd:n` and `sd:micro`: questionnaires with at least 4 rated items, and the sum of their rated
 *   scores' population standard deviations in millionths, each rounded to an integer — so the sum
 *   is exact in any order and the mean deviation is `sd:micro / 1e6 / sd:n`;
 * - `dur:<s>`: the duration (submittedAt − startedAt) in the bucket starting at s seconds (see
 *   `durationBucket`): a bounded histogram for the median, whatever the number of questionnaires.
 */
export type ExclusionKey = 'evaluator_excluded' | 'test' | ''
export type BasisKey = 'overall' | 'items' | 'none'
export type ReviewKey = 'include' | ''

export interface CellCoordinates {
  communityId: string
  channel: Channel
  workerId: string
  flagsKey: string
  exclusionKey: ExclusionKey
  basisKey: BasisKey
  reviewKey: ReviewKey
}

export interface TallyCell extends CellCoordinates {
  counts: Record<string, number>
}

/** Cells by `cellKey`. Zero counts and empty cells are never kept, so equal content means deep-equal tallies. */
export interface Tally {
  cells: Record<string, TallyCell>
}

/** One stored row; the unique key is every field but `count`. */
export interface TallyRow extends CellCoordinates {
  metric: string
  count: number
}

/** The response as the method needs it (structural: a stored response row fits). */
export interface TallyResponseInput {
  id?: string
  communityId: string
  channel: Channel
  questionnaireVersion?: number
  answers: Answers
  flags: readonly Flag[]
  /** Hard reason stored with the response; `test` first when both apply. */
  exclusion: 'evaluator_excluded' | 'test' | null
  /** An evaluator reviewed the flags and kept the response. */
  review?: 'include' | null
  /** The worker who sent it (a cell coordinate on the `door` channel only). */
  workerId?: string | null
  /** submittedAt − startedAt in seconds (counted on the `door` channel only; null or absent: unknown). */
  durationSeconds?: number | null
}

/** Sorted, de-duplicated, joined with ','. */
export function flagsKey(flags: readonly string[]): string {
  if (flags.length === 0) return ''
  if (flags.length === 1) return flags[0] ?? ''
  return [...new Set(flags)].sort().join(',')
}

export function flagsOfKey(key: string): Flag[] {
  return key === '' ? [] : (key.split(',') as Flag[])
}

/** Coordinates never contain '|' (uuids, enums, flag names), so the join is unambiguous. */
export function cellKey(c: CellCoordinates): string {
  return `${c.communityId}|${c.channel}|${c.workerId}|${c.flagsKey}|${c.exclusionKey}|${c.basisKey}|${c.reviewKey}`
}

export function emptyTally(): Tally {
  return { cells: {} }
}

interface RatedItemPlan {
  id: string
  /** Metric name and rank (0 = best) of each score on the item's scale. */
  byScore: Map<number, { metric: string; rank: number }>
  naMetric: string
}

interface RatingPlan {
  rating: readonly RatedItemPlan[]
  overallId: string | undefined
  maxSize: number
  /** `mean:k<k>:<s>/<r>` names, built on first use: meanMetric[k - 1][r][s]. */
  meanMetric: string[][][]
}

// Ingest tallies every response against one of a few questionnaire versions: derive the rating
// items, their score order and the metric names once per questions array (arrays are never
// mutated once published), so a response costs lookups instead of string building.
const plans = new WeakMap<readonly Question[], RatingPlan>()

function ratingPlan(questions: readonly Question[]): RatingPlan {
  let plan = plans.get(questions)
  if (!plan) {
    const rating = ratingQuestions(questions)
    plan = {
      rating: rating.map((q) => ({
        id: q.id,
        byScore: new Map(q.scale.options.map((o, rank) => [o.score, { metric: `item:${q.id}:${o.score}`, rank }])),
        naMetric: `item:${q.id}:${NA}`,
      })),
      overallId: overallQuestion(questions)?.id,
      maxSize: Math.max(0, ...rating.map((q) => q.scale.options.length)),
      meanMetric: [],
    }
    plans.set(questions, plan)
  }
  return plan
}

function meanMetric(plan: RatingPlan, k: number, s: number, rated: number): string {
  plan.meanMetric[k - 1] ??= []
  const byRated = plan.meanMetric[k - 1] as string[][]
  byRated[rated] ??= []
  const bySatisfied = byRated[rated] as string[]
  bySatisfied[s] ??= `mean:k${k}:${s}/${rated}`
  return bySatisfied[s] as string
}

/** The cell a response is counted in (its coordinates; see the top of this file). */
export function responseCell(questions: readonly Question[], response: TallyResponseInput): CellCoordinates {
  const { rating, overallId } = ratingPlan(questions)
  const answers = countedAnswers(questions, response.answers)
  const overall = overallId !== undefined ? answers[overallId] : undefined
  return {
    communityId: response.communityId,
    channel: response.channel,
    workerId: response.channel === 'door' ? (response.workerId ?? '') : '',
    flagsKey: flagsKey(response.flags),
    exclusionKey: response.exclusion ?? '',
    basisKey: typeof overall === 'number' ? 'overall' : rating.some((q) => typeof answers[q.id] === 'number') ? 'items' : 'none',
    reviewKey: response.review === 'include' ? 'include' : '',
  }
}

/** Questionnaires with fewer rated items have no uniformity figure (METHOD.md §10). */
export const UNIFORMITY_MIN_RATED = 4
/** `sd:micro` counts standard deviations in millionths. */
export const SD_SCALE = 1_000_000

/**
 * The start of the duration bucket (seconds) a door questionnaire is counted in: whole seconds
 * below 1 minute, then 5 s up to 5 minutes, 15 s up to 20 minutes, 1 minute up to 1 hour, and one
 * bucket for an hour or more. At most 209 buckets, each within 8 % of its start (2–5 % for the
 * usual 2–20 minute interview), so a worker's median duration is kept without keeping every time.
 */
export function durationBucket(seconds: number): number {
  const s = Math.max(0, seconds)
  if (s < 60) return Math.floor(s)
  if (s < 300) return Math.floor(s / 5) * 5
  if (s < 1200) return Math.floor(s / 15) * 15
  if (s < 3600) return Math.floor(s / 60) * 60
  return 3600
}

/** Population standard deviation of the scores Σx, Σx² over r items, in millionths, rounded. */
function deviationMicro(r: number, sum: number, sumSq: number): number {
  // r·Σx² − (Σx)² is exact for integer scores; rounding error can only make it a hair below 0.
  const d = Math.max(0, r * sumSq - sum * sum)
  return Math.round((Math.sqrt(d) / r) * SD_SCALE)
}

/**
 * Adds `sign` × the response's metrics into `counts` in place (a cell's counts: zeros may be left
 * for the caller to drop). Ingest sums a transaction's responses straight into their cells this way;
 * `tallyResponse` is the same count into a fresh object.
 */
export function addResponseCounts(
  counts: Record<string, number>,
  questions: readonly Question[],
  response: Pick<TallyResponseInput, 'answers' | 'channel' | 'durationSeconds'>,
  sign: 1 | -1 = 1,
): void {
  const answers = countedAnswers(questions, response.answers)
  const plan = ratingPlan(questions)
  const { rating, overallId, maxSize } = plan
  const bump = (metric: string) => {
    counts[metric] = (counts[metric] ?? 0) + sign
  }
  bump('n')
  const overall = overallId !== undefined ? answers[overallId] : undefined
  bump(typeof overall === 'number' ? `overall:${overall}` : overall === NA ? `overall:${NA}` : 'overall:missing')

  let rated = 0
  let sum = 0
  let sumSq = 0
  const satisfiedAtK = new Array<number>(Math.max(0, maxSize - 1)).fill(0)
  for (const q of rating) {
    const a = answers[q.id]
    if (a === NA) bump(q.naMetric)
    if (typeof a !== 'number') continue
    rated++
    sum += a
    sumSq += a * a
    // The answer is among the item's k best options exactly when its rank (0 = best) is below k;
    // a score not on the scale is counted under its own name and never satisfied.
    const known = q.byScore.get(a)
    if (!known) {
      bump(`item:${q.id}:${a}`)
      continue
    }
    bump(known.metric)
    for (let k = known.rank + 1; k < maxSize; k++) satisfiedAtK[k - 1] = (satisfiedAtK[k - 1] ?? 0) + 1
  }
  if (rated === 0) bump('mean:none')
  else for (let i = 0; i < satisfiedAtK.length; i++) bump(meanMetric(plan, i + 1, satisfiedAtK[i] ?? 0, rated))

  if (response.channel !== 'door') return
  if (rated >= UNIFORMITY_MIN_RATED) {
    bump('sd:n')
    counts['sd:micro'] = (counts['sd:micro'] ?? 0) + sign * deviationMicro(rated, sum, sumSq)
  }
  const seconds = response.durationSeconds
  if (typeof seconds === 'number' && Number.isFinite(seconds)) bump(`dur:${durationBucket(seconds)}`)
}

/** Adds one response into `target` in place (its cell's counts grow; nothing falls to zero). */
export function addResponseInto(target: Tally, questions: readonly Question[], response: TallyResponseInput): Tally {
  const coordinates = responseCell(questions, response)
  const key = cellKey(coordinates)
  let cell = target.cells[key]
  if (!cell) {
    cell = { ...coordinates, counts: {} }
    target.cells[key] = cell
  }
  addResponseCounts(cell.counts, questions, response)
  return target
}

/** The delta one response adds, counted against the questions of the version it answered. */
export function tallyResponse(questions: readonly Question[], response: TallyResponseInput): Tally {
  return addResponseInto(emptyTally(), questions, response)
}

/** Adds `delta` × `sign` into `target` in place, dropping what falls to zero. */
export function addIntoTally(target: Tally, delta: Tally, sign: 1 | -1 = 1): Tally {
  for (const [key, cell] of Object.entries(delta.cells)) {
    const into = target.cells[key] ?? { ...coordinates(cell), counts: {} }
    for (const [metric, c] of Object.entries(cell.counts)) {
      const next = (into.counts[metric] ?? 0) + sign * c
      if (next === 0) delete into.counts[metric]
      else into.counts[metric] = next
    }
    if (Object.keys(into.counts).length === 0) delete target.cells[key]
    else target.cells[key] = into
  }
  return target
}

/** Sum of tallies (a new object; the inputs are untouched). */
export function mergeTally(...tallies: readonly Tally[]): Tally {
  const out = emptyTally()
  for (const t of tallies) addIntoTally(out, t)
  return out
}

/** The opposite delta: what to add to take a response back out (e.g. before re-adding it under a new review). */
export function negateTally(t: Tally): Tally {
  return addIntoTally(emptyTally(), t, -1)
}

/** Rows sorted by cell then metric; zero counts are left out. */
export function tallyToRows(t: Tally): TallyRow[] {
  const rows: TallyRow[] = []
  for (const key of Object.keys(t.cells).sort()) {
    const cell = t.cells[key]
    if (!cell) continue
    for (const metric of Object.keys(cell.counts).sort()) {
      const count = cell.counts[metric] ?? 0
      if (count !== 0) rows.push({ ...coordinates(cell), metric, count })
    }
  }
  return rows
}

/** Rebuilds a tally from stored rows (duplicates add up; zero rows vanish). */
export function tallyFromRows(rows: readonly TallyRow[]): Tally {
  const out = emptyTally()
  for (const row of rows) {
    const cell: TallyCell = { ...coordinates(row), counts: { [row.metric]: row.count } }
    addIntoTally(out, { cells: { [cellKey(cell)]: cell } })
  }
  return out
}

function coordinates(c: CellCoordinates): CellCoordinates {
  return {
    communityId: c.communityId,
    channel: c.channel,
    workerId: c.workerId,
    flagsKey: c.flagsKey,
    exclusionKey: c.exclusionKey,
    basisKey: c.basisKey,
    reviewKey: c.reviewKey,
  }
}
