import type { Kysely, Migration } from 'kysely'

/**
 * Issue 10: each campaign's evidence chain head carries an Ed25519 signature by the key kept in
 * KEY_DIR, outside the database, so that rewriting answers and recomputing every later hash and the
 * head no longer passes the check. Heads stored before this are signed once at the first start with
 * the key (`services/upgrade.ts`).
 */
export const signedHeadsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema.alterTable('evidence_heads').addColumn('signature', 'text').execute()
    await db.schema.alterTable('evidence_heads').addColumn('key_id', 'text').execute()
  },
}
