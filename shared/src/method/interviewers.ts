import type { InterviewerCheck } from '../schemas/indicator.ts'
import { addSums, ZERO_SUMS } from './cells.ts'
import type { ClusterSums } from './design.ts'
import { type DoorPart, groupBy, type JudgedCell } from './indicator-parts.ts'
import { SD_SCALE } from './tally.ts'

/** METHOD.md §10 thresholds. */
export const INTERVIEWER_MIN_N = 20
export const RATE_OUTLIER_Z = 3.29
export const UNIFORM_BELOW = 0.5

/** What one side (a worker's questionnaires, or the others') adds up to. */
interface Side {
  valid: number
  sums: ClusterSums
  /** Questionnaires with at least 4 rated items, and the sum of their deviations in millionths. */
  sdN: number
  sdMicro: number
  /** Duration bucket start (seconds) → questionnaires. */
  durations: Map<number, number>
}

const emptySide = (): Side => ({ valid: 0, sums: ZERO_SUMS, sdN: 0, sdMicro: 0, durations: new Map() })

/** A valid door cell's uniformity and duration counts (the indicator keeps them as it judges the cell). */
export function doorPart(counts: Readonly<Record<string, number>>): DoorPart {
  const durations: [number, number][] = []
  for (const metric in counts) if (metric.startsWith('dur:')) durations.push([Number(metric.slice(4)), counts[metric] ?? 0])
  return { sdN: counts['sd:n'] ?? 0, sdMicro: counts['sd:micro'] ?? 0, durations }
}

function addCell(side: Side, j: JudgedCell): void {
  side.valid += j.n
  side.sums = addSums(side.sums, j.sums)
  if (!j.door) return
  side.sdN += j.door.sdN
  side.sdMicro += j.door.sdMicro
  for (const [start, c] of j.door.durations) side.durations.set(start, (side.durations.get(start) ?? 0) + c)
}

/** Median of a histogram (bucket start → count): the middle value, or the mean of the two middle ones. Null when empty. */
export function histogramMedian(histogram: ReadonlyMap<number, number>): number | null {
  const buckets = [...histogram].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0])
  const total = buckets.reduce((a, [, c]) => a + c, 0)
  if (total === 0) return null
  const at = (position: number): number => {
    let seen = 0
    for (const [start, c] of buckets) {
      seen += c
      if (position < seen) return start
    }
    return buckets[buckets.length - 1]?.[0] ?? 0
  }
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2
}

/**
 * METHOD.md §10 for every worker with a valid `door` questionnaire, by worker id. W is the worker's
 * valid door questionnaires, O every other valid door questionnaire in the communities where W has
 * some ("valid": no hard reason and no excluding flag under the config, whether or not the config
 * pools the door channel; a door questionnaire without a worker is among the others of everyone).
 * - z = (p_W − p_O) / sqrt(p̄(1−p̄)(1/n_W + 1/n_O)), p̄ = (x_W + x_O)/(n_W + n_O), on the config's
 *   basis; null when n_W < 20, n_O < 20 or p̄ is 0 or 1; rateOutlier when |z| > 3.29.
 * - u = mean_W / mean_O of the questionnaires' rated-score standard deviations (questionnaires
 *   with ≥ 4 rated items); null when either side has fewer than 20 such or mean_O is 0 (or n_W <
 *   20); uniform when u < 0.5.
 * - speedRatio = median duration of W / median of O, durations as kept (`durationBucket`); null
 *   when n_W < 20, either side has no duration, or O's median is 0. Never a flag.
 * A flag is null when its figure is null. Nothing here flags or excludes a questionnaire.
 */
export function interviewerChecks(judged: readonly JudgedCell[]): InterviewerCheck[] {
  const door = judged.filter((j) => j.reason === null && j.cell.channel === 'door')
  // One pass groups the door cells by worker and by community (each group in key order); a worker's
  // "others" are then read from its own communities only, so the work follows the cells, not
  // workers × cells.
  const byWorker = groupBy(
    door.filter((j) => j.cell.workerId !== ''),
    (j) => j.cell.workerId,
  )
  const byCommunity = groupBy(door, (j) => j.cell.communityId)
  const workers = [...byWorker.keys()].sort()
  return workers.map((workerId) => {
    const w = emptySide()
    const communities: string[] = []
    for (const j of byWorker.get(workerId) ?? []) {
      addCell(w, j)
      if (communities[communities.length - 1] !== j.cell.communityId) communities.push(j.cell.communityId)
    }
    const o = emptySide()
    for (const id of communities) for (const j of byCommunity.get(id) ?? []) if (j.cell.workerId !== workerId) addCell(o, j)

    const enough = w.valid >= INTERVIEWER_MIN_N
    const z = enough ? rateGap(w.sums, o.sums) : null
    const u = enough ? uniformity(w, o) : null
    const medianW = enough ? histogramMedian(w.durations) : null
    const medianO = histogramMedian(o.durations)
    const speedRatio = medianW !== null && medianO !== null && medianO > 0 ? medianW / medianO : null
    return {
      workerId,
      nW: w.valid,
      nO: o.valid,
      z,
      rateOutlier: z === null ? null : Math.abs(z) > RATE_OUTLIER_Z,
      u,
      uniform: u === null ? null : u < UNIFORM_BELOW,
      speedRatio,
    }
  })
}

function rateGap(w: ClusterSums, o: ClusterSums): number | null {
  if (w.n < INTERVIEWER_MIN_N || o.n < INTERVIEWER_MIN_N) return null
  const pooled = (w.sum + o.sum) / (w.n + o.n)
  if (pooled <= 0 || pooled >= 1) return null
  return (w.sum / w.n - o.sum / o.n) / Math.sqrt(pooled * (1 - pooled) * (1 / w.n + 1 / o.n))
}

function uniformity(w: Side, o: Side): number | null {
  if (w.sdN < INTERVIEWER_MIN_N || o.sdN < INTERVIEWER_MIN_N) return null
  const meanO = o.sdMicro / SD_SCALE / o.sdN
  if (meanO <= 0) return null
  return w.sdMicro / SD_SCALE / w.sdN / meanO
}
