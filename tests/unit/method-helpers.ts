import { presetScale, type TallyResponseInput } from '@minyi/shared/method'
import {
  type Channel,
  type IndicatorConfig,
  type IndicatorConfigInput,
  IndicatorConfig as IndicatorConfigSchema,
  type Question,
  RatingQuestion,
  type ScalePreset,
} from '@minyi/shared/schemas'
import { expect } from 'vitest'

/** Tolerance of the worked cases (method-vectors.json "about"). */
export const TOLERANCE = 1e-4

export function expectClose(actual: number | null | undefined, expected: number, tolerance = TOLERANCE): void {
  expect(actual).not.toBeNull()
  expect(actual).not.toBeUndefined()
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance)
}

export function expectAllClose(actual: readonly number[] | null | undefined, expected: readonly number[], tolerance = TOLERANCE): void {
  expect(actual).not.toBeNull()
  expect(actual?.length).toBe(expected.length)
  for (const [i, e] of expected.entries()) expectClose(actual?.[i], e, tolerance)
}

export function ratingQuestion(id: string, preset: ScalePreset = 'likert5', overall = false): Question {
  return RatingQuestion.parse({ id, type: 'rating', title: { zh: id }, scale: presetScale(preset), overall })
}

export function config(input: IndicatorConfigInput = {}): IndicatorConfig {
  return IndicatorConfigSchema.parse(input)
}

let seq = 0
export function response(
  communityId: string,
  channel: Channel,
  answers: TallyResponseInput['answers'],
  extra: Partial<TallyResponseInput> = {},
): TallyResponseInput {
  seq++
  return { id: `r${seq}`, communityId, channel, questionnaireVersion: 1, answers, flags: [], exclusion: null, ...extra }
}
