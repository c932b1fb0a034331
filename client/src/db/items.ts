import type { OutboxItem } from './index.ts'

// Plain helpers on outbox items, apart from index.ts so that a resident component can use them without
// pulling Dexie into the first load (type imports vanish at build time).

/** When an outbox item happened: a questionnaire's submit time, a visit's visit time. */
export function itemTime(item: OutboxItem): string {
  return item.kind === 'visit' ? item.visitedAt : item.submittedAt
}
