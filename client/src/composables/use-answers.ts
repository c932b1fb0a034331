import type { Answers, AnswerValue, Question } from '@minyi/shared/schemas'

/** What the form holds while the resident types: numbers arrive as text from the keyboard. */
export type FormValue = number | string | string[] | undefined
export type FormAnswers = Record<string, FormValue>

export type AnswerError = { key: 'errRequired' | 'errNumber' | 'errInteger' } | { key: 'errMaxChoices' | 'errMin' | 'errMax'; n: number }

function isEmpty(v: FormValue): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

/**
 * Show-if (PRODUCT.md: shown when an earlier choice has given values). A question whose controlling
 * question is itself hidden is hidden too, so answers can't leak from a branch the resident left.
 */
export function visibleQuestions(questions: Question[], answers: FormAnswers): Question[] {
  const shown = new Set<string>()
  const out: Question[] = []
  for (const q of questions) {
    if (q.showIf) {
      const { questionId, values } = q.showIf
      const a = shown.has(questionId) ? answers[questionId] : undefined
      const picked = Array.isArray(a) ? a : a === undefined ? [] : [String(a)]
      if (!picked.some((v) => values.includes(v))) continue
    }
    shown.add(q.id)
    out.push(q)
  }
  return out
}

export function validateAnswer(q: Question, v: FormValue): AnswerError | null {
  if (isEmpty(v)) return q.required ? { key: 'errRequired' } : null
  if (q.type === 'multiple' && q.maxChoices && Array.isArray(v) && v.length > q.maxChoices) return { key: 'errMaxChoices', n: q.maxChoices }
  if (q.type === 'number') {
    const n = typeof v === 'number' ? v : Number(String(v).trim().replace(',', '.'))
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
    const v = answers[q.id]
    if (isEmpty(v)) continue
    let value: AnswerValue
    if (q.type === 'number') value = typeof v === 'number' ? v : Number(String(v).trim().replace(',', '.'))
    else if (q.type === 'text' || q.type === 'longtext') {
      const s = String(v).trim()
      if (!s) continue
      value = s.slice(0, q.maxLength)
    } else value = v as AnswerValue
    out[q.id] = value
  }
  return out
}

export function countAnswered(questions: Question[], answers: FormAnswers): number {
  return questions.filter((q) => !isEmpty(answers[q.id])).length
}
