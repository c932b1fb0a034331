/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core'
import { cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { NetworkFirst } from 'workbox-strategies'
import { LINKS_CACHE, SYNC_LOCK, SYNC_TAG, WORKER_APP_CACHE, WORKER_ASSETS_URL } from './constants/storage-keys.ts'
import { openDb } from './db/index.ts'
import { SyncEngine } from './sync/engine.ts'
import { defaultLock } from './sync/lock.ts'
import { fetchTransport } from './sync/transport.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] }

// The app shell: every built file, revisioned by vite-plugin-pwa (injectManifest).
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// Every client-side route (/s/:token …) opens the precached shell; the API never does.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }))

// Each opened questionnaire: fresh when online, the last copy when not. The short network timeout
// covers "lie-fi" (connected but nothing gets through), common on a weak mobile signal.
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.pathname.startsWith('/api/v1/links/'),
  new NetworkFirst({ cacheName: LINKS_CACHE, networkTimeoutSeconds: 5 }),
)

// The worker app's files (not precached: residents never need them) are cached by the page when a
// worker signs in (src/worker/offline.ts); from then on they come from that cache, network or not.
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.startsWith('/assets/'),
  async ({ request }) => (await (await caches.open(WORKER_APP_CACHE)).match(request)) ?? fetch(request),
)

/** The worker app's file list of this build (precached), or null. */
async function workerAssets(fromNetwork: boolean): Promise<string[] | null> {
  try {
    const res = fromNetwork ? await fetch(WORKER_ASSETS_URL, { cache: 'no-cache' }) : await matchPrecache(WORKER_ASSETS_URL)
    return res?.ok ? ((await res.json()) as { files: string[] }).files : null
  } catch {
    return null
  }
}

// A new version on a phone where a worker signed in: fetch the new worker app's files before this
// version takes over, so that the app still opens offline after the update (days in the field).
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      if (!(await caches.has(WORKER_APP_CACHE))) return
      const files = await workerAssets(true)
      if (files) await (await caches.open(WORKER_APP_CACHE)).addAll(files).catch(() => undefined)
    })(),
  )
})
// …and drop the files of older versions once this one is in charge.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      if (!(await caches.has(WORKER_APP_CACHE))) return
      const files = await workerAssets(false)
      if (!files) return
      const keep = new Set(files.map((f) => new URL(f, self.location.origin).href))
      const cache = await caches.open(WORKER_APP_CACHE)
      for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req)
    })(),
  )
})

// The first install takes control at once (nothing to disrupt); later versions wait for the
// page to accept the update prompt, which it only shows between questionnaires.
clientsClaim()
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting()
})

// Background Sync: the same outbox, the same engine, the same lock as the page.
self.addEventListener('sync', (event) => {
  const e = event as ExtendableEvent & { tag: string }
  if (e.tag === SYNC_TAG) e.waitUntil(flushOutbox())
})

async function flushOutbox(): Promise<void> {
  const db = openDb()
  try {
    const engine = new SyncEngine({
      db,
      transport: fetchTransport(),
      appVersion: __APP_VERSION__,
      lock: defaultLock(SYNC_LOCK),
      // No timers in a worker that may be stopped at any moment: the browser schedules the retry.
      setTimer: () => null,
      clearTimer: () => undefined,
    })
    const out = await engine.flush()
    // Rejecting tells the browser to fire the sync event again later with its own backoff.
    if (out.error && out.remaining > 0) throw new Error(out.error)
  } finally {
    db.close()
  }
}
