import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { openDb } from './db/index.ts'
import { loadEnv } from './env.ts'
import { ensureAdmin } from './services/auth.ts'
import { firstResidentToken, seedDemo } from './services/demo/index.ts'

const env = loadEnv()
const db = await openDb({ databaseUrl: env.DATABASE_URL, sqlitePath: env.SQLITE_PATH, poolSize: env.PG_POOL_SIZE })
// Printed whatever LOG_LEVEL says: a generated admin password shown nowhere would lock everyone out.
await ensureAdmin(db, env, (line) => console.log(line))
if (env.demo) await seedDemo({ env, db, now: () => new Date() })
const app = createApp({ env, db })
const residentToken = await firstResidentToken({ env, db, now: () => new Date() })
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const base = env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${info.port}`
  console.log(`minyi listening on http://localhost:${info.port}/ (${db.dialect})`)
  console.log(`console:       ${base}/console`)
  if (residentToken) console.log(`resident link: ${base}/s/${residentToken}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => db.close().then(() => process.exit(0))))
}
