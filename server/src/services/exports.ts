import { PassThrough, Readable } from 'node:stream'
import { ATTENDEE_LABELS, CHANNEL_LABELS, labelOf, reasonLabel } from '@minyi/shared/labels'
import { flagsOfKey, formatRate, reportParagraph } from '@minyi/shared/method'
import type { AnswerValue, Indicator, Question } from '@minyi/shared/schemas'
import { shanghaiDateTime, shanghaiDay } from '@minyi/shared/time'
import { type ExportResponseRow, listCampaignReviews, pageResponsesForExport } from '../db/queries/responses.ts'
import { listSymposiums } from '../db/queries/symposiums.ts'
import { storedAnswers } from './answers.ts'
import type { Deps } from './deps.ts'
import { verifyChain } from './evidence.ts'
import { contextWithVersion, indicatorFromAggregates } from './indicator.ts'

// C5 exports: the XLSX workbook (responses, items, communities, channels, symposiums, indicator,
// method) and the responses as CSV. Both stream page by page, so a campaign of any size is exported
// in bounded memory, and every text an answerer or recorder typed is neutralised against
// spreadsheet formula injection.

const PAGE = 2000

/**
 * OWASP "CSV injection": a cell whose text starts with = + - @ (or a tab / carriage return that
 * some spreadsheets skip first) is read as a formula when the file is opened. Such text is prefixed
 * with an apostrophe, which spreadsheets show as text and which a reader sees as added.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

const reasonZh = (r: string) => reasonLabel(r, 'zh')
const channelZh = (c: string) => labelOf(CHANNEL_LABELS, c, 'zh')

type Cell = string | number | null

/** One answer as a spreadsheet cell: a rating's score (or 不了解), an option's label, the text neutralised. */
function answerCell(q: Question, v: AnswerValue | undefined): Cell {
  if (v === undefined) return null
  if (q.type === 'rating') return v === 'na' ? '不了解' : typeof v === 'number' ? v : neutralise(String(v))
  if (q.type === 'single' || q.type === 'multiple') {
    const label = (x: string) => q.options.find((o) => o.value === x)?.label.zh ?? x
    return neutralise((Array.isArray(v) ? v : [String(v)]).map(label).join('、'))
  }
  if (typeof v === 'number') return v
  return neutralise(Array.isArray(v) ? v.join('、') : String(v))
}

interface ExportData {
  ctx: Awaited<ReturnType<typeof contextWithVersion>>
  indicator: Indicator
  questions: Question[]
  communityName: Map<string, string>
}

/**
 * The answer columns: the current version's questions, then any question only older versions had
 * (newest first), so an answer given to a question since removed is still exported.
 */
function exportQuestions(current: readonly Question[], all: readonly (readonly Question[])[]): Question[] {
  const out = [...current]
  const seen = new Set(current.map((q) => q.id))
  for (const questions of [...all].reverse())
    for (const q of questions)
      if (!seen.has(q.id)) {
        seen.add(q.id)
        out.push(q)
      }
  return out
}

async function load(deps: Deps, campaignId: string): Promise<ExportData> {
  const ctx = await contextWithVersion(deps, campaignId)
  const indicator = await indicatorFromAggregates(deps, campaignId)
  return {
    ctx,
    indicator,
    questions: exportQuestions(
      ctx.latest.questions,
      [...ctx.versions.values()].map((v) => v.questions),
    ),
    communityName: new Map([...ctx.communities.values()].map((c) => [c.id, c.name])),
  }
}

const RESPONSE_HEADERS = [
  '编号',
  '社区',
  '渠道',
  '问卷版本',
  '开始时间',
  '提交时间',
  '接收时间',
  '标记',
  '剔除',
  '复核',
  '采集员',
  '内容哈希',
]

function responseHeader(d: ExportData): string[] {
  return [...RESPONSE_HEADERS.slice(0, -1), ...d.questions.map((q) => `${q.title.zh}（${q.id}）`), RESPONSE_HEADERS.at(-1) ?? '']
}

function responseCells(d: ExportData, r: ExportResponseRow): Cell[] {
  const answers = storedAnswers(d.ctx, r)
  return [
    r.id,
    d.communityName.get(r.community_id) ?? r.community_id,
    channelZh(r.channel),
    Number(r.questionnaire_version),
    shanghaiDateTime(r.started_at),
    shanghaiDateTime(r.submitted_at),
    shanghaiDateTime(r.received_at),
    flagsOfKey(r.flags).map(reasonZh).join('、'),
    r.exclusion ? reasonZh(r.exclusion) : '',
    r.review === 'include' ? '复核保留' : '',
    r.worker_id ?? '',
    ...d.questions.map((q) => answerCell(q, answers[q.id])),
    r.content_hash,
  ]
}

