/** Injected by vite.config.ts from client/package.json; reported to the server on every sync. */
declare const __APP_VERSION__: string
