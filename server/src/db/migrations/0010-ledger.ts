import type { Kysely, Migration } from 'kysely'

/**
 * C4's 整改台账: remarks get their own rows (a remark added or a follow-up changed after the
 * symposium was first sent travels as its own sync item), and every follow-up change is kept,
 * append-only, with who, when, from → to and a note. Remarks recorded before this migration stay in
 * `symposiums.remarks_json` and are copied in here, their first follow-up as a change.
 */
export const ledgerMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('remarks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('symposium_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text')
      .addColumn('street_id', 'text')
      .addColumn('speaker_category', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('public', 'integer', (c) => c.notNull())
      .addColumn('public_changed_at', 'text')
      .addColumn('public_by', 'text')
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('remarks_campaign_idx').on('remarks').column('campaign_id').execute()
    await db.schema
      .createTable('follow_up_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('remark_id', 'text', (c) => c.notNull())
      .addColumn('base_id', 'text')
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('follow_up_changes_campaign_idx').on('follow_up_changes').column('campaign_id').execute()

    // Remarks recorded before: copied from their symposium's record.
    const symposiums = await db
      .selectFrom('symposiums')
      .select(['id', 'campaign_id', 'community_id', 'street_id', 'remarks_json', 'content_hash', 'device_id', 'received_at'])
      .execute()
    for (const s of symposiums) {
      const remarks = JSON.parse(s.remarks_json) as {
        id: string
        speakerCategory: string
        kind: string
        text: string
        followUp: { owner: string; dueDate: string | null; status: string } | null
      }[]
      for (const r of remarks) {
        await db
          .insertInto('remarks')
          .values({
            id: r.id,
            campaign_id: s.campaign_id,
            symposium_id: s.id,
            community_id: s.community_id,
            street_id: s.street_id,
            speaker_category: r.speakerCategory,
            kind: r.kind,
            text: r.text,
            public: 0,
            public_changed_at: null,
            public_by: null,
            content_hash: s.content_hash,
            device_id: s.device_id,
            user_id: null,
            received_at: s.received_at,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute()
        if (r.followUp)
          await db
            .insertInto('follow_up_changes')
            .values({
              id: r.id,
              campaign_id: s.campaign_id,
              remark_id: r.id,
              base_id: null,
              owner: r.followUp.owner,
              due_date: r.followUp.dueDate,
              status: r.followUp.status,
              from_status: null,
              note: '',
              changed_at: s.received_at,
              received_at: s.received_at,
              user_id: null,
              device_id: s.device_id,
              content_hash: s.content_hash,
            })
            .onConflict((oc) => oc.column('id').doNothing())
            .execute()
      }
    }
  },
}
