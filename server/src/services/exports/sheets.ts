import { ATTENDEE_LABELS, labelOf, REMARK_KIND_LABELS } from '@minyi/shared/labels'
import { formatRate, reportParagraph } from '@minyi/shared/method'
import { type ChainVerdict, evidenceHeadMessage, type Indicator } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import type { Worksheet } from 'exceljs'
import { listCampaignReviews } from '../../db/queries/reviews.ts'
import { listSymposiums } from '../../db/queries/symposiums.ts'
import type { Deps } from '../deps.ts'
import { campaignLedger } from '../symposiums/index.ts'
import { type Cell, channelZh, reasonZh, responseCells, responseHeader, text } from './cells.ts'
import { type ExportData, responsePages } from './data.ts'

// The workbook's sheets, one function each, in the order `SHEETS` (index.ts) writes them.

/** What a sheet is written from. */
export interface SheetInput {
  deps: Deps
  campaignId: string
  d: ExportData
  /** The evidence chain's verdict, read before the workbook starts streaming. */
  chain: ChainVerdict
}

/** Adds a worksheet with a bold, frozen header row and the given column widths. */
export type AddSheet = (name: string, header: string[], widths: number[]) => Worksheet

export type SheetWriter = (add: AddSheet, input: SheetInput) => Promise<void>

type Row = Cell[]

export const percent = (row: { getCell(i: number): { numFmt: string } }, cols: number[]) => {
  for (const c of cols) row.getCell(c).numFmt = '0.00%'
}

/** received, valid, rate, its interval and the small-sample mark: the columns a community and a channel share. */
function groupCells(g: {
  received: number
  valid: number
  rate: number | null
  ci95: [number, number] | null
  smallSample: boolean
}): Cell[] {
  return [g.received, g.valid, g.rate, g.ci95?.[0] ?? null, g.ci95?.[1] ?? null, g.smallSample ? '是' : '']
}

/** 指标: every figure of the indicator object, with the report paragraph. */
export const indicatorSheet: SheetWriter = async (add, { d }) => {
  const ws = add('指标', ['项目', '值'], [28, 100])
  const { rows, percentRows } = indicatorRows(d.indicator)
  rows.forEach((r, i) => {
    const row = ws.addRow(r.map(text))
    if (percentRows.has(i)) row.getCell(2).numFmt = '0.00%'
    if (r[0] === '报告段落') row.getCell(2).alignment = { wrapText: true, vertical: 'top' }
    row.commit()
  })
  ws.commit()
}

function indicatorRows(ind: Indicator): { rows: Row[]; percentRows: Set<number> } {
  const rows: Row[] = []
  const percentRows = new Set<number>()
  const pct = (label: string, v: number | null) => {
    percentRows.add(rows.length)
    rows.push([label, v])
  }
  pct('满意度', ind.rate)
  pct('95%置信区间下限', ind.ci95?.[0] ?? null)
  pct('95%置信区间上限', ind.ci95?.[1] ?? null)
  pct('考虑整群效应的区间下限', ind.ci95Design?.[0] ?? null)
  pct('考虑整群效应的区间上限', ind.ci95Design?.[1] ?? null)
  rows.push(['设计效应 deff', ind.deff], ['有效样本量 n_eff', ind.nEff], ['组内相关 rho', ind.rho])
  rows.push(['收回问卷', ind.n.received], ['有效问卷', ind.n.valid])
  pct('有效率', ind.validRate)
  for (const [k, n] of Object.entries(ind.n.excluded)) rows.push([`剔除：${reasonZh(k)}`, n])
  for (const [k, n] of Object.entries(ind.n.flagged)) rows.push([`标记：${reasonZh(k)}`, n])
  rows.push(['计为满意', ind.satisfiedSet.join('、')], ['计算依据', ind.basis === 'overall' ? '总体满意度题' : '各题满意比例的平均'])
  ind.topK.forEach((v, k) => {
    pct(`前 ${k + 1} 项满意比例`, v)
  })
  pct('按人口加权的满意度', ind.postStratified.rate)
  rows.push(['加权满意度标准误', ind.postStratified.se])
  rows.push(['无有效问卷的社区', ind.postStratified.coverageGaps.join('、')])
  rows.push(['加权指数', ind.weightedIndex])
  rows.push(['所需样本量', ind.sampleSize.required], ['样本是否充足', ind.sampleSize.adequate ? '是' : '否'])
  rows.push(['样本少于30份', ind.smallSample ? '是' : '否'])
  pct('目标值', ind.score.target)
  rows.push(['分值', ind.score.weight], ['计分规则', ind.score.rule === 'proportional' ? '按比例计分' : '按分档计分'])
  rows.push(['计分所用满意度', ind.score.on === 'postStratified' ? '按人口加权' : '满意度'], ['得分', ind.score.value])
  rows.push(['计入渠道', ind.channels.map((c) => channelZh(c)).join('、')])
  const f = ind.fieldwork
  rows.push(['入户走访户数', f.households], ['入户完成', f.completed], ['入户拒访', f.refused], ['入户不在家', f.notHome])
  rows.push(['入户需回访', f.revisit])
  pct('入户应答率', f.responseRate)
  pct('入户接触率', f.contactRate)
  rows.push(['调查员核查需复核人数', ind.interviewers.filter((w) => w.rateOutlier === true || w.uniform === true).length])
  rows.push(['报告段落', reportParagraph(ind)])
  return { rows, percentRows }
}

