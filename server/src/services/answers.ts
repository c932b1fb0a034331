import { countedAnswers, shownQuestionIds } from '@minyi/shared/method'
import type { ProblemCode } from '@minyi/shared/problems'
import type { Answers, AnswerValue, Question } from '@minyi/shared/schemas'
import type { CampaignContext, VersionInfo } from './campaign-context.ts'

/**
 * Checks answers against the questions of the version they answered. Returns the first problem, or
 * null. Rating answers are an option's score or "na" (when offered); choices must be options; text
 * within its length; numbers within bounds. Required questions must be answered when shown (the
 * shared show-if rule). An answer to a hidden question is checked the same way and kept as received,
 * but counts nowhere (`countedAnswers`; docs/SERVER.md).
 */
export function checkAnswers(version: VersionInfo, answers: Answers): { code: ProblemCode; message: string } | null {
  for (const [id, value] of Object.entries(answers)) {
    const q = version.byId.get(id)
    if (!q) return { code: 'unknown_question', message: `no question ${id.slice(0, 64)} in version ${version.version}` }
    if (!valid(q, value)) return { code: 'invalid_answer', message: `answer to ${id} is outside its options` }
  }
  let shown: Set<string> | undefined
  for (const q of version.questions) {
    if (!q.required || answered(answers[q.id])) continue
    shown ??= shownQuestionIds(version.questions, answers)
    if (!shown.has(q.id)) continue
    return { code: 'missing_required', message: `required question ${q.id} is unanswered` }
  }
  return null
}

/**
 * A stored response's answers that count: its answers to questions shown under its own version
 * (answers to hidden questions stay stored, for the content hash, and are read by nothing else).
 * Every service that reads answers_json for a figure, a list or an export goes through this.
 */
export function storedAnswers(ctx: CampaignContext, row: { questionnaire_version: number | string; answers_json: string }): Answers {
  const answers = JSON.parse(row.answers_json) as Answers
  const questions = ctx.versions.get(Number(row.questionnaire_version))?.questions
  // Published versions are never deleted; without one there is no rule to apply.
  return questions ? countedAnswers(questions, answers) : answers
}

function answered(v: AnswerValue | undefined): boolean {
  if (v === undefined) return false
  if (typeof v === 'string') return v.trim() !== ''
  if (Array.isArray(v)) return v.length > 0
  return true
}

function valid(q: Question, v: AnswerValue): boolean {
  switch (q.type) {
    case 'rating':
      if (v === 'na') return q.allowNa
      return typeof v === 'number' && q.scale.options.some((o) => o.score === v)
    case 'single':
      return typeof v === 'string' && q.options.some((o) => o.value === v)
    case 'multiple': {
      if (!Array.isArray(v)) return false
      if (new Set(v).size !== v.length) return false
      if (q.maxChoices !== undefined && v.length > q.maxChoices) return false
      return v.every((x) => q.options.some((o) => o.value === x))
    }
    case 'text':
    case 'longtext':
      return typeof v === 'string' && v.length <= q.maxLength
    case 'number':
      if (typeof v !== 'number') return false
      if (q.integer && !Number.isInteger(v)) return false
      if (q.min !== undefined && v < q.min) return false
      if (q.max !== undefined && v > q.max) return false
      return true
  }
}
