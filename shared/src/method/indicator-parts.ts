import { FLAGS, type IndicatorConfig } from '../schemas/campaign.ts'
import { CHANNELS, type Channel } from '../schemas/common.ts'
import type { ChannelRate, CommunityRate, Fieldwork, ItemRate } from '../schemas/indicator.ts'
import { countsWithPrefix, meanShareSums } from './cells.ts'
import type { FittedConfig } from './config-fit.ts'
import type { ClusterSums } from './design.ts'
import { MethodError } from './errors.ts'
import { isSmallSample } from './format.ts'
import { summarizeRatings } from './ratings.ts'
import { requiredSampleSize } from './sample-size.ts'
import { type CellCoordinates, flagsOfKey } from './tally.ts'
import { indexWeights, weightedIndex } from './weighted-index.ts'
import { proportion, wilson } from './wilson.ts'

// The pieces `indicatorFromTally` assembles: one function per line or block of the indicator.

/** A community in the campaign's scope; population in the unit the config names (residents or households). */
export interface CommunityInput {
  id: string
  population: number | null
  quota?: number | null
  /** The street (街道) it belongs to; absent or null: none known (such communities form the street line `null`). */
  streetId?: string | null
}

/** A door cell's part in the interviewer check (METHOD.md §10), read from its counts once. */
export interface DoorPart {
  sdN: number
  sdMicro: number
  /** [duration bucket start (s), questionnaires] */
  durations: [number, number][]
}

/**
 * A cell with what the config makes of it: its coordinates and the few figures the indicator reads,
 * so its counts can be let go once it is judged (the server reads kept cells page by page).
 */
export interface JudgedCell {
  cell: CellCoordinates
  /** `cellKey(cell)`: the order floating sums are added in. */
  key: string
  /** The cell's responses (its `n` count). */
  n: number
  reason: string | null
  sums: ClusterSums
  /** For a valid `door` cell: its uniformity and duration counts; null otherwise. */
  door: DoorPart | null
}

export interface Line {
  received: number
  valid: number
  sums: ClusterSums
}

export function line(cells: readonly JudgedCell[]): Line {
  // Plain numbers added in the cells' order: the same sums as adding ClusterSums objects, without one per cell.
  let received = 0
  let valid = 0
  let n = 0
  let sum = 0
  let sumSq = 0
  for (const j of cells) {
    received += j.n
    if (j.reason !== null) continue
    valid += j.n
    n += j.sums.n
    sum += j.sums.sum
    sumSq += j.sums.sumSq
  }
  return { received, valid, sums: { n, sum, sumSq } }
}

export type Group = Omit<ChannelRate, 'channel' | 'pooled'>

export function groupRate(cells: readonly JudgedCell[]): Group {
  const { received, valid, sums } = line(cells)
  const rate = proportion(sums.sum, sums.n)
  return { received, valid, n: sums.n, rate, ci95: rate === null ? null : wilson(sums.sum, sums.n), smallSample: isSmallSample(valid) }
}

/** The communities in scope in the order given, then any other community with pooled data, by id. */
export function orderedCommunityIds(communities: readonly CommunityInput[], judged: readonly JudgedCell[]): string[] {
  const listed = communities.map((c) => c.id)
  const seen = new Set(listed)
  const extra = [...new Set(judged.map((j) => j.cell.communityId))].filter((id) => !seen.has(id)).sort()
  return [...listed, ...extra]
}

export function excludedCounts(cells: readonly JudgedCell[], config: IndicatorConfig): Record<string, number> {
  const out: Record<string, number> = { test: 0, evaluator_excluded: 0, missing_basis: 0 }
  for (const f of config.excludeFlags) out[f] = 0
  for (const j of cells) if (j.reason !== null) out[j.reason] = (out[j.reason] ?? 0) + j.n
  return out
}

