import type { CampaignDetail, CommunityRate, Indicator, StreetRate } from '@minyi/shared/schemas'

// The communities tab at city scale: streets (街道) first, a street opens to its communities, the
// community table is searched by name or code and paged, so 2,000 communities are never 2,000 rows
// or 2,000 bars at once.

/** Community rows per page. */
export const PAGE_SIZE = 50

export interface StreetView {
  /** null: communities with no known street. */
  id: string | null
  name: string
  line: StreetRate
}

export interface CommunityView {
  id: string
  name: string
  code: string
  line: CommunityRate
}

/** byStreet with the streets' names from the campaign detail (`unknown` names the street null, or one the detail lacks). */
export function streetViews(indicator: Indicator, campaign: Pick<CampaignDetail, 'streets'>, unknown: string): StreetView[] {
  const names = new Map((campaign.streets ?? []).map((s) => [s.id, s.name]))
  return indicator.byStreet.map((line) => ({
    id: line.streetId,
    name: (line.streetId === null ? undefined : names.get(line.streetId)) ?? unknown,
    line,
  }))
}

export interface CommunityFilter {
  /** Only this street's communities; undefined: every street. */
  streetId?: string | null
  /** Part of the name or code, any case; blank: every community. */
  query?: string
}

/** byCommunity with names, in its order, filtered by street and by a search on name or code. */
export function communityViews(
  indicator: Indicator,
  campaign: Pick<CampaignDetail, 'communities'>,
  { streetId, query = '' }: CommunityFilter,
): CommunityView[] {
  const byId = new Map(campaign.communities.map((c) => [c.id, c]))
  const inStreet = streetId === undefined ? null : new Set(indicator.byStreet.find((s) => s.streetId === streetId)?.communityIds ?? [])
  const needle = query.trim().toLowerCase()
  const out: CommunityView[] = []
  for (const line of indicator.byCommunity) {
    if (inStreet && !inStreet.has(line.communityId)) continue
    const c = byId.get(line.communityId)
    const view = { id: line.communityId, name: c?.name ?? line.communityId, code: c?.code ?? '', line }
    if (needle && !view.name.toLowerCase().includes(needle) && !view.code.toLowerCase().includes(needle)) continue
    out.push(view)
  }
  return out
}

export interface Page<T> {
  items: T[]
  /** 0-based, clamped to the pages there are. */
  page: number
  pages: number
  total: number
}

/** One page of `items` (at least one page, even when empty). */
export function pageOf<T>(items: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size))
  const at = Math.min(Math.max(0, Math.floor(page)), pages - 1)
  return { items: items.slice(at * size, (at + 1) * size), page: at, pages, total: items.length }
}

/** Valid against quota as a whole percentage, at most 100%; '—' without a quota. */
export function progressText(valid: number, quota: number | null): string {
  return quota ? `${Math.min(100, Math.round((valid / quota) * 100))}%` : '—'
}

/** The street to open at first: the only one when there is one, else none (the streets are shown). */
export function initialStreet(streets: readonly StreetView[]): string | null | undefined {
  return streets.length === 1 ? streets[0]?.id : undefined
}

/** Names joined with '、', the first `max` of them, then how many more (`more` formats the rest). */
export function nameList(names: readonly string[], max: number, more: (n: number) => string): string {
  const shown = names.slice(0, max).join('、')
  return names.length > max ? `${shown}${more(names.length - max)}` : shown
}
