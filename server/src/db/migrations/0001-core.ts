import { type Kysely, type Migration, sql } from 'kysely'

/**
 * The core schema: org units, campaigns, questionnaires (+ immutable versions), links, household codes,
 * responses, symposiums, devices, conflicts, kept aggregates, the evidence chain and rate-limit counters.
 * Types are the portable subset of SQLite and PostgreSQL (text, integer, double precision); JSON is text.
 */
export const coreMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    // SQLite stores a table with a composite text key twice (rowid table + key index) unless told
    // WITHOUT ROWID; for the aggregates, upserted hundreds of times per batch, that halves the pages written.
    const sqlite = !sql`select ${1}`.compile(db).sql.includes('$1')
    await db.schema
      .createTable('org_units')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('population', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('questionnaires')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('draft_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('questionnaire_versions')
      .addColumn('questionnaire_id', 'text', (c) => c.notNull().references('questionnaires.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_json', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('questionnaire_versions_pk', ['questionnaire_id', 'version'])
      .execute()

    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opens_at', 'text', (c) => c.notNull())
      .addColumn('closes_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('questionnaire_id', 'text', (c) => c.notNull().references('questionnaires.id'))
      .addColumn('indicator_config_json', 'text', (c) => c.notNull())
      .addColumn('household_salt', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('campaign_communities')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('community_id', 'text', (c) => c.notNull().references('org_units.id'))
      .addColumn('quota', 'integer')
      .addPrimaryKeyConstraint('campaign_communities_pk', ['campaign_id', 'community_id'])
      .execute()

    await db.schema
      .createTable('link_tokens')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('symposium_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    // One community link per (campaign, community, channel); symposium links are per symposium.
    await db.schema
      .createIndex('link_tokens_community_uq')
      .on('link_tokens')
      .columns(['campaign_id', 'community_id', 'channel'])
      .unique()
      .where(sql.ref('symposium_id'), 'is', null)
      .execute()

    await db.schema
      .createTable('household_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute()

    // No foreign keys on the hot insert path: the service checks campaign/community/version in memory,
    // and FK checks would cost a lookup per row on every ingest.
    await db.schema
      .createTable('responses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('questionnaire_version', 'integer', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text')
      .addColumn('household_key', 'text')
      .addColumn('symposium_id', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('answers_json', 'text', (c) => c.notNull())
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('exclusion', 'text')
      .addColumn('review', 'text')
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('test', 'integer', (c) => c.notNull())
      .addColumn('evidence_json', 'text')
      .execute()
    // Only flagged, excluded or reviewed rows, for the review list: an index over every row would cost
    // each ingest an extra B-tree write for a query that never needs the unflagged majority.
    await db.schema
      .createIndex('responses_flagged_idx')
      .on('responses')
      .columns(['campaign_id', 'received_at'])
      .where(sql<boolean>`flags <> '' or exclusion is not null or review is not null`)
      .execute()

    await db.schema
      .createTable('response_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('response_reviews_response_idx').on('response_reviews').column('response_id').execute()

    await db.schema
      .createTable('conflicts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute()
    // A replay of the same conflicting payload is stored once.
    await db.schema.createIndex('conflicts_payload_uq').on('conflicts').columns(['response_id', 'content_hash']).unique().execute()

    await db.schema
      .createTable('symposiums')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text')
      .addColumn('street_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('place', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('recorder', 'text', (c) => c.notNull())
      .addColumn('attendees_json', 'text', (c) => c.notNull())
      .addColumn('remarks_json', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('symposiums_campaign_idx').on('symposiums').column('campaign_id').execute()

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_version', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('outbox_size', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .execute()

    await db.schema
      .createTable('device_campaigns')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('qr_count', 'integer', (c) => c.notNull())
      .addColumn('total_count', 'integer', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_campaigns_pk', ['campaign_id', 'device_id'])
      .execute()

    await db.schema
      .createTable('household_counts')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('household_key', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('household_counts_pk', ['campaign_id', 'household_key'])
      .execute()

    await db.schema
      .createTable('aggregates')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('flags_key', 'text', (c) => c.notNull())
      .addColumn('exclusion_key', 'text', (c) => c.notNull())
      .addColumn('basis_key', 'text', (c) => c.notNull())
      .addColumn('review_key', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('aggregates_pk', [
        'campaign_id',
        'community_id',
        'channel',
        'flags_key',
        'exclusion_key',
        'basis_key',
        'review_key',
        'metric',
      ])
      .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
      .execute()

    await db.schema
      .createTable('evidence_log')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('response_id', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('evidence_log_pk', ['campaign_id', 'seq'])
      .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
      .execute()

    await db.schema
      .createTable('evidence_heads')
      .addColumn('campaign_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('rate_limits')
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('window_start', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_start'])
      .execute()
  },
}
