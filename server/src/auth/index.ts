// The auth kit for routes: `new Hono<AuthEnv>()`, `requireRole('evaluator', 'admin', 'readonly')`,
// `c.get('principal')`. Mounted once in app.ts with `authenticate`; principals and their rights are in principal.ts.
export { authenticate, currentStaff, requireRole, STAFF } from './middleware.ts'
export type { AuthEnv } from './principal.ts'
export { clientIp, serverOrigin } from './request.ts'
