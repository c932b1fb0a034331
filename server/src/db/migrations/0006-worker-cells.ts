import { addResponseInto, durationSeconds, emptyTally, flagsOfKey, type TallyResponseInput } from '@minyi/shared/method'
import type { Answers, Question } from '@minyi/shared/schemas'
import { type Kysely, type Migration, sql } from 'kysely'

const KEY = ['campaign_id', 'community_id', 'channel', 'worker_id', 'flags_key', 'exclusion_key', 'basis_key', 'review_key'] as const
const PAGE = 5000

/**
 * The interviewer check (METHOD.md §10) compares workers' door questionnaires, so the kept aggregate
 * cells gain `worker_id` as a coordinate ('' on every channel but `door`), and door cells gain the
 * uniformity and duration counts (`sd:n`, `sd:micro`, `dur:<s>`; shared/src/method/tally.ts).
 * The table is rebuilt with the wider key (a primary key cannot be altered in SQLite): cells of the
 * other channels move over as they are, and the door cells are counted again from the stored door
 * questionnaires with the shared method — the same count ingest makes, so the indicator from the
 * aggregates stays identical to a full recomputation. (This migration runs the method as it is when
 * it runs; a later change of the tally's metrics brings its own recount.)
 */
export const workerCellsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving table types
  async up(db: Kysely<any>) {
    const sqlite = !sql`select ${1}`.compile(db).sql.includes('$1')
    await db.schema
      .createTable('aggregate_cells_next')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text', (c) => c.notNull())
      .addColumn('flags_key', 'text', (c) => c.notNull())
      .addColumn('exclusion_key', 'text', (c) => c.notNull())
      .addColumn('basis_key', 'text', (c) => c.notNull())
      .addColumn('review_key', 'text', (c) => c.notNull())
      .addColumn('counts_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('aggregate_cells_key', [...KEY])
      .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
      .execute()
    await sql`
      insert into aggregate_cells_next
        (campaign_id, community_id, channel, worker_id, flags_key, exclusion_key, basis_key, review_key, counts_json)
      select campaign_id, community_id, channel, '', flags_key, exclusion_key, basis_key, review_key, counts_json
      from aggregate_cells where channel <> 'door'`.execute(db)
    await db.schema.dropTable('aggregate_cells').execute()
    await db.schema.alterTable('aggregate_cells_next').renameTo('aggregate_cells').execute()
    await recountDoor(db)
  },
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function recountDoor(db: Kysely<any>): Promise<void> {
  const versions = new Map<string, readonly Question[]>()
  const versionRows = await db
    .selectFrom('campaigns')
    .innerJoin('questionnaire_versions', 'questionnaire_versions.questionnaire_id', 'campaigns.questionnaire_id')
    .select(['campaigns.id as campaign_id', 'questionnaire_versions.version', 'questionnaire_versions.content_json'])
    .execute()
  for (const v of versionRows)
    versions.set(`${v.campaign_id}|${Number(v.version)}`, (JSON.parse(v.content_json) as { questions: Question[] }).questions)

  const tallies = new Map<string, ReturnType<typeof emptyTally>>()
  let after = ''
  for (;;) {
    const page = await db
      .selectFrom('responses')
      .select([
        'id',
        'campaign_id',
        'questionnaire_version',
        'community_id',
        'worker_id',
        'started_at',
        'submitted_at',
        'answers_json',
        'flags',
        'exclusion',
        'review',
      ])
      .where('channel', '=', 'door')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute()
    for (const r of page) {
      const questions = versions.get(`${r.campaign_id}|${Number(r.questionnaire_version)}`)
      if (!questions) throw new Error(`response ${r.id}: no questionnaire version ${r.questionnaire_version}`)
      const tally = tallies.get(r.campaign_id) ?? emptyTally()
      tallies.set(r.campaign_id, tally)
      const input: TallyResponseInput = {
        communityId: r.community_id,
        channel: 'door',
        answers: JSON.parse(r.answers_json) as Answers,
        flags: flagsOfKey(r.flags),
        exclusion: r.exclusion === 'test' || r.exclusion === 'evaluator_excluded' ? r.exclusion : null,
        review: r.review === 'include' ? 'include' : null,
        workerId: r.worker_id,
        durationSeconds: durationSeconds(r.started_at, r.submitted_at),
      }
      addResponseInto(tally, questions, input)
    }
    if (page.length < PAGE) break
    after = page[page.length - 1]?.id ?? after
  }
  for (const [campaignId, tally] of tallies)
    for (const cell of Object.values(tally.cells))
      await db
        .insertInto('aggregate_cells')
        .values({
          campaign_id: campaignId,
          community_id: cell.communityId,
          channel: cell.channel,
          worker_id: cell.workerId,
          flags_key: cell.flagsKey,
          exclusion_key: cell.exclusionKey,
          basis_key: cell.basisKey,
          review_key: cell.reviewKey,
          counts_json: JSON.stringify(cell.counts),
        })
        .execute()
}
