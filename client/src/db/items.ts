import { uuidv7Time } from '@minyi/shared/uuid'
import type { OutboxItem } from './index.ts'

// Plain helpers on outbox items, apart from index.ts so that a resident component can use them without
// pulling Dexie into the first load (type imports vanish at build time).

/** When an outbox item happened: a questionnaire's submit time, a visit's visit time, a follow-up's change time, a symposium's date. */
export function itemTime(item: OutboxItem): string {
  switch (item.kind) {
    case 'visit':
      return item.visitedAt
    case 'response':
      return item.submittedAt
    case 'follow_up':
      return item.changedAt
    case 'symposium':
      return `${item.date}T00:00:00+08:00`
    case 'remark':
      return new Date(uuidv7Time(item.id)).toISOString()
  }
}
