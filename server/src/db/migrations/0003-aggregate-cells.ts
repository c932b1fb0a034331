import { type Kysely, type Migration, sql } from 'kysely'

/**
 * The kept aggregates become one row per cell (campaign, community, channel, flags, exclusion, basis,
 * review) holding the cell's metric counts as a JSON object of integers, instead of one row per
 * (cell, metric). Why: a batch of 100 responses touched ~456 metric rows in only ~8 cells, so ingest
 * paid ~4.6 upserts of an 8-text-column key per response — the largest single cost of ingest. Now a
 * transaction sums its deltas per cell in JavaScript and reads, adds and writes back each touched cell
 * once. Existing rows move over grouped per cell (zero counts dropped); then `aggregates` is dropped.
 */
export const aggregateCellsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    const sqlite = !sql`select ${1}`.compile(db).sql.includes('$1')
    await db.schema
      .createTable('aggregate_cells')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('flags_key', 'text', (c) => c.notNull())
      .addColumn('exclusion_key', 'text', (c) => c.notNull())
      .addColumn('basis_key', 'text', (c) => c.notNull())
      .addColumn('review_key', 'text', (c) => c.notNull())
      // `{ "<metric>": <count>, … }`, integers, no zeros. Text in both dialects (JSON is text here).
      .addColumn('counts_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('aggregate_cells_pk', [
        'campaign_id',
        'community_id',
        'channel',
        'flags_key',
        'exclusion_key',
        'basis_key',
        'review_key',
      ])
      // One B-tree instead of rowid table + key index, as for the old table (migration 0001).
      .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
      .execute()

    // json_group_object (SQLite's JSON functions) / json_object_agg (PostgreSQL) fold a cell's metrics.
    const fold = sqlite ? sql`json_group_object(metric, count)` : sql`json_object_agg(metric, count)::text`
    await sql`
      insert into aggregate_cells
        (campaign_id, community_id, channel, flags_key, exclusion_key, basis_key, review_key, counts_json)
      select campaign_id, community_id, channel, flags_key, exclusion_key, basis_key, review_key, ${fold}
      from aggregates
      where count <> 0
      group by campaign_id, community_id, channel, flags_key, exclusion_key, basis_key, review_key`.execute(db)
    await db.schema.dropTable('aggregates').execute()
  },
}
