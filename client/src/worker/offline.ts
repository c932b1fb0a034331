import { WORKER_APP_CACHE, WORKER_ASSETS_URL } from '../constants/storage-keys.ts'

/** `client/dist/worker-assets.json` (written by vite.config.ts): the worker app's own files. */
export interface WorkerAssets {
  files: string[]
}

/**
 * Puts the worker app's files (its chunks, their CSS with Vant's icon font) in Cache Storage once a
 * worker has signed in, so that `/w` opens offline for days; the service worker answers them from this
 * cache (src/sw.ts). They are kept out of the resident's precache, which every resident phone downloads.
 * Only missing files are fetched; failures are silent (the next sign-in or app start tries again).
 */
export async function cacheWorkerApp(): Promise<number> {
  if (typeof caches === 'undefined') return 0
  try {
    const res = await fetch(WORKER_ASSETS_URL, { cache: 'no-cache' })
    if (!res.ok) return 0
    const { files } = (await res.json()) as WorkerAssets
    const cache = await caches.open(WORKER_APP_CACHE)
    const missing: string[] = []
    for (const f of files) if (!(await cache.match(f))) missing.push(f)
    await cache.addAll(missing)
    return missing.length
  } catch {
    return 0
  }
}
