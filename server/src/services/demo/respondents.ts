import type { Answers, Channel, Question } from '@minyi/shared/schemas'
import { normal, type Random, shuffle, weighted } from './random.ts'
import { COMPLAINTS, GENERAL, LOCAL_COMPLAINTS, PRAISE } from './texts.ts'

// How a synthetic resident answers the questionnaire. Each answer is a latent satisfaction on the
// 1–5 scale, rounded to the nearest option: the item's own level, the community's, the channel's
// (people are kinder face to face), the respondent's age and mood, and noise. So items and communities
// differ the way they do in real evaluations (services people barely use and the fund's openness lowest,
// cultural activities highest; an old estate below target), and a respondent's answers hang together.

/** Latent mean of each template item, and the share of 不了解 among residents aged 45–59. */
const ITEMS: Readonly<Record<string, { mean: number; na: number }>> = {
  q_training: { mean: 3.8, na: 0.12 },
  q_visits: { mean: 4.0, na: 0.1 },
  q_culture: { mean: 4.1, na: 0.04 },
  q_employment: { mean: 3.45, na: 0.2 },
  q_education: { mean: 3.7, na: 0.16 },
  q_medical: { mean: 3.55, na: 0.05 },
  q_elderly: { mean: 3.75, na: 0.08 },
  q_openness: { mean: 3.3, na: 0.14 },
  q_urgent: { mean: 3.35, na: 0.07 },
}
const DEFAULT_ITEM = { mean: 3.9, na: 0.08 }

/** By community index (DEMO_UNITS order): its general level, and what is better or worse there. */
const COMMUNITIES: readonly { shift: number; items: Readonly<Record<string, number>> }[] = [
  { shift: 0, items: { q_medical: -0.35 } }, // 东风: the clinic is far
  { shift: 0.25, items: { q_culture: 0.2, q_openness: 0.35 } }, // 幸福: posts its accounts
  { shift: -0.05, items: { q_employment: -0.35 } }, // 和平: young job seekers
  { shift: -0.3, items: { q_elderly: -0.4, q_urgent: -0.3 } }, // 新华: an old estate, many elderly
]

/** Face to face people are kinder; symposium attendees are older already (AGE_BY_CHANNEL), which lifts them enough. */
const CHANNEL_SHIFT: Readonly<Record<Channel, number>> = { qr: 0, door: 0.15, paper: 0.05, symposium: 0 }

const AGE_BANDS = ['u30', '30_44', '45_59', '60_74', '75p'] as const
type AgeBand = (typeof AGE_BANDS)[number]
const AGE_SHIFT: Readonly<Record<AgeBand, number>> = { u30: -0.25, '30_44': -0.15, '45_59': 0, '60_74': 0.15, '75p': 0.2 }
/** Who answers on which channel: QR codes reach the young, door-to-door the old. */
const AGE_BY_CHANNEL: Readonly<Record<Channel, Readonly<Record<AgeBand, number>>>> = {
  qr: { u30: 16, '30_44': 32, '45_59': 28, '60_74': 19, '75p': 5 },
  door: { u30: 5, '30_44': 13, '45_59': 24, '60_74': 35, '75p': 23 },
  paper: { u30: 6, '30_44': 16, '45_59': 30, '60_74': 33, '75p': 15 },
  symposium: { u30: 5, '30_44': 20, '45_59': 35, '60_74': 30, '75p': 10 },
}

/** 不了解 is more likely for what a respondent's age group does not use. */
function naShare(item: string, age: AgeBand): number {
  const base = (ITEMS[item] ?? DEFAULT_ITEM).na
  const old = age === '60_74' || age === '75p'
  const young = age === 'u30' || age === '30_44'
  if (item === 'q_employment') return old ? base + 0.3 : base
  if (item === 'q_education') return old ? base + 0.2 : base
  if (item === 'q_elderly') return young ? base + 0.22 : base
  return base
}

/**
 * Draws from each list of texts without putting back until it is used up, then reshuffles: what six
 * hundred residents write repeats, as real comments do, but not every few lines.
 */
export class Decks {
  private readonly decks = new Map<readonly string[], string[]>()
  constructor(private readonly random: Random) {}

  draw(list: readonly string[]): string {
    let deck = this.decks.get(list)
    if (!deck || deck.length === 0) {
      deck = shuffle(this.random, [...list])
      this.decks.set(list, deck)
    }
    return deck.pop() ?? ''
  }
}

export interface Respondent {
  community: number
  channel: Channel
  /** Interviewer effect: shifts every answer (door and paper only). */
  shift: number
  /** Spread of the answers around the respondent's level; an interviewer who fills in answers has less. */
  noise: number
  /**
   * An interviewer who reads out no questions and fills the form in: one box almost all the way down,
   * one or two others for show, rarely 不了解 (what METHOD.md §10's uniformity check looks for).
   */
  filledIn: boolean
  /** A planted straight-liner: every rating this score, no 不了解. */
  straight: number | null
  /** Chance of writing a comment. */
  comments: number
}

/** A filled-in form: every rating item (overall included) at one level, but for one or two. */
function filledIn(random: Random, questions: readonly Question[]): Map<string, number> {
  const ids = questions.filter((q) => q.type === 'rating').map((q) => q.id)
  const base = random() < 0.75 ? 4 : 5
  const levels = new Map(ids.map((id) => [id, base]))
  const odd = Number(weighted(random, { 0: 12, 1: 68, 2: 20 }))
  for (let i = 0; i < odd; i++) {
    const id = ids[Math.floor(random() * ids.length)] as string
    levels.set(id, base === 5 ? 4 : random() < 0.6 ? 5 : 3)
  }
  return levels
}

