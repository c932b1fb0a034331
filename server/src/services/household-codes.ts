import { HOUSEHOLD_CODE_PREFIX, type HouseholdCodeBatch } from '@minyi/shared/schemas'
import { getLinkTokenFor } from '../db/queries/campaigns.ts'
import { insertHouseholdCodes } from '../db/queries/household-codes.ts'
import { ProblemError } from '../http/problem.ts'
import { requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { randomToken, sha256Hex } from './hashing.ts'
import { linkUrl } from './links.ts'

/**
 * Prints-once household codes (入户码): each slip is the community's QR link with `?h=<code>`; the
 * resident's answer carries the code as its household key, and the code works once. Only the hash is
 * stored, with no address and no response id, so the table cannot tell which household answered what.
 */
export async function generateHouseholdCodes(
  deps: Deps,
  campaignId: string,
  communityId: string,
  count: number,
  origin: string,
): Promise<HouseholdCodeBatch> {
  const ctx = await requireContext(deps, campaignId)
  if (!ctx.communities.has(communityId)) throw new ProblemError('unknown_community')
  const link = await getLinkTokenFor(deps.db.db, campaignId, communityId, 'qr')
  if (!link) throw new ProblemError('not_found')
  const at = deps.now().toISOString()
  const codes = Array.from({ length: count }, () => `${HOUSEHOLD_CODE_PREFIX}${randomToken(16)}`)
  await insertHouseholdCodes(
    deps.db.db,
    codes.map((code) => ({
      code_hash: sha256Hex(code),
      campaign_id: campaignId,
      community_id: communityId,
      created_at: at,
      used_at: null,
    })),
  )
  const base = linkUrl(deps, origin, link.token)
  return { communityId, codes: codes.map((code) => ({ code, url: `${base}?h=${code}` })) }
}
