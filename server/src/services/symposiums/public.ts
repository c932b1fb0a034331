import { followUpHead } from '@minyi/shared/ledger'
import { FollowUpStatus, type PublicRemarks, RemarkKind } from '@minyi/shared/schemas'
import { getLinkToken } from '../../db/queries/campaigns.ts'
import { listPublicRemarks, listRemarkChanges } from '../../db/queries/ledger.ts'
import { ProblemError } from '../../http/problem.ts'
import { loadCampaignContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'

/**
 * A community's public page (C4, no sign-in): the remarks staff marked public from symposiums held in
 * the community or its street, with kind, text, follow-up status and when it last changed. Never who
 * said them, who recorded them, or the follow-up's owner: only what residents may see. The key is the
 * community's QR link token (the one on its poster, or a symposium's), as for the questionnaire.
 */
export async function publicRemarks(deps: Deps, token: string): Promise<PublicRemarks> {
  const link = token.length <= 64 ? await getLinkToken(deps.db.db, token) : undefined
  if (!link) throw new ProblemError('not_found')
  const { campaign_id: campaignId, community_id: communityId } = link
  const ctx = await loadCampaignContext(deps, campaignId)
  const community = ctx?.communities.get(communityId)
  if (!ctx || !community || ctx.row.status === 'draft') throw new ProblemError('not_found')
  const remarks = await listPublicRemarks(deps.db.db, campaignId, communityId, community.parent_id)
  const changes = await listRemarkChanges(
    deps.db.db,
    remarks.map((r) => r.id),
  )
  return {
    campaignTitle: ctx.row.title,
    communityName: community.name,
    remarks: remarks.map((r) => {
      const head = followUpHead(
        changes.filter((c) => c.remark_id === r.id).map((c) => ({ id: c.id, base: c.base_id, changedAt: c.changed_at, status: c.status })),
      )
      return {
        id: r.id,
        kind: RemarkKind.parse(r.kind),
        text: r.text,
        status: head ? FollowUpStatus.parse(head.status) : null,
        changedAt: head?.changedAt ?? r.received_at,
      }
    }),
  }
}
