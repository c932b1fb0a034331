import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { loadEnv } from './env.ts'

const env = loadEnv()
const app = createApp(env)
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  console.log(`minyi listening on http://localhost:${info.port}/`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)))
}
