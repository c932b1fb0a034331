import { describe, expect, it } from 'vitest'
import { hasPg } from '../support/pg.ts'
import { previousSchemaRefs, runUpgrade } from './lib/upgrade.ts'

// `pnpm upgrade:check` in CI: the release before the last schema change makes and fills a database,
// today's release opens it (migrations run) and must have lost nothing.
const from = previousSchemaRefs()
if (from.length === 0) console.warn('\n!!! no previous schema in this clone (shallow history?): the upgrade check is SKIPPED\n')

describe.skipIf(from.length === 0)('upgrade from the previous schema', () => {
  for (const db of ['sqlite', 'postgres'] as const) {
    it.skipIf(db === 'postgres' && !hasPg)(
      `should keep every row, the chain and the aggregates when today's release opens a ${db} database the previous one filled`,
      async () => {
        const r = await runUpgrade({ db, from, responses: 200 })
        expect(r.problems).toEqual([])
        expect(r.lost).toBe(0)
        expect(r.chainAfter).toBe(200)
        // The previous release may seed the demo's sample too: those rows count as well, and must stay.
        const responses = r.tables.find((t) => t.table === 'responses')!
        expect(responses.before).toBeGreaterThanOrEqual(200)
        expect(responses.after).toBe(responses.before)
        const reviews = r.tables.find((t) => t.table === 'response_reviews')!
        expect(reviews.before).toBeGreaterThanOrEqual(1)
        expect(reviews.after).toBe(reviews.before)
      },
      120_000,
    )
  }
})
