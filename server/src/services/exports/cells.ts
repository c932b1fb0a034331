import { CHANNEL_LABELS, labelOf, reasonLabel } from '@minyi/shared/labels'
import { flagsOfKey } from '@minyi/shared/method'
import type { AnswerValue, Question } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import type { ExportResponseRow } from '../../db/queries/responses.ts'
import { storedAnswers } from '../answers.ts'
import type { ExportData } from './data.ts'

export type Cell = string | number | null

/**
 * OWASP "CSV injection": a cell whose text starts with = + - @ (or a tab / carriage return that
 * some spreadsheets skip first) is read as a formula when the file is opened. Such text is prefixed
 * with an apostrophe, which spreadsheets show as text and which a reader sees as added.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** A cell with its text neutralised (numbers and empty cells as they are). */
export const text = (v: Cell): Cell => (typeof v === 'string' ? neutralise(v) : v)

export const reasonZh = (r: string) => reasonLabel(r, 'zh')
export const channelZh = (c: string) => labelOf(CHANNEL_LABELS, c, 'zh')

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
  '纸质问卷编号',
  '内容哈希',
]

/** The columns of a response, the same in the CSV and in the workbook's 答卷 sheet: one per answer column between the server's and the hash. */
export function responseHeader(d: ExportData): string[] {
  return [...RESPONSE_HEADERS.slice(0, -1), ...d.questions.map((q) => `${q.title.zh}（${q.id}）`), RESPONSE_HEADERS.at(-1) ?? '']
}

export function responseCells(d: ExportData, r: ExportResponseRow): Cell[] {
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
    r.serial ?? '',
    ...d.questions.map((q) => answerCell(q, answers[q.id])),
    r.content_hash,
  ]
}
