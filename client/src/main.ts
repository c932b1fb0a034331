import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { useOutboxStore } from './stores/outbox.ts'
import { useUpdateStore } from './stores/update.ts'

const pinia = createPinia()
createApp(App).use(pinia).mount('#app')

// After first paint: the outbox (Dexie, engine, app-start flush) and the service worker.
void useOutboxStore(pinia).start()
const update = useUpdateStore(pinia)
void import('./pwa/register.ts').then((m) => m.registerServiceWorker(update.offer))
