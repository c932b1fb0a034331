import type { Kysely, Migration } from 'kysely'

/**
 * METHOD.md §3 `network_burst` (issue 10): per campaign and network address — kept only as a keyed
 * hash (`services/keys.ts` addressKey) — the receive times of the last QR responses from it (at most
 * NETWORK_BURST.max), enough to tell whether a new one is past the max-th in its window. The row is
 * also the lock that makes two instances count one address in turn.
 */
export const networkWindowsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('network_windows')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('network_key', 'text', (c) => c.notNull())
      .addColumn('times_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('network_windows_pk', ['campaign_id', 'network_key'])
      .execute()
  },
}
