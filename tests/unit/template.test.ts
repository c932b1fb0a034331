import { assertConfigFits, overallQuestion, ratingQuestions } from '@minyi/shared/method'
import { IndicatorConfig, QuestionnaireContent } from '@minyi/shared/schemas'
import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared/template'
import { describe, expect, it } from 'vitest'

describe('questionnaire template', () => {
  const questions = TEMPLATE_QUESTIONNAIRE.questions

  it('should have the ten rated items of PRODUCT.md on likert5 with 不了解, the last one overall', () => {
    const rated = ratingQuestions(questions)
    expect(rated).toHaveLength(10)
    expect(rated.every((q) => q.scale.preset === 'likert5' && q.allowNa)).toBe(true)
    expect(overallQuestion(questions)?.id).toBe(rated.at(-1)?.id)
    expect(rated.filter((q) => q.overall)).toHaveLength(1)
  })

  it('should carry an English label for every title and option when the UI switches to en', () => {
    const texts = questions.flatMap((q) => [
      q.title,
      ...(q.type === 'rating' ? q.scale.options.map((o) => o.label) : []),
      ...(q.type === 'single' || q.type === 'multiple' ? q.options.map((o) => o.label) : []),
    ])
    expect(texts.filter((t) => !t.en)).toEqual([])
  })

  it('should mark the profile questions and never ask for a personal identifier', () => {
    const profile = questions.filter((q) => q.profile).map((q) => q.id)
    expect(profile).toEqual(['q_age', 'q_identity', 'q_years'])
    expect(questions.some((q) => /姓名|电话|门牌|身份证/.test(q.title.zh))).toBe(false)
  })

  it('should fit the default indicator config (top3 on the overall item)', () => {
    expect(() => assertConfigFits(IndicatorConfig.parse({}), questions)).not.toThrow()
    expect(QuestionnaireContent.safeParse(TEMPLATE_QUESTIONNAIRE).success).toBe(true)
  })
})
