import { createHash, randomBytes } from 'node:crypto'

/**
 * Secret tokens: a kind prefix and 256 random bits. The prefix tells the two bearer kinds apart without a
 * lookup (and lets secret scanners recognise a leaked one); only the SHA-256 is stored, so a copy of the
 * database does not hold usable credentials.
 */
export const SESSION_PREFIX = 'mys_'
export const API_TOKEN_PREFIX = 'mya_'

export type TokenKind = 'session' | 'api'

export function newToken(kind: TokenKind): string {
  return (kind === 'session' ? SESSION_PREFIX : API_TOKEN_PREFIX) + randomBytes(32).toString('base64url')
}

export function tokenKind(token: string): TokenKind | null {
  if (!/^my[sa]_[\w-]{43}$/.test(token)) return null
  return token.startsWith(SESSION_PREFIX) ? 'session' : 'api'
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
