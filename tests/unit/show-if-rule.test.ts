import { type Question, showIfProblems } from '@minyi/shared/schemas'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

// The show-if authoring rule (shared/src/schemas/show-if-rule.ts), used by the console's editor and
// by the server on save and publish.

const choice = (id: string, type: 'single' | 'multiple' = 'single', values = ['a', 'b']): Question => ({
  id,
  type,
  title: { zh: id },
  required: false,
  profile: false,
  options: values.map((value) => ({ value, label: { zh: value } })),
})
const text = (id: string): Question => ({ id, type: 'text', title: { zh: id }, required: false, profile: false, maxLength: 100 })
const rating = (id: string): Question => ({
  id,
  type: 'rating',
  title: { zh: id },
  required: false,
  profile: false,
  allowNa: true,
  overall: false,
  scale: { preset: null, options: [5, 4, 3].map((score) => ({ score, label: { zh: String(score) } })) },
})
const showing = (q: Question, questionId: string, values: string[]): Question => ({ ...q, showIf: { questionId, values } })

describe('show-if rule', () => {
  it('should accept show-ifs on earlier single and multiple choices, chained', () => {
    const qs = [choice('q_a'), showing(choice('q_b', 'multiple'), 'q_a', ['a']), showing(text('q_c'), 'q_b', ['a', 'b'])]
    expect(showIfProblems(qs)).toEqual([])
  })

  it('should name a later question, and a cycle when the later one leads back', () => {
    expect(showIfProblems([showing(text('q_a'), 'q_b', ['a']), choice('q_b')])).toEqual([
      { index: 0, questionId: 'q_a', reason: 'later_question' },
    ])
    const cycle = [showing(choice('q_a'), 'q_c', ['a']), choice('q_b'), showing(choice('q_c'), 'q_b', ['a'])]
    expect(showIfProblems(cycle)).toEqual([{ index: 0, questionId: 'q_a', reason: 'later_question' }])
    cycle[1] = showing(choice('q_b'), 'q_a', ['a'])
    expect(showIfProblems(cycle)).toEqual([{ index: 0, questionId: 'q_a', reason: 'cycle' }])
  })

  it('should refuse itself, unknown questions, non-choice questions, no values and values not offered', () => {
    const qs = [
      choice('q_a'),
      rating('q_r'),
      showing(choice('q_self'), 'q_self', ['a']),
      showing(text('q_unknown'), 'q_nowhere', ['a']),
      showing(text('q_rating'), 'q_r', ['5']),
      showing(text('q_none'), 'q_a', []),
      showing(text('q_value'), 'q_a', ['a', 'z']),
    ]
    expect(showIfProblems(qs).map((p) => [p.questionId, p.reason])).toEqual([
      ['q_self', 'self'],
      ['q_unknown', 'unknown_question'],
      ['q_rating', 'not_choice'],
      ['q_none', 'no_values'],
      ['q_value', 'unknown_value'],
    ])
  })

  /** Questionnaires of choice and text questions whose show-ifs name any question, with any values. */
  const questionnaires = fc
    .array(fc.record({ choice: fc.boolean(), target: fc.option(fc.nat(9), { nil: undefined }), values: fc.subarray(['a', 'b', 'z']) }), {
      minLength: 1,
      maxLength: 10,
    })
    .map((specs) =>
      specs.map((s, i): Question => {
        const q = s.choice ? choice(`q${i}`) : text(`q${i}`)
        return s.target === undefined ? q : showing(q, `q${s.target % specs.length}`, s.values)
      }),
    )

  it('should find no problem exactly when every show-if names an earlier choice and some of its options', () => {
    fc.assert(
      fc.property(questionnaires, (qs) => {
        const reference = qs.every((q, i) => {
          if (!q.showIf) return true
          const { questionId, values } = q.showIf
          const target = qs.findIndex((x) => x.id === questionId)
          const controller = qs[target]
          return (
            target >= 0 &&
            target < i &&
            controller?.type === 'single' &&
            values.length > 0 &&
            values.every((v) => controller.options.some((o) => o.value === v))
          )
        })
        expect(showIfProblems(qs).length === 0).toBe(reference)
      }),
    )
  })

  it('should report a cycle only on a question whose show-ifs come back to it, and report every cycle', () => {
    fc.assert(
      fc.property(questionnaires, (qs) => {
        const ids = new Map(qs.map((q, i) => [q.id, i]))
        const onCycle = (start: number) => {
          let at = ids.get(qs[start]?.showIf?.questionId ?? '')
          for (let steps = 0; at !== undefined && steps < qs.length; steps++) {
            if (at === start) return true
            at = ids.get(qs[at]?.showIf?.questionId ?? '')
          }
          return false
        }
        for (const p of showIfProblems(qs)) if (p.reason === 'cycle') expect(onCycle(p.index)).toBe(true)
        // Every cycle has a member naming a later question (an index must go up somewhere): it is reported.
        const cyclic = qs.map((_, i) => i).filter(onCycle)
        if (cyclic.length > 0)
          expect(showIfProblems(qs).some((p) => cyclic.includes(p.index) && ['cycle', 'self'].includes(p.reason))).toBe(true)
      }),
    )
  })
})
