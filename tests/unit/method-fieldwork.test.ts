import {
  computeIndicator,
  fieldworkFigures,
  fieldworkTally,
  reportParagraph,
  type TallyResponseInput,
  type VisitInput,
} from '@minyi/shared/method'
import type { VisitOutcome } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { config, expectClose, ratingQuestion, response } from './method-helpers.ts'

// METHOD.md §11, unit vectors worked out by hand.

let seq = 0
const visit = (
  householdKey: string,
  communityId: string,
  outcome: VisitOutcome,
  visitedAt: string,
  id = `v${String(++seq).padStart(3, '0')}`,
): VisitInput => ({
  id,
  householdKey,
  communityId,
  outcome,
  visitedAt,
})

// Community A
//   h1: not_home at 09:00, completed at 14:00                     → completed
//   h2: refused                                                   → refused
//   h3: revisit                                                   → revisit
//   h4: completed (id v-a) and not_home (id v-b) at the same time → the later id, v-b: not_home
//   h5: completed at 10:00+08:00 (02:00Z), refused at 03:00Z       → refused (instants, not strings)
// Community B
//   h6: not_home                                                  → not_home
//   h7: not_home in A at 09:00, completed in B at 11:00            → completed, counted in B only
const VISITS: VisitInput[] = [
  visit('h1', 'A', 'completed', '2024-05-01T06:00:00Z'),
  visit('h1', 'A', 'not_home', '2024-05-01T01:00:00Z'),
  visit('h2', 'A', 'refused', '2024-05-01T02:00:00Z'),
  visit('h3', 'A', 'revisit', '2024-05-01T02:00:00Z'),
  visit('h4', 'A', 'not_home', '2024-05-01T03:00:00Z', 'v-b'),
  visit('h4', 'A', 'completed', '2024-05-01T03:00:00Z', 'v-a'),
  visit('h5', 'A', 'completed', '2024-05-01T10:00:00+08:00'),
  visit('h5', 'A', 'refused', '2024-05-01T03:00:00Z'),
  visit('h6', 'B', 'not_home', '2024-05-01T04:00:00Z'),
  visit('h7', 'A', 'not_home', '2024-05-01T01:00:00Z'),
  visit('h7', 'B', 'completed', '2024-05-01T03:00:00Z'),
]

describe('fieldwork (METHOD.md §11)', () => {
  it('should count households by the outcome of their latest visit, in the community of that visit', () => {
    expect(fieldworkTally(VISITS)).toEqual({
      A: { completed: 1, not_home: 1, refused: 2, revisit: 1 },
      B: { completed: 1, not_home: 1, refused: 0, revisit: 0 },
    })
    // Any order of the visits gives the same final outcomes.
    expect(fieldworkTally([...VISITS].reverse())).toEqual(fieldworkTally(VISITS))
  })

  it('should give response and contact rates over households not left for a revisit', () => {
    // A: completed 1, refused 2, not_home 1, revisit 1 → 5 households;
    //    response rate = 1 / (1 + 2 + 1) = 0.25; contact rate = (1 + 2) / 4 = 0.75
    expect(fieldworkFigures({ completed: 1, not_home: 1, refused: 2, revisit: 1 })).toEqual({
      households: 5,
      completed: 1,
      notHome: 1,
      refused: 2,
      revisit: 1,
      responseRate: 0.25,
      contactRate: 0.75,
    })
    // Only revisits: no household has a final answer yet → both rates absent.
    expect(fieldworkFigures({ completed: 0, not_home: 0, refused: 0, revisit: 3 })).toMatchObject({
      households: 3,
      responseRate: null,
      contactRate: null,
    })
  })

  const questions = [ratingQuestion('q_overall', 'likert5', true)]
  const responses: TallyResponseInput[] = [response('A', 'door', { q_overall: 5 }, { workerId: 'w1' })]
  const indicator = computeIndicator({
    config: config(),
    questionnaires: [{ version: 1, questions }],
    communities: [
      { id: 'A', population: null },
      { id: 'B', population: null },
      { id: 'C', population: null },
    ],
    responses,
    visits: VISITS,
  })

  it('should put fieldwork in the indicator overall and in each community line', () => {
    // Overall: completed 1 + 1 = 2, refused 2, not_home 1 + 1 = 2, revisit 1 → 7 households;
    // response rate = 2 / (2 + 2 + 2) = 0.333333; contact rate = (2 + 2) / 6 = 0.666667
    expect(indicator.fieldwork).toMatchObject({ households: 7, completed: 2, notHome: 2, refused: 2, revisit: 1 })
    expectClose(indicator.fieldwork.responseRate, 1 / 3)
    expectClose(indicator.fieldwork.contactRate, 2 / 3)
    const [a, b, c] = indicator.byCommunity
    expect(a?.fieldwork).toMatchObject({ households: 5, responseRate: 0.25, contactRate: 0.75 })
    // B: completed 1, not_home 1 → 1 / 2 = 0.5 and 0.5
    expect(b?.fieldwork).toMatchObject({ households: 2, responseRate: 0.5, contactRate: 0.5 })
    // C: never visited → zeros, no rates.
    expect(c?.fieldwork).toEqual({ households: 0, completed: 0, notHome: 0, refused: 0, revisit: 0, responseRate: null, contactRate: null })
  })

  it('should state the fieldwork and a response rate below 50% in the report paragraph', () => {
    const text = reportParagraph(indicator)
    expect(text).toContain('入户访问共走访7户，其中完成2户、拒访2户、不在家2户、需回访1户，应答率33.33%，接触率66.67%。')
    expect(text).toContain('入户访问应答率低于50%')
  })

  it('should not call a response rate of exactly 50% low, and say nothing of fieldwork without visits', () => {
    const half = computeIndicator({
      config: config(),
      questionnaires: [{ version: 1, questions }],
      communities: [{ id: 'B', population: null }],
      responses,
      visits: VISITS.filter((v) => v.householdKey === 'h6' || v.householdKey === 'h7'),
    })
    // h6 not_home, h7 completed (its last visit) → 1 / 2 = 50.00%: stated, not called low.
    expect(reportParagraph(half)).toContain('应答率50.00%')
    expect(reportParagraph(half)).not.toContain('低于50%')
    expect(reportParagraph({ ...half, fieldwork: fieldworkFigures({ completed: 0, not_home: 0, refused: 0, revisit: 0 }) })).not.toContain(
      '入户访问共走访',
    )
  })
})
