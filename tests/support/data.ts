import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'

// Building blocks of synthetic responses, shared by the integration suites and the benchmarks.

export { uuidv7 } from '@minyi/shared/uuid'

/** The template's rating items, in order (the last one is the overall item). */
export const RATED_IDS = TEMPLATE_QUESTIONNAIRE.questions.filter((q) => q.type === 'rating').map((q) => q.id)

/** A small deterministic PRNG (mulberry32) so that a failing case or a benchmark run can be replayed: the demo's. */
export { rng } from '../../server/src/services/demo/random.ts'
