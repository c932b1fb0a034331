import { findUncleanText, TEXT_RULE_MESSAGE } from '@minyi/shared/schemas'
import type { ParsedItem, Rejected } from './kind.ts'
import { rejected } from './kind.ts'
import { kindNamed } from './kinds/index.ts'

/** The id echoed in a result: the item's own if it sent a string one (bounded), else ''. */
function echoId(raw: unknown): string {
  const id = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id.slice(0, 100) : ''
}

/**
 * Shape check of one item on its own, by its kind, so one bad item never sinks the batch. First the
 * text rule (`shared/src/schemas/text.ts`) over every string and key of the item, whatever its kind:
 * PostgreSQL refuses NUL in text, and one such string used to fail the whole batch's transaction there.
 */
export function parseItem(raw: unknown): ParsedItem | Rejected {
  const id = echoId(raw)
  const unclean = findUncleanText(raw)
  if (unclean) return rejected(id, 'invalid_text', `${unclean.join('.')}: ${TEXT_RULE_MESSAGE}`.slice(0, 200))
  const kind = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { kind?: unknown }).kind : undefined
  const handler = typeof kind === 'string' ? kindNamed(kind) : undefined
  if (handler) return handler.parse(raw, id)
  return rejected(id, typeof kind === 'string' ? 'unknown_kind' : 'invalid_item')
}

/** The path and message of a schema's first complaint, bounded, for the result's `message`. */
export function issueMessage(issue: { path: PropertyKey[]; message: string } | undefined): string {
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`.slice(0, 200)
}
