import type { CommunityProgress, VisitOutcome } from '@minyi/shared/schemas'
import type { OutboxRow, SentRow, VisitRow } from '../db/index.ts'

// Plain logic of the worker's home and visit register (no Vue, no Dexie): unit-tested alone.

/**
 * Households to go back to (PRODUCT.md C3 revisit list): for each household of the register, its latest
 * visit (by visit time, then id: METHOD.md §11's final outcome); those whose latest outcome is 不在家 or
 * 需回访, oldest first. A household completed or refused later drops off the list.
 */
export function revisitList(visits: readonly VisitRow[]): VisitRow[] {
  const latest = new Map<string, VisitRow>()
  for (const v of visits) {
    const prev = latest.get(v.householdKey)
    if (!prev || v.visitedAt > prev.visitedAt || (v.visitedAt === prev.visitedAt && v.id > prev.id)) latest.set(v.householdKey, v)
  }
  const again: VisitOutcome[] = ['not_home', 'revisit']
  return [...latest.values()].filter((v) => again.includes(v.outcome)).sort((a, b) => a.visitedAt.localeCompare(b.visitedAt))
}

/** One community's line on the home: what the server counted, plus this phone's questionnaires it has not counted yet. */
export interface ProgressLine {
  communityId: string
  /** The server's count when last fetched (null: never fetched on this phone). */
  server: number | null
  /** Questionnaires from this phone the server's figure does not include yet: sent after the fetch, or still queued. */
  local: number
  quota: number | null
  total: number
}

/** How many items a sent row stands for (rows from before `count` existed: one each). */
export const sentCount = (row: Pick<SentRow, 'count'>): number => row.count ?? 1

/**
 * Quota progress = server figures + local unsent (C3). A questionnaire sent after the server's figures
 * were fetched is not in them yet, so it counts as local too; one sent before is already in them.
 * Only questionnaires count (visits are not quota).
 */
export function progressLines(
  communityIds: readonly string[],
  server: { fetchedAt: number; value: readonly CommunityProgress[] } | null,
  sent: readonly Pick<SentRow, 'kind' | 'campaignId' | 'communityId' | 'sentAt' | 'count'>[],
  queued: readonly Pick<OutboxRow, 'item'>[],
  campaignId: string,
  quotas: Record<string, number> = {},
): ProgressLine[] {
  const byId = new Map(server?.value.map((p) => [p.communityId, p]))
  const local = new Map<string, number>()
  const add = (id: string, n = 1) => local.set(id, (local.get(id) ?? 0) + n)
  for (const s of sent)
    if (s.kind === 'response' && s.campaignId === campaignId && (!server || s.sentAt >= server.fetchedAt)) add(s.communityId, sentCount(s))
  for (const q of queued) if (q.item.kind === 'response' && q.item.campaignId === campaignId) add(q.item.communityId)
  return communityIds.map((id) => {
    const p = byId.get(id)
    const serverCount = p ? p.received : null
    const l = local.get(id) ?? 0
    return { communityId: id, server: serverCount, local: l, quota: p?.quota ?? quotas[id] ?? null, total: (serverCount ?? 0) + l }
  })
}

/** How old a figure is, in the largest whole unit (for "updated 3 hours ago"). */
export function ageOf(ms: number): { unit: 'now' | 'minutes' | 'hours' | 'days'; n: number } {
  const minutes = Math.floor(Math.max(0, ms) / 60_000)
  if (minutes < 1) return { unit: 'now', n: 0 }
  if (minutes < 60) return { unit: 'minutes', n: minutes }
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return { unit: 'hours', n: hours }
  return { unit: 'days', n: Math.floor(hours / 24) }
}
