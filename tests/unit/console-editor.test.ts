import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { QUESTION_TYPES, type Question, QuestionnaireContent, Question as QuestionSchema } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import * as editor from '../../client/src/console/logic/questionnaire-editor.ts'

// The console's questionnaire editor without mounting it (QuestionnairePanel.vue only lays it out).

const template = (): Question[] => structuredClone(TEMPLATE_QUESTIONNAIRE.questions)
const ids = (qs: readonly Question[]) => qs.map((q) => q.id)
const byId = (qs: readonly Question[], id: string) => {
  const q = qs.find((x) => x.id === id)
  if (!q) throw new Error(`no ${id}`)
  return q
}

describe('questionnaire editor', () => {
  it('should accept a new id only when it is a lower-case slug no question has', () => {
    const qs = template()
    expect(editor.canAddQuestion(qs, 'q_env')).toBe(true)
    expect(editor.canAddQuestion(qs, 'q_overall')).toBe(false)
    expect(editor.canAddQuestion(qs, 'Q_env')).toBe(false)
    expect(editor.canAddQuestion(qs, '9lives')).toBe(false)
    expect(editor.canAddQuestion(qs, '')).toBe(false)
  })

  it('should make a new question of every type that the shared schema accepts as it is', () => {
    for (const type of QUESTION_TYPES) {
      const q = editor.newQuestion(type, `q_${type}`)
      expect(QuestionSchema.parse(q)).toEqual(q)
    }
  })

  it('should move a question one place and never past either end', () => {
    const qs = template()
    const [first, second] = ids(qs)
    editor.moveQuestion(qs, 0, 1)
    expect(ids(qs).slice(0, 2)).toEqual([second, first])
    const before = ids(qs)
    editor.moveQuestion(qs, 0, -1)
    editor.moveQuestion(qs, qs.length - 1, 1)
    expect(ids(qs)).toEqual(before)
  })

  it('should keep exactly one overall item when another rating becomes overall', () => {
    const qs = template()
    const other = qs.find((q) => q.type === 'rating' && !q.overall)
    if (!other) throw new Error('template without a second rating')
    editor.setOverall(qs, other)
    expect(qs.filter((q) => q.type === 'rating' && q.overall).map((q) => q.id)).toEqual([other.id])
  })

  it('should replace a rating scale by a preset, and leave other types alone', () => {
    const qs = template()
    const rating = byId(qs, 'q_overall')
    editor.setScalePreset(rating, 'likert3')
    expect(rating.type === 'rating' && rating.scale.options.length).toBe(3)
    const age = byId(qs, 'q_age')
    const copy = structuredClone(age)
    editor.setScalePreset(age, 'likert3')
    expect(age).toEqual(copy)
  })

  it('should add an option whose code no other option has', () => {
    const q = editor.newQuestion('single', 'q_pet')
    if (q.type !== 'single') throw new Error('not single')
    q.options[1] = { value: 'o3', label: { zh: 'x' } }
    editor.addOption(q)
    expect(q.options.map((o) => o.value)).toEqual(['a', 'o3', 'o4'])
  })
})

describe('questionnaire editor: show-if', () => {
  it('should offer only earlier single and multiple choice questions, numbered as shown', () => {
    const qs = template()
    const years = qs.findIndex((q) => q.id === 'q_years')
    const candidates = editor.showIfCandidates(qs, years)
    expect(candidates.map((c) => c.id)).toEqual(
      qs
        .slice(0, years)
        .filter((q) => q.type === 'single' || q.type === 'multiple')
        .map((q) => q.id),
    )
    for (const c of candidates) expect(qs[c.number - 1]?.id).toBe(c.id)
    expect(editor.showIfCandidates(qs, 0)).toEqual([])
  })

  it('should start with no answer picked, which the rule refuses until one is ticked', () => {
    const qs = template()
    const years = byId(qs, 'q_years')
    editor.setShowIfQuestion(years, 'q_identity')
    expect(years.showIf).toEqual({ questionId: 'q_identity', values: [] })
    expect(editor.showIfReasons(qs).get('q_years')).toBe('no_values')
    editor.toggleShowIfValue(years, 'resident', true)
    editor.toggleShowIfValue(years, 'unit', true)
    editor.toggleShowIfValue(years, 'unit', false)
    expect(years.showIf).toEqual({ questionId: 'q_identity', values: ['resident'] })
    expect(editor.showIfReasons(qs).size).toBe(0)
    expect(QuestionnaireContent.safeParse({ ...TEMPLATE_QUESTIONNAIRE, questions: qs }).success).toBe(true)
  })

  it('should keep the picked answers when the same question is picked again, and drop the show-if for always', () => {
    const years = byId(template(), 'q_years')
    editor.setShowIfQuestion(years, 'q_identity')
    editor.toggleShowIfValue(years, 'resident', true)
    editor.setShowIfQuestion(years, 'q_identity')
    expect(years.showIf?.values).toEqual(['resident'])
    editor.setShowIfQuestion(years, 'q_age')
    expect(years.showIf).toEqual({ questionId: 'q_age', values: [] })
    editor.setShowIfQuestion(years, '')
    expect(years).not.toHaveProperty('showIf')
  })

  it('should list the named question’s options as choices, and a ticked answer it no longer offers as stale', () => {
    const qs = template()
    const years = byId(qs, 'q_years')
    editor.setShowIfQuestion(years, 'q_identity')
    editor.toggleShowIfValue(years, 'resident', true)
    const identity = byId(qs, 'q_identity')
    if (identity.type !== 'single') throw new Error('not single')
    identity.options = identity.options.filter((o) => o.value !== 'resident')
    const choices = editor.showIfChoices(qs, years)
    expect(choices.filter((c) => c.checked)).toEqual([{ value: 'resident', label: { zh: 'resident' }, checked: true, stale: true }])
    expect(choices.filter((c) => !c.stale).map((c) => c.value)).toEqual(identity.options.map((o) => o.value))
    expect(editor.showIfReasons(qs).get('q_years')).toBe('unknown_value')
  })

  it('should mark a show-if that moving questions turned into a reference to a later question', () => {
    const qs = template()
    const years = byId(qs, 'q_years')
    editor.setShowIfQuestion(years, 'q_identity')
    editor.toggleShowIfValue(years, 'resident', true)
    editor.moveQuestion(qs, qs.indexOf(years), -1)
    expect(editor.showIfReasons(qs).get('q_years')).toBe('later_question')
    // The picker still offers only the questions now above it.
    expect(editor.showIfCandidates(qs, qs.indexOf(years)).map((c) => c.id)).not.toContain('q_identity')
  })
})
