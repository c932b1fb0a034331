import { FLAGS, type IndicatorConfig } from '../schemas/campaign.ts'
import { CHANNELS, type Channel } from '../schemas/common.ts'
import type { ChannelRate, CommunityRate, Indicator, ItemRate } from '../schemas/indicator.ts'
import type { Question } from '../schemas/questionnaire.ts'
import { addSums, basisSums, countsWithPrefix, exclusionReason, meanShareSums, ZERO_SUMS } from './cells.ts'
import { assertConfigFits, type FittedConfig } from './config-fit.ts'
import { type ClusterSums, designEffect } from './design.ts'
import { MethodError } from './errors.ts'
import { isSmallSample } from './format.ts'
import { postStratify } from './post-stratify.ts'
import { summarizeRatings } from './ratings.ts'
import { requiredSampleSize } from './sample-size.ts'
import { indicatorScore } from './score.ts'
import { flagsOfKey, type Tally, type TallyCell } from './tally.ts'
import { indexWeights, weightedIndex } from './weighted-index.ts'
import { proportion, wilson, wilsonInterval } from './wilson.ts'

/** A community in the campaign's scope; population in the unit the config names (residents or households). */
export interface CommunityInput {
  id: string
  population: number | null
  quota?: number | null
}

export interface IndicatorFromTallyInput {
  config: IndicatorConfig
  /** The questions of the current published questionnaire version. */
  questions: readonly Question[]
  communities: readonly CommunityInput[]
  tally: Tally
}

/** A cell with what the config makes of it. */
interface JudgedCell {
  cell: TallyCell
  reason: string | null
  sums: ClusterSums
}

/**
 * The indicator object (PRODUCT.md Contracts, METHOD.md §3–§9) from the aggregate. Choices where
 * METHOD.md is silent:
 * - `n.received` / `n.valid`, the rate, intervals, design effect, post-stratification, sample size,
 *   byCommunity and byItem count the pooled channels only; byChannel shows every channel that has
 *   data or is pooled, each judged on its own.
 * - `n.excluded` has one reason per response, hard reasons first (test, evaluator_excluded,
 *   missing_basis), then the first flag in `FLAGS` order that the config's excludeFlags names; its
 *   keys are the hard reasons plus the excluding flags, 0 when none. `n.flagged` counts every flag
 *   seen on a received response (one response may count under several), every flag listed.
 * - The design effect clusters the pooled valid sample by community, whatever the channel.
 * - The overall sample size uses the estimated deff and, when every community in scope has a
 *   population, their total as N; per community it uses that community's population with deff 1
 *   (null without a population). Adequate means valid ≥ required.
 * - The weighted index is on the overall item's distribution (basis overall) or the mean of the
 *   rating items' indices (items_mean); scores off the current scale carry no weight.
 * - Keys are visited in sorted order, so floating sums are bit-for-bit reproducible from equal tallies.
 * @throws MethodError when the config does not fit the questions (see `assertConfigFits`)
 */
export function indicatorFromTally({ config, questions, communities, tally }: IndicatorFromTallyInput): Indicator {
  const fit = assertConfigFits(config, questions)
  const k = fit.satisfied.k
  const pooled = new Set<Channel>(config.channels)
  const judged: JudgedCell[] = Object.keys(tally.cells)
    .sort()
    .flatMap((key) => {
      const cell = tally.cells[key]
      if (!cell) return []
      const reason = exclusionReason(cell, config)
      return [{ cell, reason, sums: reason === null ? basisSums(cell, config, k, fit.satisfied.scores) : ZERO_SUMS }]
    })
  const inPool = judged.filter((j) => pooled.has(j.cell.channel))
  const validPooled = inPool.filter((j) => j.reason === null).map((j) => j.cell)

  const total = line(inPool)
  const rate = proportion(total.sums.sum, total.sums.n)
  const communityIds = orderedCommunityIds(communities, inPool)
  const byCommunityCells = new Map(communityIds.map((id) => [id, inPool.filter((j) => j.cell.communityId === id)]))
  const design = designEffect(communityIds.map((id) => line(byCommunityCells.get(id) ?? []).sums))
  const known = new Map(communities.map((c) => [c.id, c]))
  const ps = postStratify(
    communityIds.map((id) => {
      const { sums } = line(byCommunityCells.get(id) ?? [])
      return { id, population: known.get(id)?.population ?? null, n: sums.n, x: sums.sum }
    }),
  )
  const populations = communities.map((c) => c.population)
  const scopePopulation =
    populations.length > 0 && populations.every((p) => p !== null && p > 0) ? populations.reduce<number>((a, p) => a + (p ?? 0), 0) : null
  const { margin, p: anticipated, expectedValidRate } = config.sampleSize
  const required = requiredSampleSize({
    margin,
    p: anticipated,
    population: scopePopulation,
    deff: design.deff,
    validRate: expectedValidRate,
  })
  const scoreRate = config.scoreOn === 'rate' ? rate : ps.rate

  return {
    rate,
    ci95: rate === null ? null : wilson(total.sums.sum, total.sums.n),
    n: { received: total.received, valid: total.valid, excluded: excludedCounts(inPool, config), flagged: flaggedCounts(inPool) },
    validRate: proportion(total.valid, total.received),
    basis: config.basis,
    satisfiedSet: fit.satisfied.labels,
    topK: basisTopK(config, fit, validPooled, total.sums.n),
    rho: design.rho,
    deff: design.deff,
    nEff: design.nEff,
    ci95Design: rate === null ? null : wilsonInterval(rate, design.nEff),
    postStratified: ps,
    weightedIndex: basisWeightedIndex(config, fit, validPooled),
    sampleSize: { required, adequate: total.valid >= required },
    score: {
      rule: config.scoring.rule,
      target: config.target,
      weight: config.weight,
      on: config.scoreOn,
      value: indicatorScore({ scoring: config.scoring, rate: scoreRate, target: config.target, weight: config.weight }),
    },
    smallSample: isSmallSample(total.valid),
    channels: CHANNELS.filter((c) => pooled.has(c)),
    byChannel: channelLines(judged, pooled),
    byCommunity: communityIds.map((id) => communityLine(id, known.get(id), byCommunityCells.get(id) ?? [], config)),
    byItem: fit.rating.map((q) => itemLine(q.id, q.overall, fit, validPooled)),
  }
}

