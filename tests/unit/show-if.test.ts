import { countedAnswers, presetScale, shownQuestionIds } from '@minyi/shared/method'
import { type Answers, type AnswerValue, Question, QuestionnaireContent } from '@minyi/shared/schemas'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type FormAnswers, toContractAnswers, validateAll, visibleQuestions } from '../../client/src/composables/use-answers.ts'
import { checkAnswers } from '../../server/src/services/answers.ts'
import type { VersionInfo } from '../../server/src/services/campaign-context.ts'

// Show-if is one rule in shared/ (method/show-if.ts) that the resident's form (use-answers.ts) and the
// server (services/answers.ts, and every figure through countedAnswers) apply. These properties
// generate questionnaires with chains of show-if and answer sets, and check that the client's
// visible set, the server's and the hand-written reference below agree.

const TYPES = ['single', 'multiple', 'rating', 'number', 'text'] as const
type Kind = (typeof TYPES)[number]
const CHOICES = ['a', 'b', 'c']
/** What a show-if may list for a controller of each kind (as text, as the rule compares them). */
const TOKENS: Record<Kind, string[]> = {
  single: CHOICES,
  multiple: CHOICES,
  rating: ['5', '4', '3', '2', '1', 'na'],
  number: ['0', '1', '2', '3'],
  text: ['x', 'y'],
}

function question(i: number, kind: Kind, required: boolean, showIf: Question['showIf']): Question {
  const base = { id: `q_${i}`, title: { zh: `问题${i}` }, required, ...(showIf ? { showIf } : {}) }
  const options = CHOICES.map((value) => ({ value, label: { zh: value } }))
  switch (kind) {
    case 'single':
    case 'multiple':
      return Question.parse({ ...base, type: kind, options })
    case 'rating':
      return Question.parse({ ...base, type: 'rating', scale: presetScale('likert5') })
    case 'number':
      return Question.parse({ ...base, type: 'number', min: 0, max: 3 })
    case 'text':
      return Question.parse({ ...base, type: 'text' })
  }
}

/** A show-if of question i: on an earlier question (mostly), or on a later or unknown one (the rule must hide it). */
const showIfArb = (i: number, n: number) =>
  fc.option(
    fc.record({
      target: fc.oneof(
        { weight: 8, arbitrary: i > 0 ? fc.integer({ min: 0, max: i - 1 }) : fc.constant(-1) },
        { weight: 1, arbitrary: fc.integer({ min: i, max: n }) },
      ),
      pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    }),
    { freq: 2 },
  )

const questionnaireArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => fc.tuple(fc.constantFrom(...TYPES), fc.boolean(), showIfArb(i, n)))).map((specs) => {
    const kinds = specs.map(([kind]) => kind)
    return specs.map(([kind, required, s], i) => {
      if (!s) return question(i, kind, required, undefined)
      // -1 or n: no such question; i … n−1: itself or a later one.
      const targetKind = kinds[s.target] ?? 'single'
      const tokens = TOKENS[targetKind]
      const values = [...new Set(s.pick.map((p) => tokens[p % tokens.length] ?? 'a'))]
      return question(i, kind, required, { questionId: `q_${s.target < 0 ? 'none' : s.target}`, values })
    })
  }),
)

/** One answer per question (or none): the contract value, and how the form may hold it while typed. */
function answerArb(q: Question): fc.Arbitrary<{ value: AnswerValue; form: FormAnswers[string] } | null> {
  const same = (a: fc.Arbitrary<AnswerValue>) => a.map((value) => ({ value, form: value as FormAnswers[string] }))
  const some = (() => {
    switch (q.type) {
      case 'single':
        return same(fc.constantFrom(...CHOICES))
      case 'multiple':
        return same(fc.subarray(CHOICES, { minLength: 1 }))
      case 'rating':
        return same(fc.constantFrom<AnswerValue>(5, 4, 3, 2, 1, 'na'))
      case 'number':
        // Typed on a keyboard: as a number, as text, with spaces, with a decimal comma.
        return fc
          .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('n', 's', 'pad', 'comma'))
          .map(([v, how]) => ({ value: v, form: how === 'n' ? v : how === 's' ? String(v) : how === 'pad' ? ` ${v} ` : `${v},0` }))
      default:
        return fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.boolean()).map(([v, pad]) => ({ value: v, form: pad ? `  ${v} ` : v }))
    }
  })()
  return fc.option(some, { freq: 4 })
}

const caseArb = questionnaireArb.chain((questions) =>
  fc.tuple(...questions.map(answerArb)).map((given) => {
    const full: Answers = {}
    const form: FormAnswers = {}
    for (const [i, q] of questions.entries()) {
      const a = given[i]
      if (!a) continue
      full[q.id] = a.value
      form[q.id] = a.form
    }
    return { questions, full, form }
  }),
)

