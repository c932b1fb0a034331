import {
  computeIndicator,
  indicatorFromTally,
  mergeTally,
  negateTally,
  type Tally,
  type TallyRow,
  tallyAll,
  tallyFromRows,
  tallyResponse,
  tallyToRows,
} from '@minyi/shared/method'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { campaignArb, QUESTIONNAIRES, responseArb } from './method-arbitraries.ts'
import { ratingQuestion, response } from './method-helpers.ts'

const CURRENT = QUESTIONNAIRES[1]?.questions ?? []
const questionsOf = (version: number | undefined) => QUESTIONNAIRES.find((q) => q.version === version)?.questions ?? CURRENT
const delta = (r: Parameters<typeof tallyResponse>[1]) => tallyResponse(questionsOf(r.questionnaireVersion), r)

/** Any order, any partition: responses dealt into `parts` groups by `deal`, each group merged, then the groups merged in `order`. */
const dealArb = fc.array(responseArb, { maxLength: 60 }).chain((responses) =>
  fc.record({
    responses: fc.constant(responses),
    deal: fc.array(fc.nat({ max: 4 }), { minLength: responses.length, maxLength: responses.length }),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
  }),
)

describe('tally', () => {
  it('should count one response by raw score in one cell when tallied alone', () => {
    const questions = [ratingQuestion('q_edu'), ratingQuestion('q_fund'), ratingQuestion('q_overall', 'likert5', true)]
    const r = response(
      'c1',
      'door',
      { q_edu: 5, q_fund: 'na', q_overall: 3 },
      { flags: ['straightlining', 'speeding'], workerId: 'w1', durationSeconds: 127.9 },
    )
    expect(tallyToRows(tallyResponse(questions, r))).toEqual(
      [
        // 127.9 s falls in the 5-second bucket [125, 130); two rated items are too few for `sd:`.
        'dur:125',
        'item:q_edu:5',
        'item:q_fund:na',
        'item:q_overall:3',
        'mean:k1:1/2',
        'mean:k2:1/2',
        'mean:k3:2/2',
        'mean:k4:2/2',
        'n',
        'overall:3',
      ].map((metric) => ({
        communityId: 'c1',
        channel: 'door',
        workerId: 'w1',
        flagsKey: 'speeding,straightlining',
        exclusionKey: '',
        basisKey: 'overall',
        reviewKey: '',
        metric,
        count: 1,
      })),
    )
  })

  it('should mark the basis none and count mean:none when no rating item is rated', () => {
    const questions = [ratingQuestion('q_edu'), ratingQuestion('q_overall', 'likert5', true)]
    const rows = tallyToRows(tallyResponse(questions, response('c1', 'qr', { q_edu: 'na' }, { exclusion: 'test', review: 'include' })))
    expect(rows.map((r) => r.metric)).toEqual(['item:q_edu:na', 'mean:none', 'n', 'overall:missing'])
    expect(rows[0]).toMatchObject({ basisKey: 'none', exclusionKey: 'test', reviewKey: 'include' })
  })

  it('should equal the tally of all responses when merged in any order and partition', () => {
    fc.assert(
      fc.property(dealArb, ({ responses, deal, order }) => {
        const parts: Tally[] = [0, 1, 2, 3, 4].map((p) => mergeTally(...responses.filter((_, i) => deal[i] === p).map(delta)))
        const merged = mergeTally(...order.map((p) => parts[p] ?? { cells: {} }))
        const whole = tallyAll(QUESTIONNAIRES, responses)
        expect(merged).toStrictEqual(whole)
        expect(tallyToRows(merged)).toStrictEqual(tallyToRows(whole))
      }),
    )
  })

  it('should give a deep-equal indicator from a merged tally and from a full recomputation', () => {
    fc.assert(
      fc.property(campaignArb, fc.array(fc.nat({ max: 3 }), { maxLength: 80 }), (c, deal) => {
        const parts = [0, 1, 2, 3].map((p) => mergeTally(...c.responses.filter((_, i) => (deal[i] ?? 0) === p).map(delta)))
        const incremental = indicatorFromTally({
          config: c.config,
          questions: CURRENT,
          communities: c.communities,
          tally: mergeTally(...parts.reverse()),
        })
        const full = computeIndicator({
          config: c.config,
          questionnaires: QUESTIONNAIRES,
          communities: c.communities,
          responses: c.responses,
        })
        expect(incremental).toStrictEqual(full)
      }),
    )
  })

  it('should rebuild the same tally from stored rows when rows come in any order', () => {
    fc.assert(
      fc.property(fc.array(responseArb, { maxLength: 40 }), fc.array(fc.double({ noNaN: true })), (responses, keys) => {
        const whole = tallyAll(QUESTIONNAIRES, responses)
        const rows = tallyToRows(whole)
        const shuffled = rows.map((r, i) => [keys[i] ?? 0, r] as const).sort((a, b) => a[0] - b[0])
        expect(tallyFromRows(shuffled.map(([, r]) => r))).toStrictEqual(whole)
        for (const r of rows) expect(Number.isSafeInteger(r.count) && r.count > 0).toBe(true)
      }),
    )
  })

  it('should match a full recomputation when the server upserts each delta with count = count + excluded.count', () => {
    fc.assert(
      fc.property(campaignArb, (c) => {
        // What the database does: one row per unique key, the delta's count added on conflict.
        const table = new Map<string, TallyRow>()
        for (const r of c.responses)
          for (const row of tallyToRows(delta(r))) {
            const key = JSON.stringify([
              row.communityId,
              row.channel,
              row.workerId,
              row.flagsKey,
              row.exclusionKey,
              row.basisKey,
              row.reviewKey,
              row.metric,
            ])
            const stored = table.get(key)
            table.set(key, stored ? { ...stored, count: stored.count + row.count } : row)
          }
        const fromDb = indicatorFromTally({
          config: c.config,
          questions: CURRENT,
          communities: c.communities,
          tally: tallyFromRows([...table.values()]),
        })
        expect(fromDb).toStrictEqual(
          computeIndicator({ config: c.config, questionnaires: QUESTIONNAIRES, communities: c.communities, responses: c.responses }),
        )
      }),
    )
  })

  it('should take a response back out exactly when its negated delta is merged', () => {
    fc.assert(
      fc.property(fc.array(responseArb, { minLength: 1, maxLength: 40 }), fc.nat(), (responses, pick) => {
        const i = pick % responses.length
        const target = responses[i]
        if (!target) return
        const rest = responses.filter((_, j) => j !== i)
        expect(mergeTally(tallyAll(QUESTIONNAIRES, responses), negateTally(delta(target)))).toStrictEqual(tallyAll(QUESTIONNAIRES, rest))
      }),
    )
  })

  it('should leave its inputs untouched when merging', () => {
    const a = delta(response('c1', 'qr', { q_overall: 5 }, { questionnaireVersion: 2 }))
    const before = structuredClone(a)
    mergeTally(a, a, negateTally(a))
    expect(a).toStrictEqual(before)
  })
})
