import { Workbox } from 'workbox-window'
import { linkUrl } from '../api/link.ts'

/**
 * Registers the service worker (loaded after first paint). A new version waits until the resident
 * accepts the prompt, which only shows between questionnaires; the page reloads once the new worker
 * has taken control, never before.
 */
export function registerServiceWorker(onWaiting: (accept: () => void) => void): void {
  if (!('serviceWorker' in navigator)) return
  const wb = new Workbox('/sw.js', { scope: '/' })
  wb.addEventListener('waiting', () => {
    onWaiting(() => {
      wb.addEventListener('controlling', () => window.location.reload())
      wb.messageSkipWaiting()
    })
  })
  // On the very first visit the questionnaire was fetched before any worker existed, so it isn't in
  // the runtime cache yet: fetch it again through the worker once it controls the page.
  if (!navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener(
      'controllerchange',
      () => {
        const m = /^\/s\/([^/]+)/.exec(window.location.pathname)
        if (m?.[1]) void fetch(linkUrl(decodeURIComponent(m[1]))).catch(() => undefined)
      },
      { once: true },
    )
  }
  void wb.register().catch(() => undefined)
}
