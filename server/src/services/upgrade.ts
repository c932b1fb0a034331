import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listUnsignedHeads, setHeadSignature } from '../db/queries/evidence.ts'
import type { Deps } from './deps.ts'
import { signHead } from './evidence.ts'
import { serverKeys } from './keys.ts'

/** Written in KEY_DIR once the steps below have run with its keys; outside the database, so the database cannot ask for them again. */
const MARKER = 'upgraded-with-keys'

/**
 * What the first start with a key directory does to data stored before the keys existed (issue 10),
 * once per key directory: the evidence chain heads stored unsigned are signed as they stand. Only then,
 * never again: a head stored unsigned later (an attacker's, with the signature cleared) stays
 * unsigned and fails verify. Several instances starting together may both run it; each step is
 * idempotent.
 */
export async function upgradeWithKeys(deps: Deps, log: (line: string) => void = () => {}): Promise<void> {
  const keys = serverKeys(deps.env)
  const marker = join(keys.dir, MARKER)
  if (existsSync(marker)) return
  const heads = await listUnsignedHeads(deps.db.db)
  for (const h of heads) {
    const seq = Number(h.seq)
    const { signature, key_id } = signHead(keys, h.campaign_id, seq, h.hash)
    await setHeadSignature(deps.db.db, h.campaign_id, seq, h.hash, signature, key_id)
  }
  if (heads.length > 0) log(`Signed ${heads.length} evidence chain head(s) stored before the signing key existed.`)
  writeFileSync(marker, `${deps.now().toISOString()}\n`, { mode: 0o600 })
}
