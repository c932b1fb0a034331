import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { Env } from './env.ts'
import { healthRoutes } from './routes/health.ts'

/** Builds the whole HTTP app: the API under /api/v1 and the built PWA for every other path. */
export function createApp(env: Env) {
  const api = new Hono().route('/health', healthRoutes)
  const app = new Hono().route('/api/v1', api)

  const indexPath = join(env.CLIENT_DIST, 'index.html')
  if (existsSync(indexPath)) {
    const indexHtml = readFileSync(indexPath, 'utf8')
    app.use('/*', serveStatic({ root: env.CLIENT_DIST }))
    // Client-side routes (/s/:token, /console…) all load the SPA shell.
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : c.html(indexHtml)))
  }
  return app
}

export type AppType = ReturnType<typeof createApp>
