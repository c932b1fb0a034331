import { type Kysely, type Migration, sql } from 'kysely'

/**
 * The audit log of staff actions (issue 12 point 6): who did what, when, and the before / after of what
 * changed. One hash chain over the whole log (`audit_head` holds its end, made by the first entry and locked by each appending
 * transaction, as `evidence_heads` is for a campaign's chain). Append-only in two ways: triggers refuse
 * any UPDATE or DELETE of a row (on both dialects), and an edit made around them (a restored dump, a
 * hand-edited file) breaks the chain, which `GET /api/v1/audit/verify` walks.
 */
export const auditLogMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text')
      .addColumn('campaign_id', 'text')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute()
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute()
    await db.schema.createIndex('audit_log_campaign').on('audit_log').columns(['campaign_id', 'seq']).execute()
    await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute()
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()

    // `$1` placeholders: the PostgreSQL compiler (the same test as queries/bulk.ts's styleOf).
    if (sql`select ${1}`.compile(db).sql.includes('$1')) {
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db)
      await sql`create trigger audit_log_no_update before update or delete on audit_log
        for each row execute function audit_log_append_only()`.execute(db)
    } else {
      await sql`create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db)
      await sql`create trigger audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db)
    }
  },
}
