import { randomUUID } from 'node:crypto'
import type { ApiToken, ApiTokenCreated } from '@minyi/shared/schemas'
import type { StaffPrincipal } from '../auth/principal.ts'
import { hashToken, newToken } from '../auth/tokens.ts'
import * as q from '../db/queries/auth.ts'
import type { ApiTokensTable } from '../db/tables-auth.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'

// Read-only API tokens for statistics pulls. They never expire on their own (a BI job runs for years);
// an admin revokes them. Only the hash is kept, so the secret is shown once, at creation.

function toApiToken(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  }
}

export async function createApiToken(deps: Deps, actor: StaffPrincipal, name: string): Promise<ApiTokenCreated> {
  const token = newToken('api')
  const row: ApiTokensTable = {
    id: randomUUID(),
    token_hash: hashToken(token),
    name,
    created_by: actor.userId,
    created_at: deps.now().toISOString(),
    revoked_at: null,
    last_used_at: null,
  }
  await q.insertApiToken(deps.db.db, row)
  return { ...toApiToken(row), token }
}

export async function listApiTokens(deps: Deps): Promise<ApiToken[]> {
  return (await q.listApiTokens(deps.db.db)).map(toApiToken)
}

export async function revokeApiToken(deps: Deps, id: string): Promise<ApiToken> {
  if (!(await q.findApiToken(deps.db.db, id))) throw new ProblemError('not_found')
  await q.revokeApiToken(deps.db.db, id, deps.now().toISOString())
  return toApiToken((await q.findApiToken(deps.db.db, id))!)
}
