import type { ProblemCode } from '@minyi/shared/problems'

/** A failure with a stable code from shared/src/problems.ts; the UI maps it to zh/en text. */
export class SyncError extends Error {
  constructor(
    readonly code: ProblemCode,
    override readonly cause?: unknown,
  ) {
    super(code)
    this.name = 'SyncError'
  }
}

/**
 * True for a full disk. Browsers throw a DOMException named `QuotaExceededError`; Dexie wraps it in
 * its own `AbortError`/`QuotaExceededError` with the original as `inner`
 * (https://dexie.org/docs/DexieErrors/Dexie.QuotaExceededError), sometimes two levels deep.
 */
export function isQuotaError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const name = (e as { name?: unknown }).name
    if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true
    e = (e as { inner?: unknown }).inner ?? (e as { cause?: unknown }).cause
  }
  return false
}