/**
 * The reference, written from PRODUCT.md's sentence without looking at the shared code: a question
 * is shown when it has no show-if, or when the question its show-if names comes before it, is itself
 * shown, and was answered with one of the listed values (numbers compared as their text).
 */
function referenceShown(questions: readonly Question[], answers: Answers): Set<string> {
  const shown = (index: number): boolean => {
    const q = questions[index]
    if (!q?.showIf) return true
    const showIf = q.showIf
    const at = questions.findIndex((c) => c.id === showIf.questionId)
    if (at < 0 || at >= index || !shown(at)) return false
    const a = answers[showIf.questionId]
    const given = a === undefined ? [] : Array.isArray(a) ? a : [String(a)]
    return given.some((v) => showIf.values.includes(v))
  }
  return new Set(questions.filter((_, i) => shown(i)).map((q) => q.id))
}

function versionOf(questions: Question[]): VersionInfo {
  return {
    version: 1,
    publishedAt: '2026-01-01T00:00:00.000Z',
    content: { title: { zh: '测试' }, questions } as QuestionnaireContent,
    questions,
    byId: new Map(questions.map((q) => [q.id, q])),
  }
}

/** The server's shown set as its own check sees it: q alone required and unanswered → missing_required exactly when shown. */
function serverShown(questions: Question[], answers: Answers): Set<string> {
  const out = new Set<string>()
  for (const q of questions) {
    const only = questions.map((x) => ({ ...x, required: x.id === q.id }))
    const { [q.id]: _left, ...rest } = answers
    if (checkAnswers(versionOf(only), rest)?.code === 'missing_required') out.add(q.id)
  }
  return out
}

const sorted = (ids: Iterable<string>) => [...ids].sort()

describe('show-if, one rule for the client and the server', () => {
  it('should give the same visible set on the client, on the server and in the reference for any chain of show-if', () => {
    fc.assert(
      fc.property(caseArb, ({ questions, full, form }) => {
        const reference = sorted(referenceShown(questions, full))
        expect(sorted(visibleQuestions(questions, form).map((q) => q.id))).toEqual(reference)
        expect(sorted(shownQuestionIds(questions, full))).toEqual(reference)
        expect(sorted(serverShown(questions, full))).toEqual(reference)
      }),
      { numRuns: 400 },
    )
  })

  it('should count exactly the answers to shown questions, on the server as the client sends them', () => {
    fc.assert(
      fc.property(caseArb, ({ questions, full, form }) => {
        const shown = referenceShown(questions, full)
        const counted = countedAnswers(questions, full)
        expect(sorted(Object.keys(counted))).toEqual(sorted(Object.keys(full).filter((id) => shown.has(id))))
        for (const id of Object.keys(counted)) expect(counted[id]).toEqual(full[id])
        // What the client sends is what the server counts of the full answer set.
        expect(toContractAnswers(questions, form)).toEqual(counted)
      }),
      { numRuns: 400 },
    )
  })

  it('should have the server accept every answer set the client lets the resident submit', () => {
    fc.assert(
      fc.property(caseArb, ({ questions, form }) => {
        fc.pre(validateAll(questions, form).size === 0)
        expect(checkAnswers(versionOf(questions), toContractAnswers(questions, form))).toBeNull()
      }),
      { numRuns: 400 },
    )
  })

  it('should hide a question whose controller is hidden even when the controller was answered with a listed value', () => {
    const questions = QuestionnaireContent.parse({
      title: { zh: '链' },
      questions: [
        question(0, 'single', false, undefined),
        question(1, 'rating', false, { questionId: 'q_0', values: ['a'] }),
        question(2, 'text', true, { questionId: 'q_1', values: ['1', '2'] }),
      ],
    }).questions
    // q_0 = b hides q_1; q_1's left-over score 2 must not show q_2.
    const answers: Answers = { q_0: 'b', q_1: 2 }
    expect(sorted(shownQuestionIds(questions, answers))).toEqual(['q_0'])
    expect(checkAnswers(versionOf(questions), answers)).toBeNull()
    expect(countedAnswers(questions, answers)).toEqual({ q_0: 'b' })
    // A rating score shows its follow-up whether it arrives as a number or as text.
    expect(sorted(shownQuestionIds(questions, { q_0: 'a', q_1: 2 }))).toEqual(['q_0', 'q_1', 'q_2'])
    expect(sorted(visibleQuestions(questions, { q_0: 'a', q_1: 2 }).map((q) => q.id))).toEqual(['q_0', 'q_1', 'q_2'])
    expect(checkAnswers(versionOf(questions), { q_0: 'a', q_1: 2 })?.code).toBe('missing_required')
  })

  it('should return the same answers object when the questionnaire has no show-if', () => {
    const questions = [question(0, 'rating', false, undefined), question(1, 'single', false, undefined)]
    const answers: Answers = { q_0: 4, q_1: 'a' }
    expect(countedAnswers(questions, answers)).toBe(answers)
  })
})
