import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../tables.ts'
import type { EvidenceLogTable } from '../tables-core.ts'
import { bulkInsert } from './bulk.ts'

export type EvidenceRow = Selectable<EvidenceLogTable>

/**
 * Locks the campaign's chain head for this transaction and returns it. An UPDATE (a no-op one) takes
 * the row lock on PostgreSQL — portable where `SELECT … FOR UPDATE` is not (SQLite locks the whole
 * database for a writing transaction anyway).
 */
export async function lockEvidenceHead(db: Kysely<Database>, campaignId: string, genesis: string): Promise<{ seq: number; hash: string }> {
  await db
    .insertInto('evidence_heads')
    .values({ campaign_id: campaignId, seq: 0, hash: genesis })
    .onConflict((oc) => oc.column('campaign_id').doNothing())
    .execute()
  const head = await db
    .updateTable('evidence_heads')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('campaign_id', '=', campaignId)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow()
  return { seq: Number(head.seq), hash: head.hash }
}

const EVIDENCE_COLUMNS = [
  'campaign_id',
  'seq',
  'response_id',
  'content_hash',
  'prev_hash',
  'hash',
  'at',
] as const satisfies readonly (keyof EvidenceRow)[]

export async function appendEvidence(
  db: Kysely<Database>,
  campaignId: string,
  rows: EvidenceRow[],
  sign: (seq: number, hash: string) => { signature: string; key_id: string },
): Promise<void> {
  const last = rows.at(-1)
  if (!last) return
  await bulkInsert(
    db,
    { name: 'evidence', table: 'evidence_log', columns: EVIDENCE_COLUMNS },
    rows.map((r) => EVIDENCE_COLUMNS.map((c) => r[c])),
  )
  await db
    .updateTable('evidence_heads')
    .set({ seq: last.seq, hash: last.hash, ...sign(last.seq, last.hash) })
    .where('campaign_id', '=', campaignId)
    .execute()
}

export interface StoredHead {
  seq: number
  hash: string
  signature: string | null
  key_id: string | null
}

export interface EvidenceWithResponse extends EvidenceRow {
  /** The stored response's columns, to recompute its content hash (null when the row is gone). */
  r_id: string | null
  r_questionnaire_version: number | null
  r_community_id: string | null
  r_channel: string | null
  r_started_at: string | null
  r_submitted_at: string | null
  r_answers_json: string | null
  r_household_key: string | null
  r_symposium_id: string | null
  r_test: number | null
  r_evidence_json: string | null
  r_serial: string | null
}

export function pageEvidence(db: Kysely<Database>, campaignId: string, afterSeq: number, limit: number): Promise<EvidenceWithResponse[]> {
  return db
    .selectFrom('evidence_log as e')
    .leftJoin('responses as r', 'r.id', 'e.response_id')
    .select([
      'e.campaign_id',
      'e.seq',
      'e.response_id',
      'e.content_hash',
      'e.prev_hash',
      'e.hash',
      'e.at',
      'r.id as r_id',
      'r.questionnaire_version as r_questionnaire_version',
      'r.community_id as r_community_id',
      'r.channel as r_channel',
      'r.started_at as r_started_at',
      'r.submitted_at as r_submitted_at',
      'r.answers_json as r_answers_json',
      'r.household_key as r_household_key',
      'r.symposium_id as r_symposium_id',
      'r.test as r_test',
      'r.evidence_json as r_evidence_json',
      'r.serial as r_serial',
    ])
    .where('e.campaign_id', '=', campaignId)
    .where('e.seq', '>', afterSeq)
    .orderBy('e.seq')
    .limit(limit)
    .execute()
}

export async function getEvidenceHead(db: Kysely<Database>, campaignId: string): Promise<StoredHead | undefined> {
  const r = await db
    .selectFrom('evidence_heads')
    .select(['seq', 'hash', 'signature', 'key_id'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return r ? { seq: Number(r.seq), hash: r.hash, signature: r.signature, key_id: r.key_id } : undefined
}

/** The heads stored without a signature (before migration 0012), for the one-time signing at the first start with a key. */
export function listUnsignedHeads(db: Kysely<Database>): Promise<{ campaign_id: string; seq: number; hash: string }[]> {
  return db
    .selectFrom('evidence_heads')
    .select(['campaign_id', 'seq', 'hash'])
    .where('signature', 'is', null)
    .where('seq', '>', 0)
    .execute()
}

export async function setHeadSignature(
  db: Kysely<Database>,
  campaignId: string,
  seq: number,
  hash: string,
  signature: string,
  keyId: string,
) {
  await db
    .updateTable('evidence_heads')
    .set({ signature, key_id: keyId })
    .where('campaign_id', '=', campaignId)
    .where('seq', '=', seq)
    .where('hash', '=', hash)
    .execute()
}

/** The hash of one entry, for checking a published head. */
export async function entryHash(db: Kysely<Database>, campaignId: string, seq: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('evidence_log')
    .select('hash')
    .where('campaign_id', '=', campaignId)
    .where('seq', '=', seq)
    .executeTakeFirst()
  return r?.hash
}

export async function countEvidence(db: Kysely<Database>, campaignId: string): Promise<number> {
  const r = await db
    .selectFrom('evidence_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
