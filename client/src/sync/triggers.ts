import { SYNC_TAG } from '../constants/storage-keys.ts'
import type { SyncEngine } from './engine.ts'

/**
 * Flushes when the network comes back and when the page becomes visible again (users switch to
 * WeChat and back; timers are frozen in background tabs). Returns a function that removes them.
 */
export function installTriggers(engine: SyncEngine, win: Window = window): () => void {
  const flush = () => void engine.flush().catch(() => undefined)
  const onVisible = () => {
    if (win.document.visibilityState === 'visible') flush()
  }
  win.addEventListener('online', flush)
  win.document.addEventListener('visibilitychange', onVisible)
  return () => {
    win.removeEventListener('online', flush)
    win.document.removeEventListener('visibilitychange', onVisible)
  }
}

interface SyncManagerLike {
  register(tag: string): Promise<void>
}

/**
 * Background Sync (Chromium only, https://developer.mozilla.org/docs/Web/API/Background_Synchronization_API):
 * the browser wakes the service worker to flush once connectivity returns, even after the tab closed.
 * Returns false where it's missing (Safari, Firefox, WeChat on iOS) — the page triggers still work.
 */
export async function registerBackgroundSync(registration: ServiceWorkerRegistration | undefined): Promise<boolean> {
  const sync = (registration as (ServiceWorkerRegistration & { sync?: SyncManagerLike }) | undefined)?.sync
  if (!sync) return false
  try {
    await sync.register(SYNC_TAG)
    return true
  } catch {
    return false
  }
}
