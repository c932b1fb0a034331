import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { secureHeaders } from 'hono/secure-headers'
import { type AuthEnv, authenticate } from './auth/index.ts'
import type { Db } from './db/index.ts'
import type { Env } from './env.ts'
import { onProblem, problem } from './http/problem.ts'
import { auditRoutes } from './routes/audit.ts'
import { authRoutes } from './routes/auth.ts'
import { campaignRoutes } from './routes/campaigns.ts'
import { healthRoutes } from './routes/health.ts'
import { linkRoutes } from './routes/links.ts'
import { openApiRoutes } from './routes/openapi.ts'
import { orgUnitRoutes } from './routes/org-units.ts'
import { retentionRoutes } from './routes/retention.ts'
import { staffRoutes } from './routes/staff.ts'
import { syncRoutes } from './routes/sync.ts'
import { tokenRoutes } from './routes/tokens.ts'
import type { Deps } from './services/deps.ts'

export interface AppDeps {
  env: Env
  db: Db
  /** The clock; tests inject one to step past expiries and campaign windows. */
  now?: () => Date
}

/**
 * CSP for the built PWA: scripts, the service worker and the manifest from this origin only; inline
 * styles because Vant sets style attributes at runtime; images also as data:/blob: (QR codes, charts
 * exported as images). No framing, no plugins, forms post only here.
 */
const SECURITY_HEADERS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    manifestSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  // Coarse GPS evidence (C3) needs geolocation on this origin; nothing else is used.
  permissionsPolicy: { geolocation: ['self'], camera: [], microphone: [], payment: [] },
  referrerPolicy: 'same-origin',
}

const gzip = compress()

/** Builds the whole HTTP app: the API under /api/v1 and the built PWA for every other path. */
export function createApp({ env, db, now = () => new Date() }: AppDeps) {
  const deps: Deps = { env, db, now }
  // authenticate runs first for every API route and sets c.var.principal; routes guard with requireRole.
  const api = new Hono<AuthEnv>()
    .use(authenticate(deps))
    .route('/health', healthRoutes)
    .route('/openapi.json', openApiRoutes)
    .route('/auth', authRoutes(deps))
    .route('/staff', staffRoutes(deps))
    .route('/tokens', tokenRoutes(deps))
    .route('/audit', auditRoutes(deps))
    .route('/campaigns', campaignRoutes(deps))
    .route('/campaigns', retentionRoutes(deps))
    .route('/org-units', orgUnitRoutes(deps))
    .route('/links', linkRoutes(deps))
    .route('/sync', syncRoutes(deps))
  const app = new Hono()
  app.use('*', secureHeaders(SECURITY_HEADERS))
  app.route('/api/v1', api)
  app.onError(onProblem)
  app.notFound((c) => problem(c, 'not_found'))

  const indexPath = join(env.CLIENT_DIST, 'index.html')
  if (existsSync(indexPath)) {
    const indexHtml = readFileSync(indexPath, 'utf8')
    // The built assets travel gzipped (the entry chunk is a third of its size): on a throttled phone
    // that decides first paint (docs/PERFORMANCE.md, Lighthouse). API answers stay uncompressed: they
    // are small, and sync's CPU budget is better spent on ingest.
    app.use('/*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : gzip(c, next)))
    app.use('/*', serveStatic({ root: env.CLIENT_DIST }))
    // Client-side routes (/s/:token, /console…) all load the SPA shell.
    app.get('*', (c) => (c.req.path.startsWith('/api/') ? c.notFound() : c.html(indexHtml)))
  }
  return app
}

/**
 * The API's type, for Hono's typed client (`hc<AppType>`) and OpenAPI tooling outside this repo.
 * @public (knip: kept though nothing here imports it)
 */
export type AppType = ReturnType<typeof createApp>
