import type { IndicatorConfig } from '../schemas/campaign.ts'
import { CHANNELS, type Channel } from '../schemas/common.ts'
import type { Indicator } from '../schemas/indicator.ts'
import type { Question } from '../schemas/questionnaire.ts'
import { addCountsInto, basisSums, exclusionReason, ZERO_SUMS } from './cells.ts'
import { assertConfigFits, type FittedConfig } from './config-fit.ts'
import { designEffect } from './design.ts'
import { addOutcomeCounts, emptyOutcomeCounts, type FieldworkTally, fieldworkFigures } from './fieldwork.ts'
import { isSmallSample } from './format.ts'
import {
  basisTopK,
  basisWeightedIndex,
  type CommunityInput,
  channelLines,
  communityLine,
  excludedCounts,
  flaggedCounts,
  groupBy,
  itemLine,
  type JudgedCell,
  line,
  orderedCommunityIds,
} from './indicator-parts.ts'
import { doorPart, interviewerChecks } from './interviewers.ts'
import { postStratify } from './post-stratify.ts'
import { requiredSampleSize } from './sample-size.ts'
import { indicatorScore } from './score.ts'
import { streetLines } from './streets.ts'
import { type CellCoordinates, cellKey, type Tally, type TallyCell } from './tally.ts'
import { proportion, wilson, wilsonInterval } from './wilson.ts'

export type { CommunityInput } from './indicator-parts.ts'

export interface IndicatorFromTallyInput {
  config: IndicatorConfig
  /** The questions of the current published questionnaire version. */
  questions: readonly Question[]
  communities: readonly CommunityInput[]
  tally: Tally
  /** Households by final outcome per community (METHOD.md §11); none when absent. */
  fieldwork?: FieldworkTally
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
 * - fieldwork counts every community's households, byCommunity[].fieldwork each community's (zeros
 *   when it has no visit); interviewers judge validity whatever the pooled channels (interviewers.ts).
 * - byStreet: see `streetLines` (streets.ts).
 * - Cells are put in key order before any floating sum, so sums are bit-for-bit reproducible from
 *   equal tallies, whatever order the cells come in (`indicatorBuilder`).
 * - Work is linear in the kept cells: cells are grouped by community, channel and worker in one pass
 *   each, never filtered once per community or per worker.
 * @throws MethodError when the config does not fit the questions (see `assertConfigFits`)
 */
export function indicatorFromTally({ config, questions, communities, tally, fieldwork = {} }: IndicatorFromTallyInput): Indicator {
  const builder = indicatorBuilder({ config, questions })
  for (const key in tally.cells) {
    const cell = tally.cells[key]
    if (cell) builder.add(cell)
  }
  return builder.build({ communities, fieldwork })
}

export interface IndicatorBuilder {
  /** Judges one cell of the tally and keeps what the indicator reads of it (each cell once, any order). */
  add(cell: TallyCell): void
  /** The indicator of every cell added, as `indicatorFromTally` gives it for the same cells. */
  build(input: { communities: readonly CommunityInput[]; fieldwork?: FieldworkTally }): Indicator
}

/**
 * `indicatorFromTally` one cell at a time: a cell's counts are read once, when it is added, and
 * need not be kept (the server reads its kept cells page by page, so memory follows a page, not the
 * campaign). Cells are judged in any order and put in key order before any floating sum.
 * @throws MethodError when the config does not fit the questions (see `assertConfigFits`)
 */
export function indicatorBuilder({ config, questions }: { config: IndicatorConfig; questions: readonly Question[] }): IndicatorBuilder {
  const fit = assertConfigFits(config, questions)
  const k = fit.satisfied.k
  const pooled = new Set<Channel>(config.channels)
  const judged: JudgedCell[] = []
  /** Every metric summed over the valid pooled cells (integers: any order). */
  const validPooled: Record<string, number> = {}
  return {
    add(cell) {
      const reason = exclusionReason(cell, config)
      const valid = reason === null
      if (valid && pooled.has(cell.channel)) addCountsInto(validPooled, cell.counts)
      judged.push({
        cell: coordinatesOf(cell),
        key: cellKey(cell),
        n: cell.counts.n ?? 0,
        reason,
        sums: valid ? basisSums(cell, config, k, fit.satisfied.scores) : ZERO_SUMS,
        door: valid && cell.channel === 'door' ? doorPart(cell.counts) : null,
      })
    },
    build: ({ communities, fieldwork = {} }) => {
      judged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      return assemble({ config, fit, pooled, judged, validPooled, communities, fieldwork })
    },
  }
}

function coordinatesOf(c: CellCoordinates): CellCoordinates {
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

interface AssembleInput {
  config: IndicatorConfig
  fit: FittedConfig
  pooled: ReadonlySet<Channel>
  /** In key order. */
  judged: readonly JudgedCell[]
  validPooled: Readonly<Record<string, number>>
  communities: readonly CommunityInput[]
  fieldwork: FieldworkTally
}

function assemble({ config, fit, pooled, judged, validPooled, communities, fieldwork }: AssembleInput): Indicator {
  const inPool = judged.filter((j) => pooled.has(j.cell.channel))

  const total = line(inPool)
  const rate = proportion(total.sums.sum, total.sums.n)
  const communityIds = orderedCommunityIds(communities, inPool)
  // One pass groups the pooled cells by community (each group in key order, as a filter would give).
  const cellsOf = groupBy(inPool, (j) => j.cell.communityId)
  const known = new Map(communities.map((c) => [c.id, c]))
  const strata = new Map(
    communityIds.map((id) => {
      const { sums } = line(cellsOf.get(id) ?? [])
      return [id, { id, population: known.get(id)?.population ?? null, n: sums.n, x: sums.sum, sums }]
    }),
  )
  const design = designEffect([...strata.values()].map((s) => s.sums))
  const ps = postStratify([...strata.values()])
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
  const allOutcomes = emptyOutcomeCounts()
  for (const id of Object.keys(fieldwork).sort()) addOutcomeCounts(allOutcomes, fieldwork[id] ?? emptyOutcomeCounts())

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
    byCommunity: communityIds.map((id) =>
      communityLine(id, known.get(id), cellsOf.get(id) ?? [], config, fieldworkFigures(fieldwork[id] ?? emptyOutcomeCounts())),
    ),
    byStreet: streetLines({ communityIds, known, cellsOf, strata, fieldwork, config }),
    byItem: fit.rating.map((q) => itemLine(q.id, q.overall, fit, validPooled)),
    fieldwork: fieldworkFigures(allOutcomes),
    interviewers: interviewerChecks(judged),
  }
}
