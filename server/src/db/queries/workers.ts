import type { Kysely } from 'kysely'
import type { Database } from '../tables.ts'

/**
 * The workers of a campaign by name: worker accounts assigned to one of its communities, and every
 * staff member whose door questionnaires its kept cells count (the ids of the interviewer check; an
 * evaluator who imported a worker's file is among them). A few rows, read by index.
 */
export function listCampaignWorkers(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('staff_users')
    .select(['id', 'name', 'login'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('role', '=', 'worker'),
          eb(
            'id',
            'in',
            eb
              .selectFrom('staff_communities')
              .innerJoin('campaign_communities', 'campaign_communities.community_id', 'staff_communities.community_id')
              .select('staff_communities.user_id')
              .where('campaign_communities.campaign_id', '=', campaignId),
          ),
        ]),
        eb(
          'id',
          'in',
          eb.selectFrom('aggregate_cells').select('worker_id').where('campaign_id', '=', campaignId).where('channel', '=', 'door'),
        ),
      ]),
    )
    .orderBy('name')
    .orderBy('id')
    .execute()
}
