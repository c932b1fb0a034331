/** What the device's storage is like; the UI turns each flag into a warning. */
export interface StorageHealth {
  /** null when the browser can't tell. */
  persisted: boolean | null
  /** Heuristic: a small quota is how Chromium's incognito mode shows itself (a nearly full phone looks the same, so the warning says "may"). */
  privateMode: boolean
  /** Usage above 90 % of the quota. */
  nearQuota: boolean
}

/**
 * Chromium before 138 gave incognito windows a quota of about 100 MB and normal profiles far more;
 * Chrome 138+ reports a predictable quota in every mode (https://chromestatus.com/feature/4977371751645184),
 * so this only catches older browsers and WebViews — still most of the cheap Android phones we serve.
 */
const PRIVATE_QUOTA_BYTES = 120 * 1024 * 1024

type StorageLike = Pick<StorageManager, 'estimate' | 'persisted' | 'persist'>

export async function checkStorage(storage: StorageLike | undefined = globalThis.navigator?.storage): Promise<StorageHealth> {
  const health: StorageHealth = { persisted: null, privateMode: false, nearQuota: false }
  if (!storage) return health
  try {
    health.persisted = typeof storage.persisted === 'function' ? await storage.persisted() : null
  } catch {
    health.persisted = null
  }
  try {
    const { usage = 0, quota = 0 } = typeof storage.estimate === 'function' ? await storage.estimate() : {}
    if (quota > 0) {
      health.nearQuota = usage / quota > 0.9
      health.privateMode = quota < PRIVATE_QUOTA_BYTES
    }
  } catch {
    // estimate() is missing or throws in some WebViews: no warning rather than a wrong one.
  }
  return health
}

/**
 * Asks the browser not to evict our data under storage pressure. Called after the first saved
 * response (asking earlier, before the user did anything, is refused by Chromium's heuristics).
 */
export async function requestPersistence(storage: StorageLike | undefined = globalThis.navigator?.storage): Promise<boolean | null> {
  if (!storage || typeof storage.persist !== 'function') return null
  try {
    return await storage.persist()
  } catch {
    return null
  }
}
