import { hash, randomBytes } from 'node:crypto'

/** sha256 of the UTF-8 text, hex. The one-shot `hash` (Node ≥ 20.12): ingest hashes twice per response, and a Hash object each time was ~3 % of its CPU. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex')
}

/**
 * JSON with object keys sorted at every level: the same content always gives the same text, whatever
 * order a client serialised it in — the basis of content hashes (replay vs conflict, evidence chain).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * An unguessable token of `length` base62 characters from the CSPRNG (rejection sampling keeps every
 * character uniform). 16 characters carry about 95 bits.
 */
export function randomToken(length = 16): string {
  let out = ''
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes above it would make the first characters more likely.
      if (b < 248) out += BASE62[b % 62]
      if (out.length === length) break
    }
  }
  return out
}
