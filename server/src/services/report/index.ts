import { shanghaiDay } from '@minyi/shared/time'
import type { Deps } from '../deps.ts'
import { type ExportFile, fileName } from '../exports/file.ts'
import { loadReportData, type Section } from './data.ts'
import { appendixSection } from './sections/appendix.ts'
import { collectionSection } from './sections/collection.ts'
import { problemsSection } from './sections/problems.ts'
import { channelsSection, communitiesSection, itemsSection, overallSection, resultsHeading } from './sections/results.ts'
import { symposiumsSection } from './sections/symposiums.ts'
import { Numbering, pageSetup, para, styles } from './style.ts'

/*
 * `GET /api/v1/campaigns/:id/report.docx`: the 服务群众满意度 section of a 绩效自评报告 as a Word document.
 *  1. data.ts      reads once: the indicator (the same object `GET …/indicator` answers), the campaign and
 *                  its questionnaire, the symposiums and their ledger (ledger.ts), counts of the areas
 *                  residents chose to improve and of written comments, the evidence chain's head and check;
 *  2. sections/    one function per section, in the order of SECTIONS below, numbering headings, tables
 *                  and figures as they go (style.ts: the house style; charts.ts: ECharts → SVG + PNG);
 *  3. docx packs the document (A4, 黑体 headings, 仿宋 body) into one buffer.
 */

const SECTIONS: readonly Section[] = [
  collectionSection,
  resultsHeading,
  overallSection,
  communitiesSection,
  itemsSection,
  channelsSection,
  symposiumsSection,
  problemsSection,
  appendixSection,
]

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

export async function reportDocx(deps: Deps, campaignId: string, lang: 'zh' | 'en'): Promise<ExportFile> {
  const r = await loadReportData(deps, campaignId, lang)
  // Loaded here, not at start-up: only a report download pays for docx (and echarts, resvg in charts.ts).
  const d = await import('docx')
  const n = new Numbering(r.w)
  const children = [
    new d.Paragraph({ style: 'Title', children: [new d.TextRun(r.w.title)] }),
    para(d, r.w.subtitle(r.ctx.row.title, shanghaiDay(r.generatedAt)), 'Subtitle'),
  ]
  for (const section of SECTIONS) children.push(...(await section(d, n, r)))
  const doc = new d.Document({
    creator: 'minyi',
    title: `${r.ctx.row.title} ${r.w.title}`,
    description: r.w.subtitle(r.ctx.row.title, shanghaiDay(r.generatedAt)),
    styles: styles(),
    sections: [{ ...pageSetup(d), children }],
  })
  const buffer = await d.Packer.toBuffer(doc)
  const body = new Blob([new Uint8Array(buffer)]).stream()
  return { filename: fileName(`${r.ctx.row.title}-${r.w.title}`, 'docx'), contentType: DOCX, body }
}
