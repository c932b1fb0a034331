import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { ResponseReviewsTable } from '../tables-core.ts'

/** An evaluator's decision on a flagged response (the response's own state changes in responses.ts). */
export async function insertReview(db: Kysely<Database>, row: Selectable<ResponseReviewsTable>): Promise<void> {
  await db.insertInto('response_reviews').values(row).execute()
}

/** Every evaluator decision on the campaign's responses, oldest first, with who made it. */
export function listCampaignReviews(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('response_reviews')
    .leftJoin('staff_users', 'staff_users.id', 'response_reviews.user_id')
    .select([
      'response_reviews.response_id',
      'response_reviews.action',
      'response_reviews.reason',
      'response_reviews.at',
      'staff_users.login',
      'staff_users.name',
    ])
    .where('response_reviews.campaign_id', '=', campaignId)
    .orderBy('response_reviews.at')
    .orderBy('response_reviews.id')
    .execute()
}
