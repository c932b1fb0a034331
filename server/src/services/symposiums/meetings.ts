import type { SymposiumCount, SymposiumLink, SymposiumSummary } from '@minyi/shared/schemas'
import { insertLinkTokens } from '../../db/queries/campaigns.ts'
import { countRemarks } from '../../db/queries/ledger.ts'
import { countSheets, getSymposium, getSymposiumLink, getSymposiumLinks, listSymposiums } from '../../db/queries/symposiums.ts'
import { ProblemError } from '../../http/problem.ts'
import { requireContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'
import { randomToken } from '../hashing.ts'
import { linkUrl } from '../links.ts'

// C4 symposiums (座谈会) as staff see them: created offline by a recorder through sync (kind
// `symposium`), listed here with the rating sheets received, each with its own QR link, and a live
// count for the meeting room's projector (no individual answers).

export async function listCampaignSymposiums(deps: Deps, campaignId: string, origin: string): Promise<SymposiumSummary[]> {
  await requireContext(deps, campaignId)
  const rows = await listSymposiums(deps.db.db, campaignId)
  const ids = rows.map((r) => r.id)
  const [sheets, links, remarks] = await Promise.all([
    countSheets(deps.db.db, ids),
    getSymposiumLinks(deps.db.db, ids),
    countRemarks(deps.db.db, ids),
  ])
  return rows.map((r) => {
    const token = links.get(r.id)
    return {
      id: r.id,
      title: r.title,
      date: r.date,
      place: r.place,
      communityId: r.community_id,
      streetId: r.street_id,
      host: r.host,
      recorder: r.recorder,
      attendees: JSON.parse(r.attendees_json) as Record<string, number>,
      remarks: remarks.get(r.id) ?? 0,
      sheets: sheets.get(r.id) ?? 0,
      url: token ? linkUrl(deps, origin, token) : null,
    }
  })
}

async function requireSymposium(deps: Deps, campaignId: string, symposiumId: string) {
  await requireContext(deps, campaignId)
  const s = await getSymposium(deps.db.db, symposiumId)
  if (!s || s.campaign_id !== campaignId) throw new ProblemError('not_found')
  return s
}

/**
 * The symposium's own QR link (made once; asking again returns the same): attendees who scan it
 * answer the questionnaire as rating sheets of this symposium (channel `symposium`, its id), counted
 * in the community the symposium belongs to. A street-level symposium has no community to count its
 * sheets in, so it gets no link (its sheets are typed in by the recorder).
 */
export async function symposiumLink(deps: Deps, campaignId: string, symposiumId: string, origin: string): Promise<SymposiumLink> {
  const s = await requireSymposium(deps, campaignId, symposiumId)
  if (!s.community_id)
    throw new ProblemError('unknown_community', {
      details: [{ path: 'communityId', message: 'a street-level symposium has no community to count QR sheets in' }],
    })
  const ctx = await requireContext(deps, campaignId)
  if (!ctx.communities.has(s.community_id)) throw new ProblemError('unknown_community')
  await insertLinkTokens(deps.db.db, [
    {
      token: randomToken(16),
      campaign_id: campaignId,
      community_id: s.community_id,
      channel: 'symposium',
      symposium_id: s.id,
      created_at: deps.now().toISOString(),
    },
  ])
  const link = await getSymposiumLink(deps.db.db, s.id)
  if (!link) throw new Error('symposium link missing after insert')
  return { url: linkUrl(deps, origin, link.token) }
}

/** The projector's figure: rating sheets received so far. */
export async function symposiumCount(deps: Deps, campaignId: string, symposiumId: string): Promise<SymposiumCount> {
  const s = await requireSymposium(deps, campaignId, symposiumId)
  const sheets = await countSheets(deps.db.db, [s.id])
  return { id: s.id, title: s.title, sheets: sheets.get(s.id) ?? 0 }
}
