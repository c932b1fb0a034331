import type { Answers, ChainVerdict } from '@minyi/shared/schemas'
import { getCampaign } from '../db/queries/campaigns.ts'
import {
  appendEvidence,
  countEvidence,
  type EvidenceRow,
  type EvidenceWithResponse,
  getEvidenceHead,
  lockEvidenceHead,
  pageEvidence,
} from '../db/queries/evidence.ts'
import type { Q } from '../db/tx.ts'
import { ProblemError } from '../http/problem.ts'
import type { Deps } from './deps.ts'
import { canonicalJson, sha256Hex } from './hashing.ts'

/** The fields of a response that the content hash covers: what the device sent, normalised (UTC instants). */
export interface StoredContent {
  id: string
  campaignId: string
  questionnaireVersion: number
  communityId: string
  channel: string
  startedAt: string
  submittedAt: string
  answers: Answers
  householdKey: string | null
  symposiumId: string | null
  test: boolean
  evidence: unknown
}

/**
 * sha256 of the canonical stored content. Equal hashes mean a replay (`duplicate`); a different hash
 * under a known id is a `conflict`. The evidence chain records it, so any later edit of a stored
 * answer shows up in `verifyChain`. Server-side state (flags, review, receive time) is not covered:
 * it legitimately changes after receipt and is audited elsewhere.
 */
export function contentHash(c: StoredContent, answersJson?: string): string {
  return sha256Hex(canonicalContent(c, answersJson))
}

/**
 * `canonicalJson` of the content, written out with its keys already in order: the same text (a test
 * holds them equal), without sorting and re-serialising every field of every ingested response.
 * `answersJson` is the answers' canonical text when the caller has it already (it is also what is stored).
 */
export function canonicalContent(c: StoredContent, answersJson: string = canonicalJson(c.answers)): string {
  const s = JSON.stringify
  return (
    `{"answers":${answersJson},"campaignId":${s(c.campaignId)},"channel":${s(c.channel)},"communityId":${s(c.communityId)},` +
    `"evidence":${canonicalJson(c.evidence ?? null)},"householdKey":${s(c.householdKey)},"id":${s(c.id)},` +
    `"questionnaireVersion":${s(c.questionnaireVersion)},"startedAt":${s(c.startedAt)},"submittedAt":${s(c.submittedAt)},` +
    `"symposiumId":${s(c.symposiumId)},"test":${s(c.test)}}`
  )
}

export const GENESIS = '0'.repeat(64)

export function chainHash(prev: string, seq: number, responseId: string, contentHashHex: string): string {
  return sha256Hex(`${prev}|${seq}|${responseId}|${contentHashHex}`)
}

/** Appends the campaign's newly accepted responses, in order, after locking the chain head. */
export async function appendToChain(trx: Q, campaignId: string, entries: { id: string; hash: string }[], at: string): Promise<void> {
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
  await appendEvidence(trx, campaignId, rows)
}

/**
 * Walks the chain from the genesis: each entry must link to the previous hash, carry the right hash,
 * and its response must still hash to the recorded content hash (an edited answer, a deleted row or a
 * forged entry all break it). Pages through the log so memory stays flat for large campaigns.
 */
export async function verifyChain(deps: Deps, campaignId: string): Promise<ChainVerdict> {
  const db = deps.db.db
  if (!(await getCampaign(db, campaignId))) throw new ProblemError('not_found')
  // The reported length is the whole log's, also on a failure, so the reviewer sees how much follows.
  const length = await countEvidence(db, campaignId)
  let prev = GENESIS
  let expected = 1
  for (;;) {
    const page = await pageEvidence(db, campaignId, expected - 1, 2000)
    for (const e of page) {
      const seq = Number(e.seq)
      if (seq !== expected || e.prev_hash !== prev || chainHash(prev, seq, e.response_id, e.content_hash) !== e.hash || !contentMatches(e))
        return { ok: false, length, firstBadSeq: Math.min(seq, expected) }
      prev = e.hash
      expected++
    }
    if (page.length < 2000) break
  }
  // A log cut short at its end leaves the head pointing past it.
  const head = await getEvidenceHead(db, campaignId)
  if (head && (head.seq !== expected - 1 || head.hash !== prev)) return { ok: false, length, firstBadSeq: expected }
  return { ok: true, length, firstBadSeq: null }
}

function contentMatches(e: EvidenceWithResponse): boolean {
  if (e.r_id === null) return false
  try {
    return (
      contentHash({
        id: e.r_id,
        campaignId: e.campaign_id,
        questionnaireVersion: Number(e.r_questionnaire_version),
        communityId: e.r_community_id ?? '',
        channel: e.r_channel ?? '',
        startedAt: e.r_started_at ?? '',
        submittedAt: e.r_submitted_at ?? '',
        answers: JSON.parse(e.r_answers_json ?? '{}') as Answers,
        householdKey: e.r_household_key,
        symposiumId: e.r_symposium_id,
        test: Number(e.r_test) === 1,
        evidence: e.r_evidence_json === null ? null : JSON.parse(e.r_evidence_json),
      }) === e.content_hash
    )
  } catch {
    // A stored row that no longer parses was altered.
    return false
  }
}