export function flaggedCounts(cells: readonly JudgedCell[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(FLAGS.map((f) => [f, 0]))
  for (const j of cells) if (j.cell.flagsKey !== '') for (const f of flagsOfKey(j.cell.flagsKey)) out[f] = (out[f] ?? 0) + j.n
  return out
}

/** `valid`: the counts of the valid pooled cells summed (`sumCounts`). */
export function basisTopK(config: IndicatorConfig, fit: FittedConfig, valid: Readonly<Record<string, number>>, n: number): number[] {
  if (n === 0) return []
  if (config.basis === 'overall') {
    const overall = fit.overall
    return overall ? summarizeRatings(overall.scale, countsWithPrefix(valid, 'overall:'), fit.satisfied.k).topK : []
  }
  return Array.from({ length: fit.referenceScale.options.length - 1 }, (_, i) =>
    Math.min(1, meanShareSums({ counts: valid }, i + 1).sum / n),
  )
}

export function itemSummary(questionId: string, fit: FittedConfig, valid: Readonly<Record<string, number>>) {
  const q = fit.rating.find((r) => r.id === questionId)
  const satisfied = fit.satisfiedByItem.get(questionId)
  if (!q || !satisfied) throw new MethodError('basis_item_missing', `no rating question ${questionId}`)
  return { q, summary: summarizeRatings(q.scale, countsWithPrefix(valid, `item:${questionId}:`), satisfied.k) }
}

export function itemLine(questionId: string, overall: boolean, fit: FittedConfig, valid: Readonly<Record<string, number>>): ItemRate {
  const { summary } = itemSummary(questionId, fit, valid)
  return {
    questionId,
    overall,
    n: summary.n,
    na: summary.na,
    rate: summary.rate,
    ci95: summary.ci95,
    topK: summary.topK,
    distribution: summary.distribution,
    smallSample: isSmallSample(summary.n),
  }
}

export function basisWeightedIndex(config: IndicatorConfig, fit: FittedConfig, valid: Readonly<Record<string, number>>): number | null {
  const preset = config.weightedIndex
  if (!preset) return null
  const items = config.basis === 'overall' ? (fit.overall ? [fit.overall] : []) : fit.rating
  const indices: number[] = []
  for (const item of items) {
    const { q, summary } = itemSummary(item.id, fit, valid)
    const size = q.scale.options.length
    const index = weightedIndex(
      summary.distribution.slice(0, size).map(([, c]) => c),
      indexWeights(preset, size),
    )
    if (index !== null) indices.push(index)
  }
  return indices.length > 0 ? indices.reduce((a, v) => a + v, 0) / indices.length : null
}

export function channelLines(judged: readonly JudgedCell[], pooled: ReadonlySet<Channel>): ChannelRate[] {
  const byChannel = groupBy(judged, (j) => j.cell.channel)
  return CHANNELS.flatMap((channel) => {
    const cells = byChannel.get(channel) ?? []
    if (cells.length === 0 && !pooled.has(channel)) return []
    return [{ channel, pooled: pooled.has(channel), ...groupRate(cells) }]
  })
}

/** Items grouped by a key in one pass; each group keeps the items' order (so floating sums add up as a filter's would). */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = out.get(key)
    if (group) group.push(item)
    else out.set(key, [item])
  }
  return out
}

export function communityLine(
  id: string,
  community: CommunityInput | undefined,
  cells: readonly JudgedCell[],
  config: IndicatorConfig,
  fieldwork: Fieldwork,
): CommunityRate {
  const group = groupRate(cells)
  const population = community?.population ?? null
  const { margin, p, expectedValidRate } = config.sampleSize
  const required = population === null ? null : requiredSampleSize({ margin, p, population, deff: 1, validRate: expectedValidRate })
  return {
    communityId: id,
    population,
    quota: community?.quota ?? null,
    ...group,
    sampleSize: required === null ? null : { required, adequate: group.valid >= required },
    fieldwork,
  }
}
