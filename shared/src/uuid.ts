/**
 * Ids made on devices and in tests (RFC 9562). Fifteen lines of our own instead of a dependency:
 * they only need `crypto.getRandomValues` (present in every browser we target, in service workers
 * and in Node), whereas `crypto.randomUUID` gives v4 only and is missing on plain-HTTP pages.
 */

// shared/ compiles without DOM or Node types; both runtimes have Web Crypto on globalThis.
const { crypto } = globalThis as unknown as { crypto: { getRandomValues<T extends Uint8Array>(array: T): T } }

function format(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * UUIDv7 (§5.7): the 48-bit Unix time in ms, then random bits. Responses and items carry these, so
 * the server's indexes stay append-mostly.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  let ms = Math.max(0, Math.floor(now))
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70 // version 7
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80 // variant 10
  return format(b)
}

/** A random UUIDv4 (§5.4), e.g. a device id: carries nothing about the device or the install time. */
export function uuidv4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  return format(b)
}

/** The milliseconds a UUIDv7 was made at (its first 48 bits). */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)
}
