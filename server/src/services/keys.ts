import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Env } from '../env.ts'

/**
 * The server's two secrets, kept in files in `KEY_DIR` (outside the database, so that whoever can
 * write the database, or holds a dump of it, still has neither):
 *  - `evidence-ed25519.pem`: the Ed25519 private key that signs every evidence chain head
 *    (`services/evidence.ts`); its public key is shown in the console's evidence panel and printed in
 *    the report, so a head can be checked by anyone holding the report;
 *  - `hash-secret`: 32 random bytes, the HMAC key of every keyed hash the server stores about a
 *    resident (household codes in responses, network addresses for rate limits and `network_burst`).
 * Both are created on first start (mode 0600) and never change; losing them breaks the signatures
 * already given and the link between stored keyed hashes and new ones (back them up apart from the
 * database: docs/DEPLOY.md). Instances sharing one database must share the same files.
 */
export interface ServerKeys {
  /** Where the files are. */
  dir: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** The public key as SPKI PEM, to publish. */
  publicKeyPem: string
  /** First 16 hex of sha256 over the raw 32-byte public key: names the key beside each signature. */
  keyId: string
  hmacSecret: Buffer
  /** True when this process created the files (first start of this version on this key directory). */
  created: boolean
}

const SIGNING_FILE = 'evidence-ed25519.pem'
const SECRET_FILE = 'hash-secret'

const loaded = new Map<string, ServerKeys>()

/** The keys of `env.KEY_DIR`, read once per process (created when absent). */
export function serverKeys(env: Pick<Env, 'KEY_DIR'>): ServerKeys {
  const dir = resolve(env.KEY_DIR)
  const known = loaded.get(dir)
  if (known) return known
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const signingPath = join(dir, SIGNING_FILE)
  const secretPath = join(dir, SECRET_FILE)
  const newPem = existsSync(signingPath)
    ? null
    : generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const createdSigning = newPem !== null && createExclusive(signingPath, newPem)
  const createdSecret = !existsSync(secretPath) && createExclusive(secretPath, `${randomBytes(32).toString('hex')}\n`)
  const privateKey = createPrivateKey(readFileSync(signingPath, 'utf8'))
  const publicKey = createPublicKey(privateKey)
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32)
  const hmacSecret = Buffer.from(readFileSync(secretPath, 'utf8').trim(), 'hex')
  if (hmacSecret.length < 32) throw new Error(`${secretPath}: expected 32 bytes of hex`)
  const keys: ServerKeys = {
    dir,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    hmacSecret,
    created: createdSigning || createdSecret,
  }
  loaded.set(dir, keys)
  return keys
}

/**
 * Writes `content` to `path` only if no file is there yet, atomically: a temporary file is linked to
 * the name, which fails when another instance starting at the same moment got there first (then its
 * file is the one everybody reads). False when the file already existed.
 */
function createExclusive(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, content, { mode: 0o600 })
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    unlinkSync(tmp)
  }
}

/**
 * HMAC-SHA256 of `value` under the server secret, for one `purpose` (so the same value hashes apart in
 * different uses), hex. Without the key file the stored hash cannot be tested against guesses.
 */
export function keyedHash(keys: ServerKeys, purpose: string, value: string): string {
  return createHmac('sha256', keys.hmacSecret).update(`${purpose}\u0000${value}`).digest('hex')
}

/**
 * What is kept of a client's network address, for the rate limits and `network_burst`: its keyed hash
 * (128 bits). Unlike the plain sha256 used before, it cannot be reversed by hashing the 2³² IPv4
 * addresses without the key file.
 */
export function addressKey(env: Pick<Env, 'KEY_DIR'>, ip: string): string {
  return keyedHash(serverKeys(env), 'network-address', ip).slice(0, 32)
}

/** Ed25519 signature (base64) of `message`. */
export function signText(keys: ServerKeys, message: string): string {
  return sign(null, Buffer.from(message), keys.privateKey).toString('base64')
}

/** Whether `signature` (base64) is this server's Ed25519 signature of `message`. */
export function verifyText(keys: ServerKeys, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message), keys.publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}
