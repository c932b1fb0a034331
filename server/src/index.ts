import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { openDb } from './db/index.ts'
import { loadEnv } from './env.ts'
import { ensureAdmin } from './services/auth.ts'

const env = loadEnv()
const db = await openDb({ databaseUrl: env.DATABASE_URL, sqlitePath: env.SQLITE_PATH, poolSize: env.PG_POOL_SIZE })
// Printed whatever LOG_LEVEL says: a generated admin password shown nowhere would lock everyone out.
await ensureAdmin(db, env, (line) => console.log(line))
const app = createApp({ env, db })
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  console.log(`minyi listening on http://localhost:${info.port}/`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => db.close().then(() => process.exit(0))))
}
