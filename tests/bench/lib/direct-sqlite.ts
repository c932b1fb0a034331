import { createRequire } from 'node:module'
import type { FieldworkTally, Tally } from '@minyi/shared/method'

// The benchmarks' "straight into SQLite" writer: the same tables and the same aggregate writes as the
// server, through better-sqlite3 prepared statements with no HTTP, validation or query builder.

/** What the benchmarks use of better-sqlite3 (a dependency of the server package, not of tests/). */
type Statement = { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown }
export interface RawSqlite {
  pragma(s: string): unknown
  prepare(sql: string): Statement
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void
  close(): void
}
type SqliteConstructor = new (path: string) => RawSqlite

/** Opens a file the server's migrations already made (WAL; `synchronous` as the caller measures). */
export function openRawSqlite(path: string, synchronous: 'NORMAL' | 'OFF'): RawSqlite {
  const Database = createRequire(new URL('../../../server/package.json', import.meta.url))('better-sqlite3') as SqliteConstructor
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  return db
}

export interface DirectResponse {
  id: string
  campaignId: string
  version: number
  communityId: string
  channel: string
  deviceId: string
  /** The worker who sent a door or paper questionnaire; absent for the anonymous channels. */
  workerId?: string | null
  startedAt: string
  submittedAt: string
  receivedAt: string
  answersJson: string
  flagsKey: string
  exclusion: 'test' | null
  contentHash: string
}

export interface DirectVisit {
  id: string
  campaignId: string
  communityId: string
  householdKey: string
  outcome: 'completed' | 'not_home' | 'refused' | 'revisit'
  visitedAt: string
  responseId: string | null
  workerId: string
  deviceId: string
  receivedAt: string
  contentHash: string
}

export function directWriter(db: RawSqlite) {
  const insertResponse = db.prepare(
    `insert into responses (id, campaign_id, questionnaire_version, community_id, channel, device_id, worker_id, household_key, symposium_id,
      started_at, submitted_at, received_at, answers_json, flags, exclusion, review, content_hash, test, evidence_json)
     values (?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?, ?, null, ?, ?, null)`,
  )
  // The kept aggregates as the server keeps them: one row per cell, its counts as JSON; each touched
  // cell is read, added to and written back once per transaction.
  const readCell = db.prepare(
    `select counts_json from aggregate_cells
     where campaign_id = ? and community_id = ? and channel = ? and worker_id = ? and flags_key = ? and exclusion_key = ? and basis_key = ? and review_key = ?`,
  )
  const writeCell = db.prepare(
    `insert into aggregate_cells (campaign_id, community_id, channel, worker_id, flags_key, exclusion_key, basis_key, review_key, counts_json)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (campaign_id, community_id, channel, worker_id, flags_key, exclusion_key, basis_key, review_key)
     do update set counts_json = excluded.counts_json`,
  )
  const insertVisit = db.prepare(
    `insert into visits (id, campaign_id, community_id, household_key, outcome, visited_at, response_id, worker_id, device_id,
      received_at, content_hash, evidence_json)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)`,
  )
  const insertHousehold = db.prepare(
    'insert into households (campaign_id, household_key, community_id, outcome, visited_at, visit_id) values (?, ?, ?, ?, ?, ?)',
  )
  const addFieldwork = db.prepare(
    `insert into fieldwork_cells (campaign_id, community_id, outcome, count) values (?, ?, ?, ?)
     on conflict (campaign_id, community_id, outcome) do update set count = fieldwork_cells.count + excluded.count`,
  )
  const touchActivity = db.prepare(
    `insert into community_activity (campaign_id, community_id, last_received_at) values (?, ?, ?)
     on conflict (campaign_id, community_id) do update set last_received_at = max(community_activity.last_received_at, excluded.last_received_at)`,
  )
  const insertEvidence = db.prepare(
    'insert into evidence_log (campaign_id, seq, response_id, content_hash, prev_hash, hash, at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  return {
    response(r: DirectResponse): void {
      insertResponse.run(
        r.id,
        r.campaignId,
        r.version,
        r.communityId,
        r.channel,
        r.deviceId,
        r.workerId ?? null,
        r.startedAt,
        r.submittedAt,
        r.receivedAt,
        r.answersJson,
        r.flagsKey,
        r.exclusion,
        r.contentHash,
        r.exclusion === 'test' ? 1 : 0,
      )
    },
    /** One door-to-door visit's row. */
    visit(v: DirectVisit): void {
      insertVisit.run(
        v.id,
        v.campaignId,
        v.communityId,
        v.householdKey,
        v.outcome,
        v.visitedAt,
        v.responseId,
        v.workerId,
        v.deviceId,
        v.receivedAt,
        v.contentHash,
      )
    },
    /** A household's final visit (the server keeps it moving forward at ingest; here written once). */
    household(campaignId: string, v: DirectVisit): void {
      insertHousehold.run(campaignId, v.householdKey, v.communityId, v.outcome, v.visitedAt, v.id)
    },
    /** Households by final outcome per community, added to the kept counts. */
    fieldwork(campaignId: string, tally: FieldworkTally): void {
      for (const communityId of Object.keys(tally).sort())
        for (const [outcome, count] of Object.entries(tally[communityId] ?? {}))
          if (count !== 0) addFieldwork.run(campaignId, communityId, outcome, count)
    },
    /** The community's last activity, once per transaction and community (as the server does). */
    activity(campaignId: string, communityId: string, at: string): void {
      touchActivity.run(campaignId, communityId, at)
    },
    evidence(campaignId: string, seq: number, responseId: string, contentHash: string, prev: string, hash: string, at: string): void {
      insertEvidence.run(campaignId, seq, responseId, contentHash, prev, hash, at)
    },
    /** Adds a transaction's summed deltas to the stored cells, in key order as the server does. */
    tally(campaignId: string, tally: Tally): void {
      for (const key of Object.keys(tally.cells).sort()) {
        const cell = tally.cells[key]
        if (!cell) continue
        const coordinates = [
          campaignId,
          cell.communityId,
          cell.channel,
          cell.workerId,
          cell.flagsKey,
          cell.exclusionKey,
          cell.basisKey,
          cell.reviewKey,
        ]
        const stored = readCell.get(...coordinates) as { counts_json: string } | undefined
        const counts: Record<string, number> = stored ? JSON.parse(stored.counts_json) : {}
        for (const metric in cell.counts) counts[metric] = (counts[metric] ?? 0) + (cell.counts[metric] ?? 0)
        writeCell.run(...coordinates, JSON.stringify(counts))
      }
    },
  }
}
