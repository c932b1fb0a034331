import { CHANNEL_LABELS, labelOf, VISIT_OUTCOME_LABELS } from '@minyi/shared/labels'
import { formatInterval, formatRate, formatScore, LOW_RESPONSE_RATE, reportParagraph } from '@minyi/shared/method'
import type { Fieldwork } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import { barsOption, distributionOption, figure, render } from '../charts.ts'
import type { ReportData, Section } from '../data.ts'
import { type Block, type Docx, type Numbering, para, table } from '../style.ts'
import { markedRate } from '../words.ts'

// 二、满意度测算结果: the indicator, then by community (with door-to-door fieldwork), by item and by
// channel. Every figure is the indicator object's (`GET …/indicator`), formatted by the shared functions.

const source = (r: ReportData) => r.w.source(r.ctx.row.title, shanghaiDateTime(r.generatedAt))
const small = (r: ReportData, any: boolean) => (any ? r.w.smallNote : undefined)
const num = (v: number | null) => (v === null ? '—' : String(v))

export const resultsHeading: Section = (d, n, r) => [n.heading(d, 1, r.w.hResults)]

/** （一）总体指标: the report paragraph and the indicator table. */
export const overallSection: Section = (d, n, r) => {
  const { w, indicator: ind } = r
  const ps = ind.postStratified
  const tiers = ind.score.rule === 'tiers' ? tierText(r) : ''
  const rows: string[][] = [
    [w.rowValid, `${ind.n.valid}`],
    [w.rowRate, markedRate(w, ind.rate, ind.smallSample)],
    [w.rowCi, formatInterval(ind.ci95)],
    [w.rowDeff, `${ind.deff.toFixed(2)} / ${ind.nEff.toFixed(1)}`],
    [w.rowCiDesign, formatInterval(ind.ci95Design)],
    [w.rowPs, ps.rate === null ? '—' : `${formatRate(ps.rate)}（${ps.se === null ? '—' : formatRate(ps.se)}）`],
    [w.rowGaps, names(r, ps.coverageGaps)],
    [w.rowMissingPop, names(r, ps.missingPopulation)],
    [w.rowSample, w.adequate(ind.sampleSize.required, ind.sampleSize.adequate)],
    [w.rowSatisfied, w.list(ind.satisfiedSet)],
    [w.rowTopK, w.list(ind.topK.map((v, k) => w.topK(k + 1, formatRate(v))))],
    [w.rowIndex, ind.weightedIndex === null ? '—' : ind.weightedIndex.toFixed(2)],
    [w.rowTarget, formatRate(ind.score.target)],
    [w.rowWeight, formatScore(ind.score.weight)],
    [
      w.rowRule,
      `${ind.score.rule === 'proportional' ? w.ruleProportional : w.ruleTiers(tiers)}${ind.score.on === 'postStratified' ? w.onPs : ''}`,
    ],
    [w.rowScore, formatScore(ind.score.value)],
  ]
  return [
    n.heading(d, 2, w.hOverall),
    // The paragraph the console copies (shared): the same sentence in the report, the export and the API's reader.
    ...(w.locale === 'zh' ? [para(d, reportParagraph(ind))] : []),
    ...table(d, n, {
      title: w.tIndicator,
      header: [w.colItem, w.colValue],
      rows,
      widths: [4, 6],
      source: source(r),
      note: small(r, ind.smallSample),
    }),
  ]
}

function tierText(r: ReportData): string {
  const s = r.ctx.config.scoring
  return s.rule === 'tiers' ? r.w.list(s.tiers.map((t) => `≥${formatRate(t.minRate)} → ${formatScore(t.score)}`)) : ''
}

function names(r: ReportData, ids: readonly string[]): string {
  return ids.length === 0 ? r.w.none : r.w.list(ids.map((id) => r.communityName.get(id) ?? id))
}

/** （二）分社区情况: each community's figures, a chart against the target, and the door-to-door fieldwork. */
export const communitiesSection: Section = async (d, n, r) => {
  const { w, indicator: ind } = r
  const target = ind.score.target
  const name = (id: string) => r.communityName.get(id) ?? id
  const door = ind.fieldwork.households > 0
  const header = [w.colCommunity, w.colPopulation, w.colReceived, w.colValid, w.colRate, w.colCi, w.colRequired, w.colAdequate]
  if (door) header.push(w.colResponseRate)
  const rows = ind.byCommunity.map((c) => {
    const row = [
      name(c.communityId),
      num(c.population),
      `${c.received}`,
      `${c.valid}`,
      markedRate(w, c.rate, c.smallSample),
      formatInterval(c.ci95),
      num(c.sampleSize?.required ?? null),
      c.sampleSize ? (c.sampleSize.adequate ? w.yes : w.no) : '—',
    ]
    if (door) row.push(formatRate(c.fieldwork.responseRate))
    return row
  })
  const below = ind.byCommunity
    .filter((c) => c.rate !== null && c.rate < target)
    .map((c) => `${name(c.communityId)}（${markedRate(w, c.rate, c.smallSample)}）`)
  const out: Block[] = [
    n.heading(d, 2, w.hCommunities),
    para(d, below.length > 0 ? w.belowTarget(w.list(below), formatRate(target)) : w.allAtTarget(formatRate(target))),
    ...table(d, n, {
      title: w.tCommunities,
      header,
      rows,
      widths: door ? [3, 1.6, 1.3, 1.3, 1.8, 3.2, 1.5, 1.3, 1.8] : [3, 1.6, 1.3, 1.3, 1.8, 3.2, 1.5, 1.3],
      source: source(r),
      note: small(
        r,
        ind.byCommunity.some((c) => c.rate !== null && c.smallSample),
      ),
    }),
  ]
  if (ind.byCommunity.length > 0) {
    const pic = await render(
      barsOption(
        ind.byCommunity.map((c) => name(c.communityId)),
        ind.byCommunity.map((c) => c.rate),
        { value: target, label: w.targetLine(formatRate(target)) },
      ),
      Math.max(160, 40 + ind.byCommunity.length * 30),
    )
    out.push(...figure(d, n, w.fCommunities, pic))
  }
  out.push(...fieldworkBlocks(d, n, r))
  return out
}

