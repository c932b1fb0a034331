import { type Kysely, type Migration, sql } from 'kysely'

/**
 * C5 live progress shows each community's last activity. Reading max(received_at) over a campaign's
 * responses is a scan of every row; instead ingest keeps one row per (campaign, community) with the
 * time it last accepted a response there, upserted once per transaction. Existing data is folded in.
 */
export const communityActivityMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('community_activity')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('last_received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('community_activity_pk', ['campaign_id', 'community_id'])
      .execute()
    await sql`insert into community_activity (campaign_id, community_id, last_received_at)
      select campaign_id, community_id, max(received_at) from responses group by campaign_id, community_id`.execute(db)
  },
}
