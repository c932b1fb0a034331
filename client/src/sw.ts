/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core'
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { NetworkFirst } from 'workbox-strategies'
import { LINKS_CACHE, SYNC_LOCK, SYNC_TAG } from './constants/storage-keys.ts'
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
