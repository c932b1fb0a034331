/**
 * Every name under which the client persists something, in one place: change one here and you
 * change it everywhere (and know it needs a migration). Shared by the page and the service worker.
 */

/** The one IndexedDB database (Dexie): outbox, drafts, needs-attention box, meta. */
export const DB_NAME = 'minyi'

/** localStorage: UI preferences only (never answers). */
export const LS_LOCALE = 'minyi.locale'
export const LS_ELDERLY = 'minyi.elderly'

/** Keys of the Dexie `meta` table. */
export const META_DEVICE_ID = 'deviceId'
export const META_FIRST_SAVE_AT = 'firstSaveAt'
/** The worker app: who is using the phone now (a worker's user id). */
export const META_ACTIVE_WORKER = 'activeWorker'

/** Background Sync tag: the service worker flushes the outbox when the browser fires it. */
export const SYNC_TAG = 'minyi-outbox'

/** Web Locks name: one flush at a time across tabs and the service worker. */
export const SYNC_LOCK = 'minyi-sync'

/** Cache Storage: runtime cache of opened questionnaires (`GET /api/v1/links/:token`). */
export const LINKS_CACHE = 'minyi-links-v1'

/** Cache Storage: the worker app's own chunks, cached when a worker signs in (not in the resident's precache). */
export const WORKER_APP_CACHE = 'minyi-worker-app'

/** Built by vite.config.ts: the files of the worker app (`/w`), which the service worker caches at sign-in. */
export const WORKER_ASSETS_URL = '/worker-assets.json'
