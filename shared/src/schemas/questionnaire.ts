import { I18nText, Id, Instant } from './common.ts'
import { z } from './zod.ts'

/** METHOD.md §1: scale presets (options best first). */
export const SCALE_PRESETS = ['likert5', 'likert4', 'likert3', 'nps11'] as const
export const ScalePreset = z.enum(SCALE_PRESETS)
export type ScalePreset = z.infer<typeof ScalePreset>

export const ScaleOption = z.object({ score: z.number().finite(), label: I18nText })
export type ScaleOption = z.infer<typeof ScaleOption>

/** Options ordered best first; 3 to 11 of them with distinct scores. */
export const Scale = z.object({
  preset: ScalePreset.nullable().default(null),
  options: z
    .array(ScaleOption)
    .min(3)
    .max(11)
    .refine((o) => new Set(o.map((x) => x.score)).size === o.length, 'scale scores must be distinct'),
})
export type Scale = z.infer<typeof Scale>

export const QUESTION_TYPES = ['rating', 'single', 'multiple', 'text', 'longtext', 'number'] as const
export const QuestionType = z.enum(QUESTION_TYPES)
export type QuestionType = z.infer<typeof QuestionType>

export const ChoiceOption = z.object({ value: z.string().min(1).max(64), label: I18nText })
export type ChoiceOption = z.infer<typeof ChoiceOption>

/**
 * Simple show-if: shown when an earlier single/multiple question's answer includes one of `values`.
 * What an author may write is checked by `showIfProblems` (show-if-rule.ts), not by this schema.
 */
export const ShowIf = z.object({ questionId: z.string(), values: z.array(z.string()).min(1) })
export type ShowIf = z.infer<typeof ShowIf>

/** Question ids are short stable slugs (e.g. `q_overall`), unique within a questionnaire. */
export const QUESTION_ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/
export const QuestionId = z.string().regex(QUESTION_ID_PATTERN, 'question ids are lower-case slugs')

const QuestionBase = z.object({
  id: QuestionId,
  title: I18nText,
  help: I18nText.optional(),
  required: z.boolean().default(false),
  showIf: ShowIf.optional(),
  /** Profile questions (age band, identity…) describe the respondent; never a personal identifier. */
  profile: z.boolean().default(false),
})

export const RatingQuestion = QuestionBase.extend({
  type: z.literal('rating'),
  scale: Scale,
  /** Offers 不了解 / 不适用, answered as the string "na". */
  allowNa: z.boolean().default(true),
  /** Exactly one rating question of a questionnaire may be the overall-satisfaction item. */
  overall: z.boolean().default(false),
})
export const SingleQuestion = QuestionBase.extend({
  type: z.literal('single'),
  options: z.array(ChoiceOption).min(2).max(50),
})
export const MultipleQuestion = QuestionBase.extend({
  type: z.literal('multiple'),
  options: z.array(ChoiceOption).min(2).max(50),
  maxChoices: z.number().int().positive().optional(),
})
export const TextQuestion = QuestionBase.extend({
  type: z.literal('text'),
  maxLength: z.number().int().positive().max(500).default(100),
})
export const LongTextQuestion = QuestionBase.extend({
  type: z.literal('longtext'),
  maxLength: z.number().int().positive().max(5000).default(1000),
})
export const NumberQuestion = QuestionBase.extend({
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(true),
})

export const Question = z.discriminatedUnion('type', [
  RatingQuestion,
  SingleQuestion,
  MultipleQuestion,
  TextQuestion,
  LongTextQuestion,
  NumberQuestion,
])
export type Question = z.infer<typeof Question>
export type RatingQuestion = z.infer<typeof RatingQuestion>

export const QuestionnaireContent = z
  .object({
    title: I18nText,
    intro: I18nText.optional(),
    questions: z.array(Question).min(1).max(200),
  })
  .superRefine((q, ctx) => {
    const ids = new Set<string>()
    for (const [i, question] of q.questions.entries()) {
      if (ids.has(question.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'duplicate question id' })
      ids.add(question.id)
    }
    const overall = q.questions.filter((x) => x.type === 'rating' && x.overall).length
    if (overall > 1) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'at most one overall rating question' })
  })
export type QuestionnaireContent = z.infer<typeof QuestionnaireContent>
export type QuestionnaireContentInput = z.input<typeof QuestionnaireContent>

/** A published version is immutable; editing publishes a new version. */
export const QuestionnaireVersion = z.object({
  questionnaireId: Id,
  version: z.number().int().positive(),
  publishedAt: Instant.nullable(),
  title: I18nText,
  intro: I18nText.optional(),
  questions: z.array(Question),
})
export type QuestionnaireVersion = z.infer<typeof QuestionnaireVersion>

/** Answer values: rating → the option's score or "na"; single → value; multiple → values; text; number. */
export const AnswerValue = z.union([z.number().finite(), z.literal('na'), z.string().max(5000), z.array(z.string().max(64)).max(50)])
export type AnswerValue = z.infer<typeof AnswerValue>
export const Answers = z.record(z.string().max(64), AnswerValue)
export type Answers = z.infer<typeof Answers>
