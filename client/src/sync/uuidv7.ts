/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix ms timestamp, then random bits. Time-ordered ids keep the
 * server's indexes append-mostly. Fifteen lines of our own instead of a dependency: it only needs
 * `crypto.getRandomValues` (present in every browser we target, in service workers and in Node),
 * whereas `crypto.randomUUID` gives v4 and is missing on plain-HTTP pages.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  let ms = Math.max(0, Math.floor(now))
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  b[6] = (b[6]! & 0x0f) | 0x70 // version 7
  b[8] = (b[8]! & 0x3f) | 0x80 // variant 10
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A random UUIDv4 for the device (one per install): carries nothing about the device or the install time. */
export function randomUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
