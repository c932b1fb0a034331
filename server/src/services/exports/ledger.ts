import { ATTENDEE_LABELS, FOLLOW_UP_LABELS, labelOf, REMARK_KIND_LABELS } from '@minyi/shared/labels'
import type { LedgerEntry } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import { requireContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'
import { campaignLedger } from '../symposiums/index.ts'
import { type Cell, text } from './cells.ts'
import type { SheetWriter } from './sheets.ts'

// The 整改台账 (C4) in the exports: its own sheet of the workbook and a CSV of its own, one row per
// remark with its current follow-up and every change (who, when, from → to, note).

const HEADER = [
  '座谈会',
  '日期',
  '社区',
  '发言人类别',
  '类别',
  '意见',
  '整改状态',
  '责任人',
  '办结期限',
  '逾期',
  '公示',
  '最后更新',
  '修改记录',
]
const WIDTHS = [28, 12, 14, 12, 8, 50, 10, 16, 12, 6, 6, 18, 70]

const zh = (table: Parameters<typeof labelOf>[0], name: string | null) => (name === null ? '' : labelOf(table, name, 'zh'))

function history(e: LedgerEntry): string {
  return e.history
    .map(
      (h) =>
        `${shanghaiDateTime(h.changedAt)} ${h.by ?? ''} ${h.from ? zh(FOLLOW_UP_LABELS, h.from) : '记录'}→${zh(FOLLOW_UP_LABELS, h.to)}` +
        `${h.note ? `：${h.note}` : ''}${h.concurrent ? '（并行修改）' : ''}`,
    )
    .join('\n')
}

function cells(e: LedgerEntry, community: (id: string | null) => string): Cell[] {
  return [
    text(e.symposiumTitle),
    e.symposiumDate,
    text(community(e.communityId)),
    zh(ATTENDEE_LABELS, e.speakerCategory),
    zh(REMARK_KIND_LABELS, e.kind),
    text(e.text),
    e.followUp ? zh(FOLLOW_UP_LABELS, e.followUp.status) : '无需整改',
    text(e.followUp?.owner ?? ''),
    e.followUp?.dueDate ?? '',
    e.overdue ? '是' : '',
    e.public ? '是' : '',
    e.lastChangedAt ? shanghaiDateTime(e.lastChangedAt) : '',
    text(history(e)),
  ]
}

/** 整改台账: every remark of every symposium, its follow-up and its history. */
export const ledgerSheet: SheetWriter = async (add, { deps, campaignId, d }) => {
  const ws = add('整改台账', HEADER, WIDTHS)
  const name = (id: string | null) => (id ? (d.ctx.communities.get(id)?.name ?? id) : '街道')
  for (const e of await campaignLedger(deps, campaignId)) {
    const row = ws.addRow(cells(e, name))
    for (const c of [6, 13]) row.getCell(c).alignment = { wrapText: true, vertical: 'top' }
    row.commit()
  }
  ws.commit()
}

/** The header and rows of the 整改台账 for the CSV (`exportLedgerCsv` in index.ts). */
export async function ledgerRows(deps: Deps, campaignId: string): Promise<{ title: string; header: string[]; rows: Cell[][] }> {
  const ctx = await requireContext(deps, campaignId)
  const name = (id: string | null) => (id ? (ctx.communities.get(id)?.name ?? id) : '街道')
  const rows = (await campaignLedger(deps, campaignId)).map((e) => cells(e, name))
  return { title: ctx.row.title, header: HEADER, rows }
}
