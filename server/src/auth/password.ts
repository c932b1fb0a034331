import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Password hashes with Node's own scrypt (no native dependency to build on the server).
 * Format: `scrypt$ln=15,r=8,p=1$<salt base64url>$<key base64url>` — the cost parameters travel with
 * each hash, so they can be raised later and old hashes still verify.
 */
const LOG_N = 15
const R = 8
const P = 1
const KEY_LENGTH = 32
const SALT_BYTES = 16
// scrypt needs 128·N·r bytes (32 MiB at ln=15), which is exactly Node's default cap; leave headroom.
const MAX_MEM = 96 * 1024 * 1024

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: MAX_MEM }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, LOG_N, R, P)
  return `scrypt$ln=${LOG_N},r=${R},p=${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const FORMAT = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/

/** Constant-time comparison; a malformed or absurdly expensive stored hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored)
  if (!m) return false
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (logN < 10 || logN > 20 || r < 1 || r > 16 || p < 1 || p > 4) return false
  const expected = Buffer.from(m[5]!, 'base64url')
  if (expected.length !== KEY_LENGTH) return false
  const actual = await derive(password, Buffer.from(m[4]!, 'base64url'), logN, r, p)
  return timingSafeEqual(actual, expected)
}

let dummy: Promise<string> | undefined
/**
 * A real hash to verify against when the login does not exist, so that an unknown login costs the same
 * scrypt time as a wrong password and the answer time does not reveal which logins exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'))
  return dummy
}
