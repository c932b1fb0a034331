import { visibleQuestions as sharedVisibleQuestions } from '@minyi/shared/method'
import type { Answers, AnswerValue, Question } from '@minyi/shared/schemas'

/** What the form holds while the resident types: numbers arrive as text from the keyboard. */
export type FormValue = number | string | string[] | undefined
export type FormAnswers = Record<string, FormValue>

export type AnswerError = { key: 'errRequired' | 'errNumber' | 'errInteger' } | { key: 'errMaxChoices' | 'errMin' | 'errMax'; n: number }

function isEmpty(v: FormValue): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

/** A number as the resident typed it ("1,5", " 12 "), as the contract carries it; NaN when it is not one. */
function toNumber(v: Exclude<FormValue, undefined>): number {
  return typeof v === 'number' ? v : Number(String(v).trim().replace(',', '.'))
}

/** One form value as the contract carries it (numbers as numbers, text trimmed), or undefined when empty. */
function toContractValue(q: Question, v: FormValue): AnswerValue | undefined {
  if (v === undefined || isEmpty(v)) return undefined
  if (q.type === 'number') return toNumber(v)
  if (q.type === 'text' || q.type === 'longtext') {
    const s = String(v).trim()
    return s ? s.slice(0, q.maxLength) : undefined
  }
  return v as AnswerValue
}

/**
 * The questions shown (the shared show-if rule), judged on the values the server will receive, so a
 * number typed as " 3 " or a choice left in a hidden branch shows the same questions here as there.
 */
export function visibleQuestions(questions: Question[], answers: FormAnswers): Question[] {
  const values: Record<string, AnswerValue | undefined> = {}
  for (const q of questions) values[q.id] = toContractValue(q, answers[q.id])
  return sharedVisibleQuestions(questions, values)
}

export function validateAnswer(q: Question, v: FormValue): AnswerError | null {
  if (v === undefined || isEmpty(v)) return q.required ? { key: 'errRequired' } : null
  if (q.type === 'multiple' && q.maxChoices && Array.isArray(v) && v.length > q.maxChoices) return { key: 'errMaxChoices', n: q.maxChoices }
  if (q.type === 'number') {
    const n = toNumber(v)
    if (!Number.isFinite(n)) return { key: 'errNumber' }
    if (q.integer && !Number.isInteger(n)) return { key: 'errInteger' }
    if (q.min !== undefined && n < q.min) return { key: 'errMin', n: q.min }
    if (q.max !== undefined && n > q.max) return { key: 'errMax', n: q.max }
  }
  return null
}

export function validateAll(questions: Question[], answers: FormAnswers): Map<string, AnswerError> {
  const errors = new Map<string, AnswerError>()
  for (const q of visibleQuestions(questions, answers)) {
    const e = validateAnswer(q, answers[q.id])
    if (e) errors.set(q.id, e)
  }
  return errors
}

/** The answers as the sync contract wants them: visible, non-empty, numbers as numbers, text trimmed. */
export function toContractAnswers(questions: Question[], answers: FormAnswers): Answers {
  const out: Answers = {}
  for (const q of visibleQuestions(questions, answers)) {
    const value = toContractValue(q, answers[q.id])
    if (value !== undefined) out[q.id] = value
  }
  return out
}

export function countAnswered(questions: Question[], answers: FormAnswers): number {
  return questions.filter((q) => !isEmpty(answers[q.id])).length
}