/** 方法: the method, the campaign's indicator config, the questionnaire version and the evidence check. */
export const methodSheet: SheetWriter = async (add, { d, chain }) => {
  const { ctx, indicator: ind } = d
  const cfg = ctx.config
  const ws = add('方法', ['项目', '内容'], [28, 100])
  const rows: Row[] = [
    [
      '计算方法',
      'METHOD.md（本软件随附）：满意率为有效问卷中计为满意的比例；区间为 Wilson 95% 区间；整群设计效应 deff = 1 + (m̄ − 1)ρ 用于调整区间；按社区常住人口事后分层加权；得分规则见下。',
    ],
    [
      '计为满意的选项',
      `${typeof cfg.satisfiedSet === 'string' ? cfg.satisfiedSet : JSON.stringify(cfg.satisfiedSet)}（${ind.satisfiedSet.join('、')}）`,
    ],
    ['计算依据', cfg.basis === 'overall' ? '总体满意度题' : '各测评题满意比例的平均'],
    ['计入的渠道', cfg.channels.map((c) => channelZh(c)).join('、')],
    ['剔除的标记', cfg.excludeFlags.map(reasonZh).join('、') || '无'],
    ['目标值', formatRate(cfg.target)],
    ['分值', cfg.weight],
    ['计分规则', ind.score.rule === 'proportional' ? '得分 = 分值 × min(1, 满意度 / 目标值)' : '按分档：达到的最高一档的分数'],
    [
      '入户走访（第 11 节）',
      '每户以最后一次走访（按走访时间，再按编号）的结果计；应答率 = 完成 ÷（完成 + 拒访 + 不在家），接触率 =（完成 + 拒访）÷ 同一分母，最后结果为需回访的住户不计入；应答率低于 50% 在报告段落中说明。',
    ],
    [
      '调查员核查（第 10 节）',
      '有效入户问卷不少于 20 份的调查员，与其所在社区其他人的有效入户问卷比较：满意度差异 z = (p_W − p_O) / √(p̄(1−p̄)(1/n_W + 1/n_O))，|z| > 3.29 为满意度异常（对照不足 20 份或 p̄ 为 0、1 时不计算）；离散度比 u = 本人各问卷评分标准差的均值 ÷ 他人的均值（只计至少 4 题有评分的问卷），u < 0.5 为评分过于一致；速度比 = 本人答题时长中位数 ÷ 他人中位数（时长按分档记录），只作参考。核查结果不剔除任何问卷。',
    ],
    ['完整配置（JSON）', JSON.stringify(cfg)],
    ['问卷版本', `当前第 ${ctx.latest.version} 版，发布于 ${shanghaiDateTime(ctx.latest.publishedAt)}；各答卷按其作答的版本计`],
    ['证据链校验', chainVerdictZh(chain)],
    ['证据链链首序号', chain.head?.seq ?? 0],
    ['证据链链首哈希', chain.head?.hash ?? ''],
    ['链首签名（Ed25519，base64）', chain.head?.signature ?? '未签名'],
    ['签名内容', chain.head ? evidenceHeadMessage(chain.head.campaignId, chain.head.seq, chain.head.hash).replaceAll('\n', '\\n') : ''],
    ['服务器公钥标识', chain.head?.publicKeyId ?? ''],
    ['服务器公钥（PEM）', chain.head?.publicKey.trim() ?? ''],
    ['导出时间', `${shanghaiDateTime(Date.now())}（北京时间）`],
  ]
  for (const r of rows) ws.addRow(r.map(text)).commit()
  ws.commit()
}

/** The verify verdict in words: the entries, then the head's signature. */
function chainVerdictZh(chain: ChainVerdict): string {
  if (chain.firstBadSeq !== null) return `不一致：第 ${chain.firstBadSeq} 条（共 ${chain.length} 条）`
  if (chain.signature === 'invalid') return `不一致：链首签名无效，链首在数据库中被改写（共 ${chain.length} 条）`
  if (chain.signature === 'missing') return `无法确认：链首未签名（共 ${chain.length} 条）`
  return `完整：${chain.length} 条记录，自接收后未被改动，链首签名有效`
}

