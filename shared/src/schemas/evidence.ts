import { Id } from './common.ts'
import { z } from './zod.ts'

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters')

/**
 * A campaign's evidence chain head as the server signed it (issue 10): the last entry's sequence
 * number and hash, and the server's Ed25519 signature of `evidenceHeadMessage` (base64) with the key
 * named by `keyId`, whose public key is `publicKey`. Printed in the console, the report paragraph and
 * the XLSX method sheet, so a report carries what the chain looked like when it was written.
 */
export const EvidenceHead = z.object({
  campaignId: Id,
  seq: z.number().int().min(0),
  hash: Hex64,
  /** Null for an empty chain (nothing to sign) or a head stored before signing and not yet signed. */
  signature: z.string().nullable(),
  keyId: z.string().nullable(),
  /** The server's current public key (SPKI PEM) and its id: what a signature is checked against. */
  publicKey: z.string(),
  publicKeyId: z.string(),
})
export type EvidenceHead = z.infer<typeof EvidenceHead>

/** The exact text the server signs for a head; anyone with the public key can check a printed head against it. */
export function evidenceHeadMessage(campaignId: string, seq: number, hash: string): string {
  return `minyi-evidence-head/v1\n${campaignId}\n${seq}\n${hash}`
}

/** `GET …/log/verify?seq=&hash=`: also check that the chain still has this (published) head at that position. */
export const VerifyQuery = z
  .object({
    seq: z
      .string()
      .regex(/^\d{1,10}$/, 'expected a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1))
      .optional(),
    hash: Hex64.optional(),
  })
  .refine((q) => (q.seq === undefined) === (q.hash === undefined), 'give both seq and hash, or neither')

/**
 * `GET …/log/verify`: the walk of the hash-chained evidence log, and its head's signature.
 * `ok` only when every link, hash and stored content matches, the head is the end of the log, its
 * signature is valid (or the chain is empty), and a published head, when given, is still in it.
 */
export const ChainVerdict = z.object({
  ok: z.boolean(),
  length: z.number().int().min(0),
  /** The first entry whose link, hash or response content does not match; null when the entries are sound. */
  firstBadSeq: z.number().int().nullable(),
  /**
   * The head's signature: `valid`; `invalid` (the head was changed without the key: a rewritten
   * chain); `missing` (stored unsigned); `none` (empty chain).
   */
  signature: z.enum(['valid', 'invalid', 'missing', 'none']),
  head: EvidenceHead.nullable(),
  /** The published head given in the query, and whether the chain still has it. */
  published: z.object({ seq: z.number().int(), hash: Hex64, matches: z.boolean() }).nullable(),
  /**
   * Issue 15: ranges whose responses were deleted when the campaign's retention ended. Their links are
   * still checked (each hash from the previous one, up to the signed head); only the deleted contents
   * can no longer be, and they must really be gone.
   */
  retentionDeleted: z.array(z.object({ fromSeq: z.number().int(), toSeq: z.number().int(), deletedAt: z.string() })).optional(),
})
export type ChainVerdict = z.infer<typeof ChainVerdict>
