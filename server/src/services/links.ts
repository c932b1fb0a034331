import { type CampaignLink, type Channel, type LinkResolution, privacyNotice } from '@minyi/shared'
import { getLinkToken, insertLinkTokens, listLinkTokens } from '../db/queries/campaigns.ts'
import { ProblemError } from '../http/problem.ts'
import { campaignStatus, communityOut, loadCampaignContext, requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { randomToken } from './hashing.ts'
import { versionOut } from './questionnaires.ts'

// QR links: one per community of a campaign (made with the campaign, and for communities added later),
// listed for printing, and resolved for the resident's phone (the token is the capability).

/** Channels that get a printed QR link per community. Door and paper are collected by logged-in workers. */
const LINK_CHANNELS: Channel[] = ['qr']

/** A QR link for every community that lacks one (inside the campaign's create or settings transaction). */
export async function ensureLinks(trx: Parameters<typeof insertLinkTokens>[0], campaignId: string, communityIds: string[], at: string) {
  await insertLinkTokens(
    trx,
    communityIds.flatMap((communityId) =>
      LINK_CHANNELS.map((channel) => ({
        token: randomToken(16),
        campaign_id: campaignId,
        community_id: communityId,
        channel,
        symposium_id: null,
        created_at: at,
      })),
    ),
  )
}

/** The QR links (PUBLIC_URL, or the request's origin, + `/s/<token>`). */
export async function listLinks(deps: Deps, id: string, origin: string): Promise<CampaignLink[]> {
  await requireContext(deps, id)
  return (await listLinkTokens(deps.db.db, id)).map((t) => ({
    communityId: t.community_id,
    channel: t.channel,
    url: linkUrl(deps, origin, t.token),
  }))
}

export function linkUrl(deps: Deps, origin: string, token: string): string {
  return `${deps.env.PUBLIC_URL?.replace(/\/$/, '') ?? origin}/s/${token}`
}

/** The resident's view of a QR link: the campaign's public part and the one community the link stands for. */
export async function resolveLink(deps: Deps, token: string): Promise<LinkResolution> {
  const link = token.length <= 64 ? await getLinkToken(deps.db.db, token) : undefined
  if (!link) throw new ProblemError('not_found')
  const ctx = await loadCampaignContext(deps, link.campaign_id)
  const community = ctx?.communities.get(link.community_id)
  if (!ctx || !community) throw new ProblemError('not_found')
  const row = ctx.row
  return {
    campaign: {
      id: row.id,
      title: row.title,
      ...(row.description ? { description: row.description } : {}),
      status: campaignStatus(row, deps.now()),
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      publishedAt: row.published_at,
      questionnaire: versionOut(ctx),
      privacyNotice: privacyNotice(Number(row.retention_months)),
      communities: [communityOut(community)],
    },
    communityId: link.community_id,
    channel: link.channel,
    symposiumId: link.symposium_id,
  }
}
