import { execFileSync } from 'node:child_process'
import { formatRate } from '@minyi/shared/method'
import type { EChartsOption } from 'echarts'
import type { Block, Docx, Numbering } from './style.ts'

/*
 * Charts as pictures for Word: ECharts renders the same kind of chart the console draws, on the server
 * (`ssr: true`, SVG renderer, no DOM); the SVG goes into the document as is, and a PNG rasterised from
 * it by resvg (@resvg/resvg-js, prebuilt native binaries, no browser, no download at install) is the
 * fallback Word 2013, WPS and LibreOffice show, since they do not draw SVG pictures.
 */

const WIDTH = 600
const CJK = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', SimHei, sans-serif"

export interface Picture {
  svg: string
  png: Uint8Array
  width: number
  height: number
}

let cjk: { file: string; family: string } | null | undefined

/**
 * The machine's Chinese sans-serif font, asked of fontconfig once: resvg then loads that one file
 * (~40 ms a chart) instead of scanning every system font (~200 ms). Without fontconfig, all system fonts.
 */
function cjkFont(): { file: string; family: string } | null {
  if (cjk !== undefined) return cjk
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}\\n%{family[0]}', 'sans-serif:lang=zh-cn'], { encoding: 'utf8', timeout: 5000 })
    const [file, family] = out.split('\n')
    cjk = file && family ? { file, family } : null
  } catch {
    cjk = null
  }
  return cjk
}

/** Renders an ECharts option to SVG and PNG (twice the size, for print). */
export async function render(option: EChartsOption, height: number): Promise<Picture> {
  const echarts = await import('echarts')
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height })
  chart.setOption({ animation: false, textStyle: { fontFamily: CJK }, backgroundColor: '#ffffff', ...option })
  const svg = chart.renderToSVGString()
  chart.dispose()
  const { Resvg } = await import('@resvg/resvg-js')
  const font = cjkFont()
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: font ? { loadSystemFonts: false, fontFiles: [font.file], defaultFontFamily: font.family } : { loadSystemFonts: true },
  })
    .render()
    .asPng()
  return { svg, png, width: WIDTH, height }
}

/** The picture centred, then its numbered caption below it (house style: figure captions go below). */
export function figure(d: Docx, n: Numbering, title: string, pic: Picture): Block[] {
  n.figure++
  const caption = n.w.figureCaption(n.figure, title)
  // 156 mm of text width is ~590 px at 96 dpi: the 600 px chart is scaled to fit.
  const scale = 580 / pic.width
  return [
    new d.Paragraph({
      alignment: 'center',
      indent: { firstLineChars: 0 },
      spacing: { line: 240, lineRule: 'auto', before: 120 },
      keepNext: true,
      children: [
        new d.ImageRun({
          type: 'svg',
          data: Buffer.from(pic.svg),
          fallback: { type: 'png', data: pic.png },
          transformation: { width: Math.round(pic.width * scale), height: Math.round(pic.height * scale) },
          altText: { name: caption, title: caption, description: caption },
        }),
      ],
    }),
    new d.Paragraph({ style: 'TableCaption', keepNext: false, children: [new d.TextRun(caption)] }),
  ]
}

/** A horizontal bar per label (rates in %, a marked target line when given), longest label first at the top. */
export function barsOption(labels: string[], rates: (number | null)[], target: { value: number; label: string } | null): EChartsOption {
  return {
    grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: [...labels].reverse(), axisLabel: { width: 200, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: [...rates].reverse().map((r) => (r === null ? null : r * 100)),
        itemStyle: { color: '#5470c6' },
        // The same figure as the tables: METHOD.md §9's one formatting function.
        label: { show: true, position: 'right', formatter: (p) => formatRate(Number(p.value) / 100) },
        markLine: target
          ? {
              symbol: 'none',
              lineStyle: { color: '#333', type: 'dashed' },
              label: { formatter: target.label, position: 'end' },
              data: [{ xAxis: target.value * 100 }],
            }
          : undefined,
      },
    ],
  }
}

/** Stacked 100% bars: each item's answers by option, best option first (left). */
export function distributionOption(labels: string[], options: string[], shares: number[][]): EChartsOption {
  const colours = ['#1a7f37', '#57ab5a', '#c9b458', '#e0823d', '#c23531', '#8c8c8c', '#5470c6', '#91cc75', '#73c0de', '#3ba272', '#fc8452']
  return {
    color: colours,
    legend: { bottom: 0, itemWidth: 14, itemHeight: 10 },
    grid: { left: 8, right: 16, top: 8, bottom: 36, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: [...labels].reverse(), axisLabel: { width: 200, overflow: 'truncate' } },
    series: options.map((name, k) => ({
      name,
      type: 'bar',
      stack: 'all',
      barWidth: '60%',
      data: [...shares].reverse().map((s) => Math.round((s[k] ?? 0) * 10000) / 100),
    })),
  }
}
