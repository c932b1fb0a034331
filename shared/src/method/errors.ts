/**
 * Configuration errors of the method. They mean the campaign's indicator config does not fit its
 * questionnaire (a wrong satisfied set, weights of the wrong length…): the server should catch them
 * when the config is saved (see `assertConfigFits`) and answer with `code`, never a stack trace.
 */
export const METHOD_ERROR_CODES = [
  'satisfied_set_invalid',
  'basis_item_missing',
  'weights_mismatch',
  'questionnaire_version_unknown',
] as const
export type MethodErrorCode = (typeof METHOD_ERROR_CODES)[number]

export class MethodError extends Error {
  readonly code: MethodErrorCode

  constructor(code: MethodErrorCode, message: string) {
    super(message)
    this.name = 'MethodError'
    this.code = code
  }
}