/** METHOD.md §11 per community and in total; a sentence when no household was visited. */
function fieldworkBlocks(d: Docx, n: Numbering, r: ReportData): Block[] {
  const { w, indicator: ind } = r
  const f = ind.fieldwork
  const out: Block[] = [n.heading(d, 3, w.hFieldwork)]
  if (f.households === 0) return [...out, para(d, w.noFieldwork)]
  out.push(para(d, w.fieldwork(f.households, formatRate(f.responseRate), formatRate(f.contactRate))))
  if (f.responseRate !== null && f.responseRate < LOW_RESPONSE_RATE) out.push(para(d, w.lowResponse))
  const line = (label: string, x: Fieldwork) => [
    label,
    `${x.households}`,
    `${x.completed}`,
    `${x.notHome}`,
    `${x.refused}`,
    `${x.revisit}`,
    formatRate(x.responseRate),
    formatRate(x.contactRate),
  ]
  const labels = outcomeLabels(w.locale)
  out.push(
    ...table(d, n, {
      title: w.tFieldwork,
      header: [w.colCommunity, w.colHouseholds, ...labels, w.colResponseRate, w.colContactRate],
      rows: [
        ...ind.byCommunity
          .filter((c) => c.fieldwork.households > 0)
          .map((c) => line(r.communityName.get(c.communityId) ?? c.communityId, c.fieldwork)),
        line(w.total, f),
      ],
      widths: [3, 1.5, 1.2, 1.2, 1.2, 1.2, 1.6, 1.6],
      source: source(r),
    }),
  )
  return out
}

function outcomeLabels(lang: 'zh' | 'en'): string[] {
  return (['completed', 'not_home', 'refused', 'revisit'] as const).map((o) => VISIT_OUTCOME_LABELS[o][lang])
}

/** （三）分项满意度: each rated item, its rate and interval and answers per option; two charts. */
export const itemsSection: Section = async (d, n, r) => {
  const { w, indicator: ind } = r
  const questions = new Map(r.ctx.latest.questions.map((q) => [q.id, q]))
  const optionLabel = (questionId: string, score: number) => {
    const q = questions.get(questionId)
    const o = q?.type === 'rating' ? q.scale.options.find((x) => x.score === score) : undefined
    return o ? (w.locale === 'en' && o.label.en ? o.label.en : o.label.zh) : String(score)
  }
  const rows = ind.byItem.map((it) => [
    r.title(it.questionId),
    `${it.n}`,
    `${it.na}`,
    markedRate(w, it.rate, it.smallSample),
    formatInterval(it.ci95),
    it.distribution.map(([score, k]) => `${optionLabel(it.questionId, score)} ${k}`).join(w.locale === 'zh' ? '；' : '; '),
  ])
  const out: Block[] = [
    n.heading(d, 2, w.hItems),
    ...table(d, n, {
      title: w.tItems,
      header: [w.colQuestion, w.colAnswered, w.colNa, w.colRate, w.colCi, w.colDistribution],
      rows,
      widths: [3.4, 1.2, 1.2, 1.6, 3, 4],
      source: source(r),
      note: small(
        r,
        ind.byItem.some((it) => it.rate !== null && it.smallSample),
      ),
    }),
  ]
  if (ind.byItem.length === 0) return out
  const labels = ind.byItem.map((it) => r.title(it.questionId))
  const height = Math.max(180, 40 + ind.byItem.length * 28)
  out.push(
    ...figure(
      d,
      n,
      w.fItems,
      await render(
        barsOption(
          labels,
          ind.byItem.map((it) => it.rate),
          null,
        ),
        height,
      ),
    ),
  )
  // Every item's answers by option, on the first item's scale (the template's items share one scale).
  const first = ind.byItem[0]
  if (first) {
    const scores = first.distribution.map(([s]) => s)
    const options = [...scores.map((s) => optionLabel(first.questionId, s)), w.naOption]
    const shares = ind.byItem.map((it) => {
      const total = it.n + it.na
      const by = new Map(it.distribution)
      return [...scores.map((s) => (total > 0 ? (by.get(s) ?? 0) / total : 0)), total > 0 ? it.na / total : 0]
    })
    out.push(...figure(d, n, w.fDistribution, await render(distributionOption(labels, options, shares), height + 40)))
  }
  return out
}

/** （四）分渠道情况: each channel, pooled or shown apart. */
export const channelsSection: Section = (d, n, r) => {
  const { w, indicator: ind } = r
  const rows = ind.byChannel.map((c) => [
    labelOf(CHANNEL_LABELS, c.channel, w.locale),
    c.pooled ? w.yes : w.pooledNo,
    `${c.received}`,
    `${c.valid}`,
    markedRate(w, c.rate, c.smallSample),
    formatInterval(c.ci95),
  ])
  return [
    n.heading(d, 2, w.hChannels),
    para(d, w.channelsNote),
    ...table(d, n, {
      title: w.tChannels,
      header: [w.colChannel, w.colPooled, w.colReceived, w.colValid, w.colRate, w.colCi],
      rows,
      widths: [2, 2, 1.3, 1.3, 1.8, 3.2],
      source: source(r),
      note: small(
        r,
        ind.byChannel.some((c) => c.rate !== null && c.smallSample),
      ),
    }),
  ]
}
