import type { Question, RatingQuestion, Scale, ScaleOption, ScalePreset } from '../schemas/questionnaire.ts'

/** METHOD.md §1. Options best first; `score` is what a rating answer stores. */
const PRESET_OPTIONS: Record<ScalePreset, readonly ScaleOption[]> = {
  likert5: [
    { score: 5, label: { zh: '非常满意', en: 'Very satisfied' } },
    { score: 4, label: { zh: '满意', en: 'Satisfied' } },
    { score: 3, label: { zh: '基本满意', en: 'Fairly satisfied' } },
    { score: 2, label: { zh: '不满意', en: 'Dissatisfied' } },
    { score: 1, label: { zh: '非常不满意', en: 'Very dissatisfied' } },
  ],
  likert4: [
    { score: 4, label: { zh: '满意', en: 'Satisfied' } },
    { score: 3, label: { zh: '基本满意', en: 'Fairly satisfied' } },
    { score: 2, label: { zh: '不太满意', en: 'Not very satisfied' } },
    { score: 1, label: { zh: '不满意', en: 'Dissatisfied' } },
  ],
  likert3: [
    { score: 3, label: { zh: '满意', en: 'Satisfied' } },
    { score: 2, label: { zh: '基本满意', en: 'Fairly satisfied' } },
    { score: 1, label: { zh: '不满意', en: 'Dissatisfied' } },
  ],
  nps11: Array.from({ length: 11 }, (_, i) => ({ score: 10 - i, label: { zh: String(10 - i), en: String(10 - i) } })),
}

/** A fresh copy of a preset scale (callers may edit labels without touching the preset). */
export function presetScale(preset: ScalePreset = 'likert5'): Scale {
  return { preset, options: PRESET_OPTIONS[preset].map((o) => ({ score: o.score, label: { ...o.label } })) }
}

/** The answer a respondent gives for 不了解 / 不适用. */
export const NA = 'na'

export function isRatingQuestion(q: Question): q is RatingQuestion {
  return q.type === 'rating'
}

export function ratingQuestions(questions: readonly Question[]): RatingQuestion[] {
  return questions.filter(isRatingQuestion)
}

/** The one rating question marked overall, if any (the schema allows at most one). */
export function overallQuestion(questions: readonly Question[]): RatingQuestion | undefined {
  return ratingQuestions(questions).find((q) => q.overall)
}
