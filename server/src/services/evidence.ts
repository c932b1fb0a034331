import { type ChainVerdict, type EvidenceHead, evidenceHeadMessage } from '@minyi/shared/schemas'
import { getCampaign } from '../db/queries/campaigns.ts'
import {
  appendEvidence,
  countEvidence,
  type EvidenceRow,
  type EvidenceWithResponse,
  entryHash,
  getEvidenceHead,
  lockEvidenceHead,
  pageEvidence,
  type StoredHead,
} from '../db/queries/evidence.ts'
import type { Q } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'
import { canonicalJson, sha256Hex } from './hashing.ts'
import { type ServerKeys, serverKeys, signText, verifyText } from './keys.ts'
import { deletedRanges } from './retention/index.ts'

/**
 * The columns of a `responses` row that the content hash covers: what the device sent, normalised
 * (UTC instants, canonical answers). Ingest builds them once, stores them and hashes them; the
 * chain check reads them back and hashes them the same way (`contentHash`).
 */
export interface ContentColumns {
  id: string
  campaign_id: string
  questionnaire_version: number
  community_id: string
  channel: string
  started_at: string
  submitted_at: string
  /** Canonical (sorted keys) as ingest stores it; `canonicalContent` re-derives it when read back. */
  answers_json: string
  household_key: string | null
  symposium_id: string | null
  /** 1 for a test response, else 0. */
  test: number
  evidence_json: string | null
  /** A paper form's serial number (migration 0009); covered only when present, so older hashes stand. */
  serial?: string | null
}

/**
 * sha256 of the canonical content. Equal hashes mean a replay (`duplicate`); a different hash
 * under a known id is a `conflict`. The evidence chain records it, so any later edit of a stored
 * answer shows up in `verifyChain`. Server-side state (flags, review, receive time) is not covered:
 * it legitimately changes after receipt and is audited elsewhere.
 */
export function contentHash(c: ContentColumns, answersCanonical = false): string {
  return sha256Hex(canonicalContent(c, answersCanonical))
}

/**
 * `canonicalJson` of the content (the item's field names, sorted), written out with its keys already
 * in order: the same text (a test holds them equal), without sorting and re-serialising every field
 * of every ingested response. `answersCanonical`: `answers_json` is already canonical (at ingest, which
 * just wrote it so); otherwise it is parsed and written canonically again.
 */
export function canonicalContent(c: ContentColumns, answersCanonical = false): string {
  const s = JSON.stringify
  const answers = answersCanonical ? c.answers_json : canonicalJson(JSON.parse(c.answers_json))
  const evidence = canonicalJson(c.evidence_json === null ? null : JSON.parse(c.evidence_json))
  return (
    `{"answers":${answers},"campaignId":${s(c.campaign_id)},"channel":${s(c.channel)},"communityId":${s(c.community_id)},` +
    `"evidence":${evidence},"householdKey":${s(c.household_key)},"id":${s(c.id)},` +
    `"questionnaireVersion":${s(Number(c.questionnaire_version))},${c.serial ? `"serial":${s(c.serial)},` : ''}` +
    `"startedAt":${s(c.started_at)},"submittedAt":${s(c.submitted_at)},` +
    `"symposiumId":${s(c.symposium_id)},"test":${s(Number(c.test) === 1)}}`
  )
}

export const GENESIS = '0'.repeat(64)

export function chainHash(prev: string, seq: number, responseId: string, contentHashHex: string): string {
  return sha256Hex(`${prev}|${seq}|${responseId}|${contentHashHex}`)
}

/** The head's signature by this server's key (one Ed25519 signature per campaign per transaction, about 50 µs). */
export function signHead(keys: ServerKeys, campaignId: string, seq: number, hash: string): { signature: string; key_id: string } {
  return { signature: signText(keys, evidenceHeadMessage(campaignId, seq, hash)), key_id: keys.keyId }
}

/** Appends the campaign's newly accepted responses, in order, after locking the chain head; the new head is signed. */
export async function appendToChain(
  trx: Q,
  keys: ServerKeys,
  campaignId: string,
  entries: { id: string; hash: string }[],
  at: string,
): Promise<void> {
  if (entries.length === 0) return
  const head = await lockEvidenceHead(trx, campaignId, GENESIS)
  let prev = head.hash
  let seq = head.seq
  const rows: EvidenceRow[] = entries.map((e) => {
    seq += 1
    const hash = chainHash(prev, seq, e.id, e.hash)
    const row = { campaign_id: campaignId, seq, response_id: e.id, content_hash: e.hash, prev_hash: prev, hash, at }
    prev = hash
    return row
  })
  await appendEvidence(trx, campaignId, rows, (seq, hash) => signHead(keys, campaignId, seq, hash))
}

