import type { CommunityProgress } from '@minyi/shared/schemas'
import { canAccessCommunity, type Principal } from '../auth/principal.ts'
import type { Deps } from './deps.ts'
import { indicatorFromAggregates } from './indicator.ts'

/**
 * Quota progress per community (C3 worker home, C5 progress) from the kept aggregates: received and
 * valid questionnaires of every channel. A worker sees only the communities assigned to them.
 */
export async function campaignProgress(deps: Deps, principal: Principal, campaignId: string): Promise<CommunityProgress[]> {
  const indicator = await indicatorFromAggregates(deps, campaignId)
  return indicator.byCommunity
    .filter((c) => canAccessCommunity(principal, c.communityId))
    .map((c) => ({ communityId: c.communityId, received: c.received, valid: c.valid, quota: c.quota }))
}
