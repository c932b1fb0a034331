import type { CampaignWorker } from '@minyi/shared/schemas'
import { getCampaigns } from '../db/queries/campaigns.ts'
import { listCampaignWorkers } from '../db/queries/workers.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'

/** `GET /api/v1/campaigns/:id/workers`: names for the interviewer check's worker ids (console, exports). */
export async function campaignWorkers(deps: Deps, campaignId: string): Promise<CampaignWorker[]> {
  if ((await getCampaigns(deps.db.db, [campaignId])).length === 0) throw new ProblemError('not_found')
  return listCampaignWorkers(deps.db.db, campaignId)
}
