import { randomBytes } from 'node:crypto'
import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'

// Building blocks of synthetic responses, shared by the integration suites and the benchmarks.

/** RFC 9562 UUIDv7 (time-ordered, as the devices make them). */
export function uuidv7(ms: number = Date.now()): string {
  const b = randomBytes(16)
  b.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The template's rating items, in order (the last one is the overall item). */
export const RATED_IDS = TEMPLATE_QUESTIONNAIRE.questions.filter((q) => q.type === 'rating').map((q) => q.id)

/** A small deterministic PRNG (mulberry32) so that a failing case or a benchmark run can be replayed: the demo's. */
export { rng } from '../../server/src/services/demo/random.ts'
