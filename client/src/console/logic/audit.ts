import { AUDIT_ACTIONS } from '@minyi/shared/schemas'
import { shanghaiDayEnd, shanghaiDayStart } from '@minyi/shared/time'

// The audit page's rules (AuditPanel.vue): the query string of its filters (the server's AuditQuery
// names), the nouns the action filter groups by, and a one-line summary of what an entry changed.

export interface AuditFilters {
  actorId: string
  /** An action (`staff.update`) or a noun (`staff`), or '' for all. */
  action: string
  campaignId: string
  /** Shanghai days `YYYY-MM-DD`, inclusive; '' for open. */
  fromDay: string
  toDay: string
}

export const NO_FILTERS: AuditFilters = { actorId: '', action: '', campaignId: '', fromDay: '', toDay: '' }

/** `GET /api/v1/audit?…` and the CSV export take the same query; the days become Shanghai day bounds. */
export function auditQuery(f: AuditFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams()
  if (f.actorId) q.set('actorId', f.actorId)
  if (f.action) q.set('action', f.action)
  if (f.campaignId) q.set('campaignId', f.campaignId)
  if (f.fromDay) q.set('from', shanghaiDayStart(f.fromDay))
  if (f.toDay) q.set('to', shanghaiDayEnd(f.toDay))
  for (const [k, v] of Object.entries(extra)) q.set(k, v)
  return q.toString()
}

/** The nouns of the known actions, in catalogue order (`staff`, `token`, …): the filter's groups. */
export const AUDIT_NOUNS: readonly string[] = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0] ?? a))]

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v))

/**
 * What changed, one `key: before → after` per key (both sides are objects of the changed keys only);
 * a value without a before is shown as itself (`key: value`). At most `max` characters.
 */
export function changeSummary(before: unknown, after: unknown, max = 300): string {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
  let text: string
  if (isObj(after) || isObj(before)) {
    const b = isObj(before) ? before : {}
    const a = isObj(after) ? after : {}
    text = [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .map((k) => (k in b ? `${k}: ${show(b[k])} → ${show(a[k])}` : `${k}: ${show(a[k])}`))
      .join('; ')
  } else text = before === null && after === null ? '' : `${show(before ?? undefined)} → ${show(after ?? undefined)}`
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
