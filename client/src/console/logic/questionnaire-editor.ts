import { presetScale } from '@minyi/shared/method'
import { type I18nText, type Question, QuestionId, type ScalePreset, type ShowIfReason, showIfProblems } from '@minyi/shared/schemas'
import type { ConsoleKey } from '../messages.ts'

/**
 * The questionnaire editor's rules (QuestionnairePanel.vue lays them out): adding, moving and
 * removing questions, scales and options, the one overall item, and show-ifs. The functions change
 * the draft in place, as the panel's reactive draft is edited in place by its inputs too.
 */

export const QUESTION_TYPE_LABEL: Record<Question['type'], ConsoleKey> = {
  rating: 'qtRating',
  single: 'qtSingle',
  multiple: 'qtMultiple',
  text: 'qtText',
  longtext: 'qtLongtext',
  number: 'qtNumber',
}

/** Whether `id` may name a new question: the shared id pattern, and not taken. */
export function canAddQuestion(questions: readonly Question[], id: string): boolean {
  return QuestionId.safeParse(id).success && !questions.some((q) => q.id === id)
}

/** A new question of `type`, titled by its id until the author writes a title. */
export function newQuestion(type: Question['type'], id: string): Question {
  const base = { id, title: { zh: id }, required: false, profile: false }
  const options = [
    { value: 'a', label: { zh: 'A' } },
    { value: 'b', label: { zh: 'B' } },
  ]
  switch (type) {
    case 'rating':
      return { ...base, type, scale: presetScale('likert5'), allowNa: true, overall: false }
    case 'single':
    case 'multiple':
      return { ...base, type, options }
    case 'number':
      return { ...base, type, integer: true }
    case 'text':
      return { ...base, type, maxLength: 100 }
    case 'longtext':
      return { ...base, type, maxLength: 1000 }
  }
}

/** Moves question `i` one place up (-1) or down (1); nothing past either end. */
export function moveQuestion(questions: Question[], i: number, by: -1 | 1): void {
  const q = questions[i]
  if (!q || i + by < 0 || i + by >= questions.length) return
  questions.splice(i, 1)
  questions.splice(i + by, 0, q)
}

export function setScalePreset(q: Question, preset: ScalePreset): void {
  if (q.type === 'rating') q.scale = presetScale(preset)
}

/** Makes `q` the one overall rating item. */
export function setOverall(questions: Question[], q: Question): void {
  for (const x of questions) if (x.type === 'rating') x.overall = x === q
}

/** A new option with a code no other option of `q` has. */
export function addOption(q: Question): void {
  if (q.type !== 'single' && q.type !== 'multiple') return
  let n = q.options.length + 1
  while (q.options.some((o) => o.value === `o${n}`)) n++
  q.options.push({ value: `o${n}`, label: { zh: '' } })
}

// ——— show-if ———

type ChoiceQuestion = Extract<Question, { type: 'single' | 'multiple' }>
const isChoice = (q: Question | undefined): q is ChoiceQuestion => q?.type === 'single' || q?.type === 'multiple'

/** The questions the show-if of question `i` may name: earlier single and multiple choices, with their numbers (1-based). */
export function showIfCandidates(questions: readonly Question[], i: number): { id: string; number: number; title: I18nText }[] {
  return questions.slice(0, Math.max(0, i)).flatMap((q, k) => (isChoice(q) ? [{ id: q.id, number: k + 1, title: q.title }] : []))
}

/** Shows `q` always (`''`) or only after some answer to `questionId`; a new question starts with no answer picked. */
export function setShowIfQuestion(q: Question, questionId: string): void {
  if (!questionId) delete q.showIf
  else if (q.showIf?.questionId !== questionId) q.showIf = { questionId, values: [] }
}

/** Picks or unpicks one answer that shows `q`. */
export function toggleShowIfValue(q: Question, value: string, on: boolean): void {
  if (!q.showIf) return
  const values = q.showIf.values.filter((v) => v !== value)
  q.showIf.values = on ? [...values, value] : values
}

export interface ShowIfChoice {
  value: string
  label: I18nText
  checked: boolean
  /** A value the named question no longer offers (renamed or removed): shown so it can be unpicked. */
  stale: boolean
}

/** The answers of the question `q`'s show-if names, each with whether it shows `q`. */
export function showIfChoices(questions: readonly Question[], q: Question): ShowIfChoice[] {
  if (!q.showIf) return []
  const picked = new Set(q.showIf.values)
  const controller = questions.find((x) => x.id === q.showIf?.questionId)
  const options = isChoice(controller) ? controller.options : []
  const offered = new Set(options.map((o) => o.value))
  return [
    ...options.map((o) => ({ value: o.value, label: o.label, checked: picked.has(o.value), stale: false })),
    ...[...picked].filter((v) => !offered.has(v)).map((v) => ({ value: v, label: { zh: v }, checked: true, stale: true })),
  ]
}

export const SHOW_IF_REASON_TEXT: Record<ShowIfReason, ConsoleKey> = {
  self: 'qShowIf_self',
  unknown_question: 'qShowIf_unknown_question',
  cycle: 'qShowIf_cycle',
  later_question: 'qShowIf_later_question',
  not_choice: 'qShowIf_not_choice',
  no_values: 'qShowIf_no_values',
  unknown_value: 'qShowIf_unknown_value',
}

/** What is wrong with each question's show-if (the shared rule the server applies on save), by question id. */
export function showIfReasons(questions: readonly Question[]): Map<string, ShowIfReason> {
  return new Map(showIfProblems(questions).map((p) => [p.questionId, p.reason]))
}
