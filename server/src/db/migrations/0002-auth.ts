import { type Kysely, type Migration, sql } from 'kysely'

/**
 * Staff accounts, their assigned communities, login sessions and read-only API tokens.
 * staff_communities deliberately has no foreign key to org_units: accounts can be prepared before the
 * communities are imported, and a community's removal must not silently unassign workers.
 */
export const authMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('staff_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('phone', 'text')
      .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['admin', 'evaluator', 'worker'])))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('staff_communities')
      .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('staff_communities_pk', ['user_id', 'community_id'])
      .execute()

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['cookie', 'bearer'])))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .addColumn('user_agent', 'text')
      .execute()
    // "Revoke every session of this user" and the admin's session list.
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull().references('staff_users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute()
  },
}

/** `col IN ('a', 'b')` as a CHECK: both dialects enforce it, so a typo'd role can never be stored. */
function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`
}
