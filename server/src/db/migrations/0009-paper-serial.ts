import type { Kysely, Migration } from 'kysely'

/**
 * C3 paper transcription: the paper form's serial number is kept with its answers (and covered by the
 * content hash when present), so a reviewer can go from a stored response to the sheet it came from.
 * Nullable: every other channel, and every earlier response, has none.
 */
export const paperSerialMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema.alterTable('responses').addColumn('serial', 'text').execute()
  },
}
