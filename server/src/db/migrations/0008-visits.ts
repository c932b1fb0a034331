import type { Kysely, Migration } from 'kysely'

/**
 * The visit register (PRODUCT.md C3, METHOD.md §11): every door-to-door visit as its own sync item,
 * and what the fieldwork figures are kept from.
 * - `visits`: one row per visit (the raw record; a conflicting payload under a stored id goes to
 *   `conflicts`, as for responses). Indexed by (campaign, household key, id), the order in which a
 *   full recomputation reads a campaign's visits household by household.
 * - `households`: the final visit of each (campaign, household key) — the latest by visited_at, then
 *   by id — with its community and outcome, moved forward at ingest by compare-and-set on visit_id.
 * - `fieldwork_cells`: households by final outcome per (campaign, community), kept in step with
 *   `households`, so the indicator reads a few rows whatever the number of visits.
 */
export const visitsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('visits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('household_key', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('visited_at', 'text', (c) => c.notNull())
      .addColumn('response_id', 'text')
      .addColumn('worker_id', 'text')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text')
      .execute()
    await db.schema.createIndex('visits_household').on('visits').columns(['campaign_id', 'household_key', 'id']).execute()

    await db.schema
      .createTable('households')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('household_key', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('visited_at', 'text', (c) => c.notNull())
      .addColumn('visit_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('households_pk', ['campaign_id', 'household_key'])
      .execute()

    await db.schema
      .createTable('fieldwork_cells')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('fieldwork_cells_pk', ['campaign_id', 'community_id', 'outcome'])
      .execute()
  },
}
