import type { Principal } from '../../auth/principal.ts'
import { type CampaignContext, loadCampaignContexts } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'
import type { CheckedItem, IngestOptions, ParsedItem, Rejected } from './kind.ts'
import { isRejected, rejected } from './kind.ts'
import { kindNamed } from './kinds/index.ts'

/** The campaigns the parsed items name, from the short-lived cache, fresh if an item names something it lacks. */
export async function loadContexts(deps: Deps, parsed: (ParsedItem | Rejected)[]): Promise<Map<string, CampaignContext>> {
  const items = parsed.filter((p): p is ParsedItem => !isRejected(p))
  const campaignIds = [...new Set(items.map((p) => p.campaignId))]
  const contexts = await loadCampaignContexts(deps, campaignIds)
  // A version, community or campaign unknown to a cached context may be brand new: look again before rejecting.
  const stale = items.some((p) => kindNamed(p.kind)?.isStale?.(p, contexts.get(p.campaignId)) === true)
  return stale ? loadCampaignContexts(deps, campaignIds, true) : contexts
}

/** Each parsed item against its campaign and the caller's rights, by its kind. */
export function checkItem(
  p: ParsedItem | Rejected,
  contexts: Map<string, CampaignContext>,
  principal: Principal,
  opts: IngestOptions,
): CheckedItem | Rejected {
  if (isRejected(p)) return p
  const kind = kindNamed(p.kind)
  // Unreachable: only a registered kind parses an item.
  if (!kind) return rejected(p.id, 'unknown_kind')
  const ctx = contexts.get(p.campaignId)
  // Issue 15: after the retention deletion nothing raw is stored for the campaign again.
  if (ctx?.row.raw_deleted_at) return rejected(p.id, 'campaign_data_deleted')
  return kind.check(p, ctx, principal, opts)
}