async function* responsePages(deps: Deps, campaignId: string): AsyncGenerator<ExportResponseRow[]> {
  let after = ''
  for (;;) {
    const page = await pageResponsesForExport(deps.db.db, campaignId, after, PAGE)
    if (page.length > 0) yield page
    if (page.length < PAGE) return
    after = page[page.length - 1]?.id ?? after
  }
}

export interface ExportFile {
  filename: string
  contentType: string
  body: ReadableStream<Uint8Array>
}

function fileName(title: string, ext: string): string {
  const day = shanghaiDay()
  return `${title
    .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
    .trim()
    .slice(0, 80)}-${day}.${ext}`
}

/** Writes `produce`'s output into a web stream; an error midway ends the download with an error, never a partial "success". */
function streamed(produce: (out: PassThrough) => Promise<void>): ReadableStream<Uint8Array> {
  const out = new PassThrough()
  produce(out).catch((err) => out.destroy(err instanceof Error ? err : new Error(String(err))))
  return Readable.toWeb(out) as ReadableStream<Uint8Array>
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; text neutralised. */
function csvField(v: Cell): string {
  if (v === null) return ''
  const s = typeof v === 'number' ? String(v) : neutralise(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** `GET /api/v1/campaigns/:id/export.csv`: every response, one row each, UTF-8 with a BOM (Excel opens it as UTF-8). */
export async function exportCsv(deps: Deps, campaignId: string): Promise<ExportFile> {
  const d = await load(deps, campaignId)
  const body = streamed(async (out) => {
    const line = (cells: Cell[]) => `${cells.map(csvField).join(',')}\r\n`
    out.write(`\uFEFF${line(responseHeader(d))}`)
    for await (const page of responsePages(deps, campaignId)) {
      if (!out.write(page.map((r) => line(responseCells(d, r))).join(''))) await new Promise((r) => out.once('drain', r))
    }
    out.end()
  })
  return { filename: fileName(d.ctx.row.title, 'csv'), contentType: 'text/csv; charset=utf-8', body }
}

type Row = Cell[]

/** The indicator sheet: every figure of the indicator object, with the report paragraph. */
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
  rows.push(['报告段落', reportParagraph(ind)])
  return { rows, percentRows }
}

/**
 * `GET /api/v1/campaigns/:id/export.xlsx`: the workbook an evaluator attaches to the report —
 * indicator, method (config, formulas, evidence check), communities, channels, items, every
 * response, review decisions and symposiums. Written with exceljs' streaming writer (rows are
 * flushed as they are committed).
 */
export async function exportWorkbook(deps: Deps, campaignId: string): Promise<ExportFile> {
  const d = await load(deps, campaignId)
  const { ctx } = d
  const chain = await verifyChain(deps, campaignId)
  const { default: ExcelJS } = await import('exceljs')
  const body = streamed(async (out) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
    wb.creator = 'minyi'
    wb.created = new Date()
    const bold = { font: { bold: true } }
    const sheet = (name: string, header: string[], widths: number[]) => {
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
      ws.columns = header.map((h, i) => ({ header: h, width: widths[i] ?? 14 }))
      ws.getRow(1).font = bold.font
      return ws
    }
    const text = (v: Cell) => (typeof v === 'string' ? neutralise(v) : v)

    const ind = d.indicator
    const indicatorSheet = sheet('指标', ['项目', '值'], [28, 100])
    const { rows, percentRows } = indicatorRows(ind)
    rows.forEach((r, i) => {
      const row = indicatorSheet.addRow(r.map(text))
      if (percentRows.has(i)) row.getCell(2).numFmt = '0.00%'
      if (r[0] === '报告段落') row.getCell(2).alignment = { wrapText: true, vertical: 'top' }
      row.commit()
    })
    indicatorSheet.commit()

    const cfg = ctx.config
    const method = sheet('方法', ['项目', '内容'], [28, 100])
    const methodRows: Row[] = [
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
      ['完整配置（JSON）', JSON.stringify(cfg)],
      ['问卷版本', `当前第 ${ctx.latest.version} 版，发布于 ${shanghaiDateTime(ctx.latest.publishedAt)}；各答卷按其作答的版本计`],
      [
        '证据链校验',
        chain.ok ? `完整：${chain.length} 条记录，自接收后未被改动` : `不一致：第 ${chain.firstBadSeq ?? '?'} 条（共 ${chain.length} 条）`,
      ],
      ['导出时间', `${shanghaiDateTime(Date.now())}（北京时间）`],
    ]
    for (const r of methodRows) method.addRow(r.map(text)).commit()
    method.commit()

    const pctCols = (row: { getCell(i: number): { numFmt: string } }, cols: number[]) => {
      for (const c of cols) row.getCell(c).numFmt = '0.00%'
    }
    const communities = sheet(
      '社区',
      ['社区', '人口', '配额', '收回', '有效', '满意度', '区间下限', '区间上限', '样本少于30份', '所需样本量', '样本充足'],
      [20, 10, 8, 8, 8, 10, 10, 10, 12, 10, 10],
    )
    for (const c of ind.byCommunity) {
      const row = communities.addRow([
        text(d.communityName.get(c.communityId) ?? c.communityId),
        c.population,
        c.quota,
        c.received,
        c.valid,
        c.rate,
        c.ci95?.[0] ?? null,
        c.ci95?.[1] ?? null,
        c.smallSample ? '是' : '',
        c.sampleSize?.required ?? null,
        c.sampleSize ? (c.sampleSize.adequate ? '是' : '否') : null,
      ])
      pctCols(row, [6, 7, 8])
      row.commit()
    }
    communities.commit()

    const channels = sheet(
      '渠道',
      ['渠道', '计入指标', '收回', '有效', '满意度', '区间下限', '区间上限', '样本少于30份'],
      [12, 10, 8, 8, 10, 10, 10, 12],
    )
    for (const c of ind.byChannel) {
      const row = channels.addRow([
        channelZh(c.channel),
        c.pooled ? '是' : '否（单独列示）',
        c.received,
        c.valid,
        c.rate,
        c.ci95?.[0] ?? null,
        c.ci95?.[1] ?? null,
        c.smallSample ? '是' : '',
      ])
      pctCols(row, [5, 6, 7])
      row.commit()
    }
    channels.commit()

    const titles = new Map(d.questions.map((q) => [q.id, q.title.zh]))
    const items = sheet(
      '分项',
      ['题目', '编号', '总体题', '作答', '不了解', '满意比例', '区间下限', '区间上限', '各选项（分值：份数）'],
      [36, 14, 8, 8, 8, 10, 10, 10, 40],
    )
    for (const it of ind.byItem) {
      const row = items.addRow([
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
      pctCols(row, [6, 7, 8])
      row.commit()
    }
    items.commit()

    const responses = sheet('答卷', responseHeader(d), [38, 16, 10, 8, 20, 20, 20, 16, 12, 10, 24])
    for await (const page of responsePages(deps, campaignId)) for (const r of page) responses.addRow(responseCells(d, r)).commit()
    responses.commit()

    const reviews = sheet('复核记录', ['答卷编号', '决定', '理由', '时间', '评价人员'], [38, 12, 50, 20, 16])
    const ACTION_ZH = { exclude: '剔除', include: '保留', reset: '恢复按规则' } as const
    for (const r of await listCampaignReviews(deps.db.db, campaignId))
      reviews
        .addRow([r.response_id, ACTION_ZH[r.action] ?? r.action, text(r.reason), shanghaiDateTime(r.at), text(r.name ?? r.login ?? '')])
        .commit()
    reviews.commit()

    const symposiums = sheet('座谈会', ['名称', '日期', '地点', '主持', '记录', '参会人数', '意见建议'], [30, 12, 20, 10, 10, 30, 80])
    for (const s of await listSymposiums(deps.db.db, campaignId)) {
      const attendees = JSON.parse(s.attendees_json) as Record<string, number>
      const remarks = JSON.parse(s.remarks_json) as { kind: string; text: string }[]
      const KIND_ZH: Record<string, string> = { problem: '问题', suggestion: '建议', praise: '表扬' }
      const row = symposiums.addRow([
        text(s.title),
        s.date,
        text(s.place),
        text(s.host),
        text(s.recorder),
        Object.entries(attendees)
          .map(([k, n]) => `${labelOf(ATTENDEE_LABELS, k, 'zh')}：${n}`)
          .join('；'),
        text(remarks.map((r) => `【${KIND_ZH[r.kind] ?? r.kind}】${r.text}`).join('\n')),
      ])
      row.getCell(7).alignment = { wrapText: true, vertical: 'top' }
      row.commit()
    }
    symposiums.commit()
    await wb.commit()
  })
  return {
    filename: fileName(d.ctx.row.title, 'xlsx'),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  }
}
