import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AttentionRow, OutboxItem } from '../db/index.ts'
import type { OutboxRuntime } from '../sync/browser.ts'
import type { FlushOutcome } from '../sync/engine.ts'
import type { StorageHealth } from '../sync/storage.ts'

/** The device's outbox as the UI shows it: counts, the needs-attention box, storage warnings, export. */
export const useOutboxStore = defineStore('outbox', () => {
  // Known at once when the API is missing altogether (some WeChat WebViews), so the warning shows
  // with the questionnaire; a present-but-unusable IndexedDB is found when the outbox starts.
  const mode = ref<'unknown' | 'indexeddb' | 'none'>(typeof indexedDB === 'undefined' ? 'none' : 'unknown')
  const queued = ref(0)
  const attention = ref<AttentionRow[]>([])
  const health = ref<StorageHealth | null>(null)
  const sending = ref(false)
  /** What the latest flush settled, so a thank-you screen can turn "saved" into "sent" later. */
  const settled = shallowRef<{ acknowledged: string[]; rejected: string[] }>({ acknowledged: [], rejected: [] })
  /** The latest flush's outcome (the worker app refreshes its counts and sign-in prompts from it). */
  const lastFlush = shallowRef<FlushOutcome | null>(null)
  let starting: Promise<OutboxRuntime> | null = null

  /** Loads Dexie and the engine after first paint (see sync/browser.ts); idempotent. */
  function start(): Promise<OutboxRuntime> {
    starting ??= import('../sync/browser.ts')
      .then((m) =>
        m.startOutbox({
          appVersion: __APP_VERSION__,
          onFlushed: (o) => {
            lastFlush.value = o
            if (o.acknowledged.length || o.rejected.length) settled.value = { acknowledged: o.acknowledged, rejected: o.rejected }
            void refresh()
          },
        }),
      )
      .then((rt) => {
        mode.value = rt.mode
        void refresh()
        return rt
      })
    return starting
  }

  async function refresh(): Promise<void> {
    const rt = await start()
    const counts = await rt.counts()
    queued.value = counts.queued
    attention.value = counts.attention ? await rt.attention() : []
    health.value = await rt.health()
  }

  async function sendNow(): Promise<void> {
    sending.value = true
    try {
      await (await start()).flush()
    } finally {
      sending.value = false
      await refresh()
    }
  }

  /** Downloads a JSON file of every unsent response (plus `extra`, e.g. one the full disk refused). */
  async function exportUnsent(extra: OutboxItem[] = []): Promise<void> {
    const file = await (await start()).exportFile(extra)
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = `minyi-outbox-${file.exportedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
  }

  return { mode, queued, attention, health, sending, settled, lastFlush, start, refresh, sendNow, exportUnsent }
})