/** The campaign's head as published (console, report paragraph, XLSX): seq 0 and the genesis hash for an empty chain. */
export function headOf(keys: ServerKeys, campaignId: string, stored: StoredHead | undefined): EvidenceHead {
  return {
    campaignId,
    seq: stored?.seq ?? 0,
    hash: stored?.hash ?? GENESIS,
    signature: stored?.signature ?? null,
    keyId: stored?.key_id ?? null,
    publicKey: keys.publicKeyPem,
    publicKeyId: keys.keyId,
  }
}

export async function evidenceHead(deps: Deps, campaignId: string): Promise<EvidenceHead> {
  return headOf(serverKeys(deps.env), campaignId, await getEvidenceHead(deps.db.db, campaignId))
}

function signatureState(keys: ServerKeys, head: EvidenceHead): ChainVerdict['signature'] {
  if (head.seq === 0) return 'none'
  if (head.signature === null) return 'missing'
  return verifyText(keys, evidenceHeadMessage(head.campaignId, head.seq, head.hash), head.signature) ? 'valid' : 'invalid'
}

/**
 * Walks the chain from the genesis: each entry must link to the previous hash, carry the right hash,
 * and its response must still hash to the recorded content hash (an edited answer, a deleted row or a
 * forged entry all break it). Pages through the log so memory stays flat for large campaigns. Then
 * the head: it must be the end of the log and carry this server's signature, which no one without
 * the key file can make — so a chain rewritten in the database (answers changed, every later hash and
 * the head recomputed) fails here. `published`: a head printed earlier (a report's seq and hash),
 * which the chain must still contain.
 */
export async function verifyChain(
  deps: Deps,
  campaignId: string,
  published: { seq: number; hash: string } | null = null,
): Promise<ChainVerdict> {
  const db = deps.db.db
  if (!(await getCampaign(db, campaignId))) throw new ProblemError('not_found')
  const keys = serverKeys(deps.env)
  // The reported length is the whole log's, also on a failure, so the reviewer sees how much follows.
  const length = await countEvidence(db, campaignId)
  // Issue 15: responses of these ranges were deleted when retention ended; their links are still checked.
  const retentionDeleted = await deletedRanges(db, campaignId)
  const deleted = (seq: number) => retentionDeleted.some((r) => seq >= r.fromSeq && seq <= r.toSeq)
  const head = headOf(keys, campaignId, await getEvidenceHead(db, campaignId))
  const signature = signatureState(keys, head)
  const publishedCheck = published ? { ...published, matches: (await entryHash(db, campaignId, published.seq)) === published.hash } : null
  const verdict = (firstBadSeq: number | null): ChainVerdict => ({
    ok: firstBadSeq === null && (signature === 'valid' || signature === 'none') && (publishedCheck?.matches ?? true),
    length,
    firstBadSeq,
    signature,
    head,
    published: publishedCheck,
    ...(retentionDeleted.length > 0 ? { retentionDeleted } : {}),
  })
  let prev = GENESIS
  let expected = 1
  for (;;) {
    const page = await pageEvidence(db, campaignId, expected - 1, 2000)
    for (const e of page) {
      const seq = Number(e.seq)
      if (
        seq !== expected ||
        e.prev_hash !== prev ||
        chainHash(prev, seq, e.response_id, e.content_hash) !== e.hash ||
        (deleted(seq) ? e.r_id !== null : !contentMatches(e))
      )
        return verdict(Math.min(seq, expected))
      prev = e.hash
      expected++
    }
    if (page.length < 2000) break
  }
  // A log cut short at its end leaves the head pointing past it.
  if (head.seq !== expected - 1 || head.hash !== prev) return verdict(expected)
  return verdict(null)
}

function contentMatches(e: EvidenceWithResponse): boolean {
  if (e.r_id === null || e.r_answers_json === null) return false
  try {
    return (
      contentHash({
        id: e.r_id,
        campaign_id: e.campaign_id,
        questionnaire_version: Number(e.r_questionnaire_version),
        community_id: e.r_community_id ?? '',
        channel: e.r_channel ?? '',
        started_at: e.r_started_at ?? '',
        submitted_at: e.r_submitted_at ?? '',
        answers_json: e.r_answers_json,
        household_key: e.r_household_key,
        symposium_id: e.r_symposium_id,
        test: Number(e.r_test),
        evidence_json: e.r_evidence_json,
        serial: e.r_serial,
      }) === e.content_hash
    )
  } catch {
    // A stored row that no longer parses was altered.
    return false
  }
}
