// The auth kit for routes: `new Hono<AuthEnv>()`, `requireRole('evaluator', 'admin', 'readonly')`,
// `c.get('principal')`, `canAccessCommunity(principal, id)`. Mounted once in app.ts with `authenticate`.
export { authenticate, currentStaff, requireRole, STAFF } from './middleware.ts'
export { type Access, type AuthEnv, type AuthVariables, canAccessCommunity, type Principal, type StaffPrincipal } from './principal.ts'
export { clientIp, serverOrigin } from './request.ts'