function optionFor(q: Extract<Question, { type: 'rating' }>, latent: number): number {
  const scores = q.scale.options.map((o) => o.score).sort((a, b) => b - a)
  // The scale's best option is at latent 5, its worst at 1, the others evenly between.
  const step = 4 / Math.max(1, scores.length - 1)
  const index = Math.round((5 - latent) / step)
  return scores[Math.min(scores.length - 1, Math.max(0, index))] as number
}

/** One respondent's answers to the questions of the published version. */
export function answer(random: Random, decks: Decks, questions: readonly Question[], who: Respondent): Answers {
  const answers: Answers = {}
  const age = weighted(random, AGE_BY_CHANNEL[who.channel])
  const community = COMMUNITIES[who.community] ?? { shift: 0, items: {} }
  const level = community.shift + CHANNEL_SHIFT[who.channel] + AGE_SHIFT[age] + who.shift + 0.55 * normal(random)
  const latents: { id: string; latent: number; score: number }[] = []
  const filled = who.filledIn ? filledIn(random, questions) : null
  for (const q of questions) {
    if (q.type !== 'rating' || q.overall) continue
    if (who.straight !== null) {
      answers[q.id] = who.straight
      continue
    }
    if (q.allowNa && random() < (filled ? 0.02 : naShare(q.id, age))) {
      answers[q.id] = 'na'
      continue
    }
    const item = (ITEMS[q.id] ?? DEFAULT_ITEM).mean + (community.items[q.id] ?? 0)
    const latent = filled ? (filled.get(q.id) ?? 4) : item + level + who.noise * normal(random)
    const score = optionFor(q, latent)
    answers[q.id] = score
    latents.push({ id: q.id, latent, score })
  }
  const overall = questions.find((q): q is Extract<Question, { type: 'rating' }> => q.type === 'rating' && q.overall === true)
  if (overall) {
    if (who.straight !== null) answers[overall.id] = who.straight
    else if (filled) answers[overall.id] = optionFor(overall, filled.get(overall.id) ?? 4)
    // A few leave the overall question at 不了解: those questionnaires have no basis (METHOD.md §3).
    else if (overall.allowNa && random() < 0.015) answers[overall.id] = 'na'
    else {
      const mean = latents.length > 0 ? latents.reduce((s, l) => s + l.latent, 0) / latents.length : 4 + level
      answers[overall.id] = optionFor(overall, mean + 0.6 * normal(random))
    }
  }
  profile(random, questions, answers, age, who.channel)
  improvements(random, questions, answers, latents)
  if (random() < who.comments) {
    const text = comment(random, decks, who.community, latents)
    const long = questions.find((q) => q.type === 'longtext')
    if (long) answers[long.id] = text
  }
  return answers
}

function profile(random: Random, questions: readonly Question[], answers: Answers, age: AgeBand, channel: Channel): void {
  const has = (id: string, value: string) =>
    questions.some((q) => q.id === id && q.type === 'single' && q.options.some((o) => o.value === value))
  if (has('q_age', age)) answers.q_age = age
  const identity = weighted(
    random,
    channel === 'symposium'
      ? { party_member: 35, resident: 45, unit: 15, other: 5 }
      : { party_member: 17, resident: 74, unit: 5, other: 4 },
  )
  if (has('q_identity', identity)) answers.q_identity = identity
  const old = age === '60_74' || age === '75p'
  const years = weighted(random, old ? { u1: 2, '1_5': 8, '5_10': 18, '10p': 72 } : { u1: 9, '1_5': 24, '5_10': 25, '10p': 42 })
  if (has('q_years', years)) answers.q_years = years
}

/** 哪些方面最需要改进: the items this respondent rated lowest, when they rated something 基本满意 or worse. */
function improvements(
  random: Random,
  questions: readonly Question[],
  answers: Answers,
  latents: { id: string; latent: number; score: number }[],
): void {
  const q = questions.find((x): x is Extract<Question, { type: 'multiple' }> => x.type === 'multiple')
  if (!q) return
  const low = latents.filter((l) => l.score <= 3).sort((a, b) => a.latent - b.latent)
  const wants = low.length > 0 ? random() < 0.8 : random() < 0.25
  if (!wants) return
  const candidates = low.length > 0 ? low : [...latents].sort((a, b) => a.latent - b.latent).slice(0, 2)
  const values: string[] = []
  for (const l of candidates) {
    const value = q.options.find((o) => `q_${o.value}` === l.id)?.value
    if (value && values.length < Math.min(3, q.maxChoices ?? 3)) values.push(value)
  }
  if (random() < 0.05 && q.options.some((o) => o.value === 'other') && values.length < (q.maxChoices ?? 3)) values.push('other')
  if (values.length > 0) answers[q.id] = values
}

/** A comment about the respondent's weakest item, something local, praise, or nothing in particular. */
function comment(random: Random, decks: Decks, community: number, latents: { id: string; latent: number; score: number }[]): string {
  const weakest = [...latents].sort((a, b) => a.latent - b.latent)[0]
  const local = LOCAL_COMPLAINTS[community] ?? []
  const r = random()
  if (weakest && weakest.score <= 3) {
    if (r < 0.7) return decks.draw(COMPLAINTS[weakest.id] ?? GENERAL)
    if (r < 0.82 && local.length > 0) return decks.draw(local)
    return decks.draw(GENERAL)
  }
  if (r < 0.55) return decks.draw(PRAISE)
  if (r < 0.7 && local.length > 0) return decks.draw(local)
  return decks.draw(GENERAL)
}
