import type { Role } from '@minyi/shared/schemas'

/** Who is calling, as `authenticate` found out. Every route reads it with `c.get('principal')`. */
export type Principal =
  | {
      kind: 'anonymous'
      /**
       * Set when a stale session cookie came with the request: the request goes on as anonymous (a
       * resident page must not break because the phone once held a staff login), but a route that needs
       * a login answers with this code, so the app can tell "expired" from "never signed in".
       */
      problem?: 'session_expired' | 'unauthenticated'
    }
  | { kind: 'staff'; userId: string; role: Role; communityIds: string[]; sessionId: string; via: 'cookie' | 'bearer' }
  | { kind: 'token'; tokenId: string; readOnly: true }

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>

/** Hono variables set by `authenticate`: `new Hono<AuthEnv>()` and then `c.get('principal')`. */
export type AuthVariables = { principal: Principal }
export type AuthEnv = { Variables: AuthVariables }

/** What `requireRole` accepts: the staff roles, plus `readonly` for read-only API tokens. */
export type Access = Role | 'readonly'

/**
 * May this principal see or act on data of that community? Admins and evaluators: every community;
 * workers: only those assigned to them; read-only tokens: every community (they can only read);
 * anonymous: none (anonymous channels prove themselves with unguessable link ids instead).
 */
export function canAccessCommunity(principal: Principal, communityId: string): boolean {
  switch (principal.kind) {
    case 'anonymous':
      return false
    case 'token':
      return true
    case 'staff':
      return principal.role !== 'worker' || principal.communityIds.includes(communityId)
  }
}