interface Line {
  received: number
  valid: number
  sums: ClusterSums
}

function line(cells: readonly JudgedCell[]): Line {
  let received = 0
  let valid = 0
  let sums = ZERO_SUMS
  for (const j of cells) {
    const n = j.cell.counts.n ?? 0
    received += n
    if (j.reason !== null) continue
    valid += n
    sums = addSums(sums, j.sums)
  }
  return { received, valid, sums }
}

type Group = Omit<ChannelRate, 'channel' | 'pooled'>

function groupRate(cells: readonly JudgedCell[]): Group {
  const { received, valid, sums } = line(cells)
  const rate = proportion(sums.sum, sums.n)
  return { received, valid, n: sums.n, rate, ci95: rate === null ? null : wilson(sums.sum, sums.n), smallSample: isSmallSample(valid) }
}

/** The communities in scope in the order given, then any other community with pooled data, by id. */
function orderedCommunityIds(communities: readonly CommunityInput[], judged: readonly JudgedCell[]): string[] {
  const listed = communities.map((c) => c.id)
  const seen = new Set(listed)
  const extra = [...new Set(judged.map((j) => j.cell.communityId))].filter((id) => !seen.has(id)).sort()
  return [...listed, ...extra]
}

function excludedCounts(cells: readonly JudgedCell[], config: IndicatorConfig): Record<string, number> {
  const out: Record<string, number> = { test: 0, evaluator_excluded: 0, missing_basis: 0 }
  for (const f of config.excludeFlags) out[f] = 0
  for (const j of cells) if (j.reason !== null) out[j.reason] = (out[j.reason] ?? 0) + (j.cell.counts.n ?? 0)
  return out
}

function flaggedCounts(cells: readonly JudgedCell[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(FLAGS.map((f) => [f, 0]))
  for (const j of cells) for (const f of flagsOfKey(j.cell.flagsKey)) out[f] = (out[f] ?? 0) + (j.cell.counts.n ?? 0)
  return out
}

function basisTopK(config: IndicatorConfig, fit: FittedConfig, valid: readonly TallyCell[], n: number): number[] {
  if (n === 0) return []
  if (config.basis === 'overall') {
    const overall = fit.overall
    return overall ? summarizeRatings(overall.scale, countsWithPrefix(valid, 'overall:'), fit.satisfied.k).topK : []
  }
  return Array.from({ length: fit.referenceScale.options.length - 1 }, (_, i) => {
    const sum = valid.reduce((a, cell) => a + meanShareSums(cell, i + 1).sum, 0)
    return Math.min(1, sum / n)
  })
}

function itemSummary(questionId: string, fit: FittedConfig, valid: readonly TallyCell[]) {
  const q = fit.rating.find((r) => r.id === questionId)
  const satisfied = fit.satisfiedByItem.get(questionId)
  if (!q || !satisfied) throw new MethodError('basis_item_missing', `no rating question ${questionId}`)
  return { q, summary: summarizeRatings(q.scale, countsWithPrefix(valid, `item:${questionId}:`), satisfied.k) }
}

function itemLine(questionId: string, overall: boolean, fit: FittedConfig, valid: readonly TallyCell[]): ItemRate {
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

function basisWeightedIndex(config: IndicatorConfig, fit: FittedConfig, valid: readonly TallyCell[]): number | null {
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

function channelLines(judged: readonly JudgedCell[], pooled: ReadonlySet<Channel>): ChannelRate[] {
  return CHANNELS.flatMap((channel) => {
    const cells = judged.filter((j) => j.cell.channel === channel)
    if (cells.length === 0 && !pooled.has(channel)) return []
    return [{ channel, pooled: pooled.has(channel), ...groupRate(cells) }]
  })
}

function communityLine(
  id: string,
  community: CommunityInput | undefined,
  cells: readonly JudgedCell[],
  config: IndicatorConfig,
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
  }
}
