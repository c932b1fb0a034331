// First: configures zod before any lazily loaded chunk parses (see zod-setup.ts); costs a few bytes.
import './zod-setup.ts'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useOutboxStore } from './stores/outbox.ts'
import { useUpdateStore } from './stores/update.ts'

const pinia = createPinia()
createApp(App).use(pinia).mount('#app')

// After the page has loaded: the outbox (Dexie, engine, app-start flush) and the service worker,
// so neither competes with the questionnaire for a slow connection (the survey page starts the
// outbox itself as soon as the questionnaire shows).
function afterLoad() {
  void useOutboxStore(pinia).start()
  const update = useUpdateStore(pinia)
  void import('./pwa/register.ts').then((m) => m.registerServiceWorker(update.offer))
}
if (document.readyState === 'complete') afterLoad()
else window.addEventListener('load', afterLoad, { once: true })
