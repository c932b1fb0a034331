import type { Kysely, Migration } from 'kysely'

/**
 * Enrolment codes (PRODUCT.md C3): an admin shows a worker a QR code in the console; the worker app
 * trades it once, within 24 hours, for a 30-day bearer session. Only the SHA-256 of the code is kept,
 * like sessions, so a copy of the database holds no usable code. (Numbered while other changes
 * added migrations in parallel; they run unordered, forward-only either way.)
 */
export const enrolmentCodesMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('enrolment_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute()
    await db.schema.createIndex('enrolment_codes_user').on('enrolment_codes').column('user_id').execute()
  },
}
