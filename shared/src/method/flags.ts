import type { Flag, IndicatorConfig } from '../schemas/campaign.ts'
import type { Channel } from '../schemas/common.ts'
import type { Answers, Question } from '../schemas/questionnaire.ts'
import { ratingQuestions } from './scales.ts'
import { countedAnswers } from './show-if.ts'

export type FlagRules = IndicatorConfig['flagRules']

export const DEFAULT_FLAG_RULES: FlagRules = { minSecondsBase: 20, minSecondsPerItem: 3, straightlineMinItems: 6, maxPerDevice: 3 }

/**
 * METHOD.md §3 `network_burst`: on the `qr` channel, more than `max` responses from one network
 * address within `windowSeconds` — every response after the `max`-th in such a window is flagged.
 * Fixed by the method (not part of the campaign's config).
 */
export const NETWORK_BURST = { max: 10, windowSeconds: 600 } as const

/**
 * For `network_burst`: of the earlier receive times (ms, any order) of QR responses from the same
 * address, how many lie within the window ending at `receivedMs` (exclusive of its start).
 */
export function networkCountBefore(earlierMs: readonly number[], receivedMs: number): number {
  let n = 0
  for (const t of earlierMs) if (t > receivedMs - NETWORK_BURST.windowSeconds * 1000 && t <= receivedMs) n++
  return n
}

/** What the server knows about one response when it is received (instants as ISO-8601 strings). */
export interface FlagInput {
  rules?: Partial<FlagRules>
  /** Rating items the respondent rated (answered with a score, not `na`). */
  ratedItemCount: number
  /** submittedAt − startedAt in seconds; null when unknown (then no `speeding`). */
  durationSeconds: number | null
  /** The scores of the rated answers. */
  ratedAnswers: readonly number[]
  channel?: Channel
  /** Responses already accepted from this device in this campaign on the same channel. */
  deviceCountBefore?: number
  /** Another response of this campaign already carries the same household key. */
  householdSeen?: boolean
  /** QR responses to this campaign from the same network address in the window before this one (`networkCountBefore`). */
  networkCountBefore?: number
  submittedAt?: string | null
  receivedAt?: string | null
  publishedAt?: string | null
  closesAt?: string | null
}

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN)

/**
 * METHOD.md §3 soft flags of one response, in the order of `FLAGS`. (`conflict` belongs to sync and
 * is set by the server, not here.)
 * - speeding: duration < minSecondsBase + minSecondsPerItem · rated items;
 * - straightlining: at least straightlineMinItems rated answers, all equal;
 * - duplicate_device: channel `qr` and at least maxPerDevice earlier responses from the device;
 * - duplicate_household: the household key was seen before;
 * - network_burst: channel `qr` and at least NETWORK_BURST.max earlier responses from the address in the window;
 * - clock_skew: submittedAt after receivedAt or before publishedAt; then `late` is judged by
 *   receivedAt instead of submittedAt (an answer given offline in the window and sent later is on time).
 */
export function computeFlags(input: FlagInput): Flag[] {
  const rules = { ...DEFAULT_FLAG_RULES, ...input.rules }
  const flags: Flag[] = []
  const minSeconds = rules.minSecondsBase + rules.minSecondsPerItem * input.ratedItemCount
  if (input.durationSeconds !== null && input.durationSeconds < minSeconds) flags.push('speeding')
  const answers = input.ratedAnswers
  if (answers.length >= rules.straightlineMinItems && answers.every((a) => a === answers[0])) flags.push('straightlining')
  if (input.channel === 'qr' && (input.deviceCountBefore ?? 0) >= rules.maxPerDevice) flags.push('duplicate_device')
  if (input.householdSeen) flags.push('duplicate_household')
  if (input.channel === 'qr' && (input.networkCountBefore ?? 0) >= NETWORK_BURST.max) flags.push('network_burst')

  const submitted = time(input.submittedAt)
  const received = time(input.receivedAt)
  const published = time(input.publishedAt)
  const skew = submitted > received || submitted < published
  const judged = skew && !Number.isNaN(received) ? received : submitted
  if (judged > time(input.closesAt)) flags.push('late')
  if (skew) flags.push('clock_skew')
  return flags
}

/** Scores of the shown rating questions answered with a score, in questionnaire order. */
export function ratedAnswersOf(questions: readonly Question[], given: Answers): number[] {
  const answers = countedAnswers(questions, given)
  const out: number[] = []
  for (const q of ratingQuestions(questions)) {
    const a = answers[q.id]
    if (typeof a === 'number') out.push(a)
  }
  return out
}

/** Whole seconds are not assumed: the duration is exact to the millisecond. Null if either instant is unreadable. */
export function durationSeconds(startedAt: string, submittedAt: string): number | null {
  const d = (Date.parse(submittedAt) - Date.parse(startedAt)) / 1000
  return Number.isNaN(d) ? null : d
}
