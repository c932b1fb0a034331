import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { openDb } from './db/index.ts'
import { loadEnv } from './env.ts'
import { ensureAdmin } from './services/auth.ts'
import { firstResidentToken, seedDemo } from './services/demo/index.ts'
import { serverKeys } from './services/keys.ts'
import { startRetentionJob } from './services/retention/index.ts'
import { upgradeWithKeys } from './services/upgrade.ts'

const env = loadEnv()
const db = await openDb({ databaseUrl: env.DATABASE_URL, sqlitePath: env.SQLITE_PATH, poolSize: env.PG_POOL_SIZE })
// The keys outside the database (created on first start): read now, so a bad KEY_DIR stops the start.
const keys = serverKeys(env)
if (keys.created) console.log(`Created the server keys in ${keys.dir} (back them up apart from the database).`)
console.log(`evidence signing key ${keys.keyId}`)
await upgradeWithKeys({ env, db, now: () => new Date() }, (line) => console.log(line))
// Printed whatever LOG_LEVEL says: a generated admin password shown nowhere would lock everyone out.
await ensureAdmin(db, env, (line) => console.log(line))
if (env.demo) await seedDemo({ env, db, now: () => new Date() })
const app = createApp({ env, db })
const residentToken = await firstResidentToken({ env, db, now: () => new Date() })
// Issue 15: deletes raw material whose retention ended, now and daily; of several instances one works (a lease in the database).
const retention = startRetentionJob({ env, db, now: () => new Date() }, (line) => console.log(line))
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const base = env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${info.port}`
  console.log(`minyi listening on http://localhost:${info.port}/ (${db.dialect})`)
  console.log(`console:       ${base}/console`)
  if (residentToken) console.log(`resident link: ${base}/s/${residentToken}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    retention.stop()
    server.close(() => db.close().then(() => process.exit(0)))
  })
}
