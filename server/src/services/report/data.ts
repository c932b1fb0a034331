import type { I18nText, Indicator, LedgerSummary } from '@minyi/shared/schemas'
import { pageCampaignResponses } from '../../db/queries/responses.ts'
import { countSheets, listSymposiums } from '../../db/queries/symposiums.ts'
import type { Q } from '../../db/tx.ts'
import { storedAnswers } from '../answers.ts'
import type { Deps } from '../deps.ts'
import { contextWithVersion, indicatorFromAggregates } from '../indicator.ts'
import { keptCounts } from '../retention/index.ts'
import { campaignLedger, ledgerSummary } from '../symposiums/index.ts'
import type { Block, Docx, Numbering } from './style.ts'
import { type Words, wordsFor } from './words.ts'

const PAGE = 5000

export interface ReportSymposium {
  title: string
  date: string
  place: string
  attendees: Record<string, number>
  /** Remarks recorded at it (the 整改台账's entries). */
  remarks: number
  sheets: number
}

/** A multiple-choice question's picks among the questionnaires received (e.g. 最需要改进的方面). */
export interface ChoiceCounts {
  questionId: string
  title: string
  /** Questionnaires that answered it. */
  base: number
  /** [option label, picks], most picked first. */
  counts: [string, number][]
}

/** Everything the sections are written from, read once before the document is built. */
export interface ReportData {
  w: Words
  ctx: Awaited<ReturnType<typeof contextWithVersion>>
  /**
   * The same object `GET …/indicator` answers (from the kept aggregates), with the evidence chain's
   * signed head (`evidence`): the anchor the appendix prints and a reviewer later checks the chain
   * against (`GET …/log/verify?seq=&hash=`). The chain is not walked here: at 100,000 responses the
   * walk alone takes seconds, and the signed head is what pins the document to its data.
   */
  indicator: Indicator
  communityName: Map<string, string>
  /** A rated item's name in the report's language, for tables and charts (`shortTitle`). */
  title: (questionId: string) => string
  symposiums: ReportSymposium[]
  /** The 整改台账's summary (services/symposiums: the same figures the console and exports show). */
  ledger: LedgerSummary
  choices: ChoiceCounts[]
  /** Questionnaires with at least one written (text or long-text) answer. */
  comments: number
  generatedAt: Date
}

export async function loadReportData(deps: Deps, campaignId: string, lang: 'zh' | 'en'): Promise<ReportData> {
  const w = wordsFor(lang)
  const ctx = await contextWithVersion(deps, campaignId)
  const [indicator, symposiumRows, ledger, entries, scan] = await Promise.all([
    indicatorFromAggregates(deps, campaignId),
    listSymposiums(deps.db.db, campaignId),
    ledgerSummary(deps, campaignId),
    campaignLedger(deps, campaignId),
    // After the retention deletion the raw answers are gone; the counts taken then stand in for them.
    keptCounts(deps, campaignId).then((kept) => kept ?? countAnswers(deps.db.db, ctx)),
  ])
  const sheets = new Map(Object.entries(scan.sheets))
  const symposiums = symposiumRows.map((s) => ({
    title: s.title,
    date: s.date,
    place: s.place,
    attendees: JSON.parse(s.attendees_json) as Record<string, number>,
    remarks: entries.filter((e) => e.symposiumId === s.id).length,
    sheets: sheets.get(s.id) ?? 0,
  }))
  // The overall item is named as the indicator it carries, however its question is worded.
  const titles = new Map(
    ctx.latest.questions.map((q) => [q.id, q.type === 'rating' && q.overall ? w.overallItem : shortTitle(textIn(q.title, lang))]),
  )
  return {
    w,
    ctx,
    indicator,
    communityName: new Map([...ctx.communities.values()].map((c) => [c.id, c.name])),
    title: (id) => titles.get(id) ?? id,
    symposiums,
    ledger,
    choices: choicesOf(ctx, scan, lang),
    comments: scan.comments,
    generatedAt: deps.now(),
  }
}

/**
 * The template words its rating items as questions naming the service in quotes (您对社区“文体活动”的满意程度？);
 * tables and charts name the item by the quoted words, as a report would. A title without quotes stays whole.
 */
function shortTitle(title: string): string {
  const m = /[“"]([^”"]{1,40})[”"]/.exec(title)
  return m?.[1] ?? title
}

export function textIn(t: I18nText, lang: 'zh' | 'en'): string {
  return lang === 'en' && t.en ? t.en : t.zh
}

/**
 * What the report reads from the raw answers, as counts: the picks of each multiple-choice question of
 * the current version (the areas residents most want improved), how many questionnaires carry a written
 * comment (never the text), and rating sheets per symposium. When a campaign's retention ends these
 * counts are kept (`retention_deletions.kept_json`), so the report comes out the same afterwards.
 */
export interface KeptCounts {
  picks: Record<string, { base: number; n: Record<string, number> }>
  comments: number
  sheets: Record<string, number>
}

/**
 * One pass over the stored answers (through `db`: the deletion's own transaction, or the database).
 * Test answers and channels the indicator does not pool are left out; each answer counts as its own
 * version shows it.
 */
export async function countAnswers(db: Q, ctx: ReportData['ctx']): Promise<KeptCounts> {
  const multiple = ctx.latest.questions.flatMap((q) => (q.type === 'multiple' ? [q] : []))
  const picks: KeptCounts['picks'] = Object.fromEntries(multiple.map((q) => [q.id, { base: 0, n: {} }]))
  const textIds = new Set(ctx.latest.questions.filter((q) => q.type === 'text' || q.type === 'longtext').map((q) => q.id))
  const pooled = new Set<string>(ctx.config.channels)
  let comments = 0
  let after = ''
  for (;;) {
    const page = await pageCampaignResponses(db, ctx.row.id, after, PAGE)
    for (const r of page) {
      if (r.exclusion === 'test' || !pooled.has(r.channel)) continue
      const answers = storedAnswers(ctx, r)
      for (const [id, p] of Object.entries(picks)) {
        const v = answers[id]
        if (!Array.isArray(v) || v.length === 0) continue
        p.base++
        for (const x of v) p.n[String(x)] = (p.n[String(x)] ?? 0) + 1
      }
      for (const id of textIds) {
        const v = answers[id]
        if (typeof v === 'string' && v.trim() !== '') {
          comments++
          break
        }
      }
    }
    if (page.length < PAGE) break
    after = page[page.length - 1]?.id ?? after
  }
  const symposiumIds = (await listSymposiums(db, ctx.row.id)).map((s) => s.id)
  const sheets = Object.fromEntries(await countSheets(db, symposiumIds))
  return { picks, comments, sheets }
}

/** The counts in the report's words: each multiple-choice question's picks, most picked first. */
function choicesOf(ctx: ReportData['ctx'], kept: KeptCounts, lang: 'zh' | 'en'): ChoiceCounts[] {
  return ctx.latest.questions.flatMap((q) => {
    if (q.type !== 'multiple') return []
    const p = kept.picks[q.id]
    const label = new Map(q.options.map((o) => [o.value, textIn(o.label, lang)]))
    const counts: [string, number][] = Object.entries(p?.n ?? {})
      .map(([v, n]): [string, number] => [label.get(v) ?? v, n])
      .sort((a, b) => b[1] - a[1])
    return [{ questionId: q.id, title: textIn(q.title, lang), base: p?.base ?? 0, counts }]
  })
}

/** One section of the document: its blocks, written from the data read once. */
export type Section = (d: Docx, n: Numbering, r: ReportData) => Block[] | Promise<Block[]>
