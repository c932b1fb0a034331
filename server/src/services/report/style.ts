import type { ISectionOptions, IStylesOptions } from 'docx'
import type { Words } from './words.ts'

/*
 * The house style of a Chinese government report (GB/T 9704 as evaluation reports follow it): A4,
 * margins 37/35/28/26 mm, body 仿宋 三号 (16 pt) at a fixed 28 pt line with a two-character indent,
 * headings 黑体, tables 仿宋 五号 with the title above (黑体) and the source below. Latin text in
 * Times New Roman. `docx` is loaded lazily (only a report download pays for it), so this module
 * builds its pieces from the loaded library passed in.
 */

export type Docx = typeof import('docx')
export type Block = InstanceType<Docx['Paragraph']> | InstanceType<Docx['Table']>

export const FONT = { body: '仿宋', heading: '黑体', latin: 'Times New Roman' } as const
const pt = (n: number) => n * 2 // docx sizes are half-points
const BODY = pt(16)
const TABLE = pt(10.5)
const LINE = 28 * 20 // twips, exact

const font = (eastAsia: string) => ({ ascii: FONT.latin, hAnsi: FONT.latin, eastAsia, cs: FONT.latin })

export function styles(): IStylesOptions {
  const heading = (id: string, name: string, size: number, level: number, center = false) => ({
    id,
    name,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: font(FONT.heading), size, bold: false },
    paragraph: {
      outlineLevel: level,
      keepNext: true,
      alignment: center ? ('center' as const) : undefined,
      indent: { firstLineChars: center ? 0 : 200 },
      spacing: { line: LINE, lineRule: 'exact' as const, before: level === 0 ? 240 : 120, after: level === 0 ? 240 : 0 },
    },
  })
  return {
    default: {
      document: {
        run: { font: font(FONT.body), size: BODY },
        paragraph: { spacing: { line: LINE, lineRule: 'exact' }, indent: { firstLineChars: 200 }, alignment: 'both' },
      },
    },
    paragraphStyles: [
      heading('Title', 'Title', pt(22), 0, true),
      heading('Heading1', 'heading 1', BODY, 1),
      heading('Heading2', 'heading 2', BODY, 2),
      heading('Heading3', 'heading 3', BODY, 3),
      {
        id: 'Subtitle',
        name: 'Subtitle',
        basedOn: 'Normal',
        run: { font: font(FONT.body), size: pt(12) },
        paragraph: { alignment: 'center', indent: { firstLineChars: 0 }, spacing: { line: 360, lineRule: 'auto', after: 240 } },
      },
      {
        id: 'TableCaption',
        name: 'Table caption',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(FONT.heading), size: pt(12) },
        paragraph: {
          alignment: 'center',
          keepNext: true,
          indent: { firstLineChars: 0 },
          spacing: { line: 360, lineRule: 'auto', before: 120, after: 60 },
        },
      },
      {
        id: 'TableText',
        name: 'Table text',
        basedOn: 'Normal',
        run: { font: font(FONT.body), size: TABLE },
        paragraph: { indent: { firstLineChars: 0 }, spacing: { line: 260, lineRule: 'auto', before: 20, after: 20 }, alignment: 'center' },
      },
      {
        id: 'Source',
        name: 'Table source',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(FONT.body), size: TABLE },
        paragraph: { indent: { firstLineChars: 0 }, spacing: { line: 280, lineRule: 'auto', before: 60, after: 180 }, alignment: 'left' },
      },
      {
        id: 'Draft',
        name: 'Draft note',
        basedOn: 'Normal',
        run: { font: font(FONT.heading), size: BODY, color: 'C00000' },
      },
    ],
  }
}

/** A4 portrait, the margins of GB/T 9704, page numbers centred in the footer as "— 1 —". */
export function pageSetup(d: Docx): Pick<ISectionOptions, 'properties' | 'footers'> {
  const mm = d.convertMillimetersToTwip
  return {
    properties: {
      page: {
        // A4 in twips, exactly as Word writes it (converting 210 × 297 mm rounds one twip short).
        size: { width: 11906, height: 16838 },
        margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), footer: mm(20) },
      },
    },
    footers: {
      default: new d.Footer({
        children: [
          new d.Paragraph({
            alignment: 'center',
            indent: { firstLineChars: 0 },
            children: [new d.TextRun({ children: ['— ', d.PageNumber.CURRENT, ' —'], size: pt(14), font: font(FONT.latin) })],
          }),
        ],
      }),
    },
  }
}

/** Numbers headings 一、（一）1. and counts tables and figures, in document order. */
export class Numbering {
  private h = [0, 0, 0]
  table = 0
  figure = 0
  constructor(readonly w: Words) {}
  heading(d: Docx, level: 1 | 2 | 3, text: string): Block {
    this.h[level - 1] = (this.h[level - 1] ?? 0) + 1
    for (let i = level; i < 3; i++) this.h[i] = 0
    const style = `Heading${level}`
    return new d.Paragraph({ style, children: [new d.TextRun(`${this.w.number(level, this.h[level - 1] ?? 1)}${text}`)] })
  }
  /** An unnumbered heading (附录). */
  plain(d: Docx, text: string): Block {
    this.h = [0, 0, 0]
    return new d.Paragraph({ style: 'Heading1', children: [new d.TextRun(text)] })
  }
}

export function para(d: Docx, text: string, style?: string): Block {
  return new d.Paragraph({ style, children: [new d.TextRun(text)] })
}

export interface TableSpec {
  title: string
  header: string[]
  rows: string[][]
  /** The source line below; a note (the small-sample mark) follows it when given. */
  source: string
  note?: string
  /** Relative column widths; the first column is left-aligned. */
  widths?: number[]
}

/** A table with its numbered title above and its source below (house style). */
export function table(d: Docx, n: Numbering, spec: TableSpec): Block[] {
  n.table++
  const total = spec.widths?.reduce((a, b) => a + b, 0) ?? spec.header.length
  const width = (i: number) => Math.round(((spec.widths?.[i] ?? 1) / total) * 9000) // of the 156 mm text width, in twips (≈8850)
  const cell = (text: string, i: number, head: boolean) =>
    new d.TableCell({
      width: { size: width(i), type: d.WidthType.DXA },
      verticalAlign: d.VerticalAlign.CENTER,
      shading: head ? { type: d.ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } : undefined,
      children: [
        new d.Paragraph({
          style: 'TableText',
          alignment: i === 0 && !head ? 'left' : 'center',
          children: [new d.TextRun({ text, bold: head })],
        }),
      ],
    })
  const rows = [
    new d.TableRow({ tableHeader: true, cantSplit: true, children: spec.header.map((h, i) => cell(h, i, true)) }),
    ...spec.rows.map((r) => new d.TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i, false)) })),
  ]
  const out: Block[] = [
    new d.Paragraph({ style: 'TableCaption', children: [new d.TextRun(n.w.tableCaption(n.table, spec.title))] }),
    new d.Table({
      width: { size: 100, type: d.WidthType.PERCENTAGE },
      columnWidths: spec.header.map((_, i) => width(i)),
      alignment: 'center',
      rows,
    }),
    para(d, spec.source, 'Source'),
  ]
  if (spec.note) out.push(para(d, spec.note, 'Source'))
  return out
}
