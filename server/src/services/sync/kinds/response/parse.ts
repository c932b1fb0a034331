import type { ProblemCode } from '@minyi/shared/problems'
import { QUESTION_ID_PATTERN, ResponseItem } from '@minyi/shared/schemas'
import { type ParsedItem, type Rejected, rejected } from '../../kind.ts'
import { issueMessage } from '../../parse.ts'

export interface ResponseParsed extends ParsedItem {
  kind: 'response'
  item: ResponseItem
}

const TIME_FIELDS = new Set(['startedAt', 'submittedAt'])

/** A questionnaire answer's shape (ResponseItem), with the code of its first problem. */
export function parseResponse(raw: unknown, id: string): ResponseParsed | Rejected {
  // Keys are checked on the raw JSON: `__proto__` would vanish into the prototype when parsed into
  // a record, and the item would pass without the answer it claimed to give.
  const answers = (raw as { answers?: unknown }).answers
  if (answers !== null && typeof answers === 'object' && !Array.isArray(answers)) {
    const odd = Object.keys(answers).find((k) => !QUESTION_ID_PATTERN.test(k))
    if (odd !== undefined) return rejected(id, 'unknown_question', `no question ${JSON.stringify(odd.slice(0, 64))}`)
  }
  const r = ResponseItem.safeParse(raw)
  if (r.success) return { kind: 'response', id: r.data.id, campaignId: r.data.campaignId, item: r.data }
  const issue = r.error.issues[0]
  const field = String(issue?.path[0] ?? '')
  const code: ProblemCode =
    field === 'id' ? 'invalid_id' : TIME_FIELDS.has(field) ? 'invalid_time' : field === 'answers' ? 'invalid_answer' : 'invalid_item'
  return rejected(id, code, issueMessage(issue))
}
