import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { type AuthEnv, authenticate } from './auth/index.ts'
import type { Db } from './db/index.ts'
import type { Env } from './env.ts'
import { onProblem } from './http/problem.ts'
import { authRoutes } from './routes/auth.ts'
import { healthRoutes } from './routes/health.ts'
import { staffRoutes } from './routes/staff.ts'
import { tokenRoutes } from './routes/tokens.ts'
import type { AuthDeps } from './services/auth.ts'

export interface AppDeps {
  env: Env
  db: Db
  /** The clock; tests inject one to step past expiries and campaign windows. */
  now?: () => Date
}

/** Builds the whole HTTP app: the API under /api/v1 and the built PWA for every other path. */
export function createApp({ env, db, now = () => new Date() }: AppDeps) {
  const deps: AuthDeps = { env, db, now }
  // authenticate runs first for every API route and sets c.var.principal; routes guard with requireRole.
  const api = new Hono<AuthEnv>()
    .use(authenticate(deps))
    .route('/health', healthRoutes)
    .route('/auth', authRoutes(deps))
    .route('/staff', staffRoutes(deps))
    .route('/tokens', tokenRoutes(deps))
  const app = new Hono().route('/api/v1', api)
  app.onError(onProblem)

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