/** 社区: each community's figures (population, quota, received, valid, rate and interval, sample size). */
export const communitiesSheet: SheetWriter = async (add, { d }) => {
  const ws = add(
    '社区',
    ['社区', '人口', '配额', '收回', '有效', '满意度', '区间下限', '区间上限', '样本少于30份', '所需样本量', '样本充足'],
    [20, 10, 8, 8, 8, 10, 10, 10, 12, 10, 10],
  )
  for (const c of d.indicator.byCommunity) {
    const row = ws.addRow([
      text(d.communityName.get(c.communityId) ?? c.communityId),
      c.population,
      c.quota,
      ...groupCells(c),
      c.sampleSize?.required ?? null,
      c.sampleSize ? (c.sampleSize.adequate ? '是' : '否') : null,
    ])
    percent(row, [6, 7, 8])
    row.commit()
  }
  ws.commit()
}

/** 渠道: each channel's figures, and whether it is pooled into the indicator. */
export const channelsSheet: SheetWriter = async (add, { d }) => {
  const ws = add(
    '渠道',
    ['渠道', '计入指标', '收回', '有效', '满意度', '区间下限', '区间上限', '样本少于30份'],
    [12, 10, 8, 8, 10, 10, 10, 12],
  )
  for (const c of d.indicator.byChannel) {
    const row = ws.addRow([channelZh(c.channel), c.pooled ? '是' : '否（单独列示）', ...groupCells(c)])
    percent(row, [5, 6, 7])
    row.commit()
  }
  ws.commit()
}

/** 分项: each rated question's satisfied share, interval and distribution. */
export const itemsSheet: SheetWriter = async (add, { d }) => {
  const titles = new Map(d.questions.map((q) => [q.id, q.title.zh]))
  const ws = add(
    '分项',
    ['题目', '编号', '总体题', '作答', '不了解', '满意比例', '区间下限', '区间上限', '各选项（分值：份数）'],
    [36, 14, 8, 8, 8, 10, 10, 10, 40],
  )
  for (const it of d.indicator.byItem) {
    const row = ws.addRow([
      text(titles.get(it.questionId) ?? it.questionId),
      it.questionId,
      it.overall ? '是' : '',
      it.n,
      it.na,
      it.rate,
      it.ci95?.[0] ?? null,
      it.ci95?.[1] ?? null,
      it.distribution.map(([score, n]) => `${score}：${n}`).join('；'),
    ])
    percent(row, [6, 7, 8])
    row.commit()
  }
  ws.commit()
}

/** 答卷: every response, the same columns as the CSV, streamed page by page. */
export const responsesSheet: SheetWriter = async (add, { deps, campaignId, d }) => {
  const ws = add('答卷', responseHeader(d), [38, 16, 10, 8, 20, 20, 20, 16, 12, 10, 24])
  for await (const page of responsePages(deps, campaignId)) for (const r of page) ws.addRow(responseCells(d, r)).commit()
  ws.commit()
}

const ACTION_ZH = { exclude: '剔除', include: '保留', reset: '恢复按规则' } as const

/** 复核记录: every review decision, with its reason, time and evaluator. */
export const reviewsSheet: SheetWriter = async (add, { deps, campaignId }) => {
  const ws = add('复核记录', ['答卷编号', '决定', '理由', '时间', '评价人员'], [38, 12, 50, 20, 16])
  for (const r of await listCampaignReviews(deps.db.db, campaignId))
    ws.addRow([
      r.response_id,
      ACTION_ZH[r.action] ?? r.action,
      text(r.reason),
      shanghaiDateTime(r.at),
      text(r.name ?? r.login ?? ''),
    ]).commit()
  ws.commit()
}

/** 座谈会: each symposium's record, attendees by category and remarks (their follow-ups: 整改台账). */
export const symposiumsSheet: SheetWriter = async (add, { deps, campaignId }) => {
  const ws = add('座谈会', ['名称', '日期', '地点', '主持', '记录', '参会人数', '意见建议'], [30, 12, 20, 10, 10, 30, 80])
  const ledger = await campaignLedger(deps, campaignId)
  for (const s of await listSymposiums(deps.db.db, campaignId)) {
    const attendees = JSON.parse(s.attendees_json) as Record<string, number>
    const remarks = ledger.filter((e) => e.symposiumId === s.id)
    const row = ws.addRow([
      text(s.title),
      s.date,
      text(s.place),
      text(s.host),
      text(s.recorder),
      Object.entries(attendees)
        .map(([k, n]) => `${labelOf(ATTENDEE_LABELS, k, 'zh')}：${n}`)
        .join('；'),
      text(remarks.map((r) => `【${labelOf(REMARK_KIND_LABELS, r.kind, 'zh')}】${r.text}`).join('\n')),
    ])
    row.getCell(7).alignment = { wrapText: true, vertical: 'top' }
    row.commit()
  }
  ws.commit()
}
