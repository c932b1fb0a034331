import type { Kysely, Migration } from 'kysely'

/**
 * Retention (issue 15): how long a campaign's raw material is kept after it closes, and what stayed
 * when it was deleted.
 * - `campaigns.retention_months` (default 36: the privacy notice's "three years"), and
 *   `campaigns.raw_deleted_at`, set once by the deletion that claims the campaign.
 * - `retention_deletions`: one row per deleted campaign — when, by whom (the daily job or an admin),
 *   the evidence-chain range whose responses went, the chain head at that moment, the counts deleted,
 *   and `kept_json`: the few counts the report reads from raw answers (multiple-choice picks, comment
 *   count, rating sheets per symposium), so the report comes out the same afterwards.
 * - `job_locks`: a lease per job name, so that of several instances exactly one runs the job.
 */
export const retentionMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('campaigns')
      .addColumn('retention_months', 'integer', (c) => c.notNull().defaultTo(36))
      .execute()
    await db.schema.alterTable('campaigns').addColumn('raw_deleted_at', 'text').execute()
    await db.schema
      .createTable('retention_deletions')
      .addColumn('campaign_id', 'text', (c) => c.primaryKey())
      .addColumn('deleted_at', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('first_seq', 'integer', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('head_hash', 'text', (c) => c.notNull())
      .addColumn('counts_json', 'text', (c) => c.notNull())
      .addColumn('kept_json', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('job_locks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('until', 'text', (c) => c.notNull())
      .execute()
  },
}
