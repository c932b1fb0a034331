import type { CampaignDevice, CommunityActivity } from '@minyi/shared/schemas'
import { listCommunityActivity } from '../db/queries/activity.ts'
import { listCampaignDevices } from '../db/queries/devices.ts'
import { requireContext } from './campaign-context.ts'
import type { Deps } from './deps.ts'

/** Devices that sent to this campaign; `unsent` keeps those still reporting a non-empty outbox (C2). */
export async function campaignDevices(deps: Deps, campaignId: string, unsent: boolean): Promise<CampaignDevice[]> {
  await requireContext(deps, campaignId)
  return (await listCampaignDevices(deps.db.db, campaignId, unsent)).map((d) => ({
    id: d.id,
    appVersion: d.app_version,
    lastSeenAt: d.last_seen_at,
    outboxSize: d.outbox_size,
    userId: d.user_id,
    responses: d.responses,
  }))
}

/** C5 live progress: when each community of the campaign last had a response accepted. */
export async function communityActivity(deps: Deps, campaignId: string): Promise<CommunityActivity[]> {
  await requireContext(deps, campaignId)
  return (await listCommunityActivity(deps.db.db, campaignId)).map((r) => ({
    communityId: r.community_id,
    lastReceivedAt: r.last_received_at,
  }))
}
