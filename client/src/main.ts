import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useOutboxStore } from './stores/outbox.ts'
import { useUpdateStore } from './stores/update.ts'

const pinia = createPinia()
createApp(App).use(pinia).mount('#app')

// The service worker registers after the load event, so it doesn't compete with the questionnaire
// for a slow connection. The outbox (Dexie, engine, app-start flush) loads when the resident first
// touches the page, or once the page has been idle a few seconds: evaluating Dexie is the biggest
// script task after first paint on a cheap phone. Anything that needs it earlier (a draft write, a
// submit, the landing page's counts) starts it itself — start() is idempotent.
const OUTBOX_IDLE_START_MS = 6_000
function afterLoad() {
  const update = useUpdateStore(pinia)
  void import('./pwa/register.ts').then((m) => m.registerServiceWorker(update.offer))
  // The evaluator console has no outbox of its own.
  if (/^\/console(\/|$)/.test(window.location.pathname)) return
  const start = () => void useOutboxStore(pinia).start()
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, start, { once: true, passive: true })
  setTimeout(
    () => ('requestIdleCallback' in window ? window.requestIdleCallback(start, { timeout: 2_000 }) : start()),
    OUTBOX_IDLE_START_MS,
  )
}
if (document.readyState === 'complete') afterLoad()
else window.addEventListener('load', afterLoad, { once: true })
