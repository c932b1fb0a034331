import { type Kysely, type Migration, sql } from 'kysely'

/**
 * Rating sheets of a symposium are counted live on the meeting room's projector (C4), every few
 * seconds: an index over the symposium responses only (partial, so QR and door answers — nearly all
 * rows — pay nothing for it at ingest). And a symposium has at most one QR link of its own.
 */
export const symposiumSheetsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('responses_symposium_idx')
      .on('responses')
      .column('symposium_id')
      .where(sql.ref('symposium_id'), 'is not', null)
      .execute()
    // One QR link per symposium, even when two staff ask for it at once.
    await db.schema
      .createIndex('link_tokens_symposium_uq')
      .on('link_tokens')
      .column('symposium_id')
      .unique()
      .where(sql.ref('symposium_id'), 'is not', null)
      .execute()
  },
}
