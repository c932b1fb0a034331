import type { Deps } from '../deps.ts'
import { verifyChain } from '../evidence.ts'
import { type Cell, neutralise, responseCells, responseHeader } from './cells.ts'
import { loadExportData, responsePages } from './data.ts'
import { fieldworkSheet, interviewersSheet } from './door.ts'
import { type ExportFile, fileName, streamed } from './file.ts'
import { ledgerRows, ledgerSheet } from './ledger.ts'
import {
  type AddSheet,
  channelsSheet,
  communitiesSheet,
  indicatorSheet,
  itemsSheet,
  methodSheet,
  responsesSheet,
  reviewsSheet,
  type SheetWriter,
  symposiumsSheet,
} from './sheets.ts'

export type { ExportFile } from './file.ts'

/*
 * C5 exports: the responses as CSV, and the XLSX workbook an evaluator attaches to the report.
 *  1. data.ts    the campaign, its indicator, the answer columns (every version's) and community names, read once;
 *  2. cells.ts   a response's columns (shared by the CSV and the 答卷 sheet), every typed text neutralised
 *                against spreadsheet formula injection;
 *  3. sheets.ts  one function per sheet, written in the order of SHEETS below (door.ts: the
 *                door-to-door sheets, METHOD.md §10–§11; ledger.ts: the 整改台账, also as its own CSV);
 *  4. file.ts    the file name and the stream: both exports go out page by page, in bounded memory.
 */

/** The workbook's sheets, in order. */
const SHEETS: readonly SheetWriter[] = [
  indicatorSheet,
  methodSheet,
  communitiesSheet,
  channelsSheet,
  itemsSheet,
  fieldworkSheet,
  interviewersSheet,
  responsesSheet,
  reviewsSheet,
  symposiumsSheet,
  ledgerSheet,
]

/** RFC 4180 field: quoted when it holds a comma, quote or line break; text neutralised. */
export function csvField(v: Cell): string {
  if (v === null) return ''
  const s = typeof v === 'number' ? String(v) : neutralise(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** `GET /api/v1/campaigns/:id/export.csv`: every response, one row each, UTF-8 with a BOM (Excel opens it as UTF-8). */
export async function exportCsv(deps: Deps, campaignId: string): Promise<ExportFile> {
  const d = await loadExportData(deps, campaignId)
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

/** `GET /api/v1/campaigns/:id/ledger.csv`: the 整改台账, one row per remark (same columns as its sheet). */
export async function exportLedgerCsv(deps: Deps, campaignId: string): Promise<ExportFile> {
  const { title, header, rows } = await ledgerRows(deps, campaignId)
  const line = (cells: Cell[]) => `${cells.map(csvField).join(',')}\r\n`
  const body = streamed(async (out) => {
    out.write(`\uFEFF${line(header)}`)
    for (const r of rows) out.write(line(r))
    out.end()
  })
  return { filename: fileName(`${title}-整改台账`, 'csv'), contentType: 'text/csv; charset=utf-8', body }
}

/**
 * `GET /api/v1/campaigns/:id/export.xlsx`: indicator, method (config, formulas, evidence check),
 * communities, channels, items, every response, review decisions and symposiums. Written with
 * exceljs' streaming writer (rows are flushed as they are committed).
 */
export async function exportWorkbook(deps: Deps, campaignId: string): Promise<ExportFile> {
  const d = await loadExportData(deps, campaignId)
  const chain = await verifyChain(deps, campaignId)
  const { default: ExcelJS } = await import('exceljs')
  const body = streamed(async (out) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
    wb.creator = 'minyi'
    wb.created = new Date()
    const add: AddSheet = (name, header, widths) => {
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
      ws.columns = header.map((h, i) => ({ header: h, width: widths[i] ?? 14 }))
      ws.getRow(1).font = { bold: true }
      return ws
    }
    for (const write of SHEETS) await write(add, { deps, campaignId, d, chain })
    await wb.commit()
  })
  return {
    filename: fileName(d.ctx.row.title, 'xlsx'),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  }
}
