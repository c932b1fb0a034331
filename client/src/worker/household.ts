/**
 * The household key (PRODUCT.md C3): HMAC-SHA-256 of the normalised door number with the campaign's
 * salt, made on the phone with WebCrypto, as 64 hex digits. The raw door number never leaves the phone;
 * the server sees only this key (the shared VisitItem refuses anything else), and without the salt it
 * cannot be turned back into a door number by trying the few thousand door numbers of a community.
 */

const DASHES = /[‐‑‒–—―−－﹣]/g
const SPACES = /\s+/g

/**
 * One spelling per door, so that a revisit typed differently still finds the same household:
 * full-width digits and letters become ASCII (NFKC), case and spaces go, every dash is `-`, and the
 * trailing 室 / 号 that some write after the flat number is dropped ("3号楼2单元501室" = "3号楼 2单元 501").
 * Nothing else is guessed: "3-2-501" and "3号楼2单元501" stay different (the worker's app shows the list
 * of doors already visited, so one spelling tends to stick).
 */
export function normaliseDoor(door: string): string {
  return door
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPACES, '')
    .replace(DASHES, '-')
    .replace(/[室号]$/u, '')
}

const encoder = new TextEncoder()

export async function householdKey(salt: string, door: string, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> {
  const normalised = normaliseDoor(door)
  if (!normalised) throw new Error('empty door number')
  const key = await subtle.importKey('raw', encoder.encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(normalised)))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}
