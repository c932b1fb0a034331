import type { AuditAction, AuditEntry, AuditPage, AuditQuery, AuditVerdict } from '@minyi/shared/schemas'
import type { Principal } from '../auth/principal.ts'
import type { AuditFilter, AuditRow } from '../db/queries/audit.ts'
import { appendAudit, findAudit, getAuditHead, lockAuditHead, pageAudit } from '../db/queries/audit.ts'
import { findStaffUser } from '../db/queries/auth.ts'
import { inTransaction, type Q } from '../db/tx.ts'
import type { Deps } from './deps.ts'
import { type ExportFile, fileName, streamed } from './exports/file.ts'
import { csvField } from './exports/index.ts'
import { canonicalJson, sha256Hex } from './hashing.ts'

// The audit log of staff actions (issue 12 point 6). One call records one action:
//
//     await audit(deps, currentStaff(c), 'campaign.update', { type: 'campaign', id, campaignId: id }, before, after)
//
// after the write succeeded (a refused write records nothing). Entries are hash-chained over the whole
// log (`audit_head` is locked while one is appended, so instances append in turn), and the table refuses
// UPDATE and DELETE (migration 0011). Secrets never enter it: keys named in SECRET_KEYS are dropped from
// before / after at any depth, and of two objects only the keys that changed are kept.

/** Who acted: a staff principal (or any `{ userId, role }`), or one of the server's own jobs. */
export type AuditActor = { userId: string; role: string } | { system: string }

/** The actor of a request: its staff member, or a read-only token (`system:token <id>`) where one may act. */
export function auditActor(p: Principal): AuditActor {
  if (p.kind === 'staff') return p
  return { system: p.kind === 'token' ? `token ${p.tokenId}` : 'anonymous' }
}

export interface AuditTarget {
  type: string
  id?: string | null
  /** Set when the action concerns a campaign, so the log can be filtered by it. */
  campaignId?: string | null
}

const GENESIS = '0'.repeat(64)
const SECRET_KEYS = new Set([
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'code',
  'codes',
  'householdSalt',
  'household_salt',
  'secret',
])

function redact(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(redact)
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => !SECRET_KEYS.has(k) && v !== undefined)
      .map(([k, v]) => [k, redact(v)]),
  )
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Of two objects, only the keys whose value changed (on either side); anything else as it is. */
function changed(before: unknown, after: unknown): [unknown, unknown] {
  if (!isObject(before) || !isObject(after)) return [before, after]
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (canonicalJson(before[k] ?? null) === canonicalJson(after[k] ?? null)) continue
    if (k in before) b[k] = before[k]
    if (k in after) a[k] = after[k]
  }
  return [b, a]
}

/** What the chain hashes of an entry: every column but the hashes, in canonical JSON. */
function entryHash(prev: string, r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const { seq, ...fields } = r
  return sha256Hex(`${prev}|${Number(seq)}|${canonicalJson(fields)}`)
}

/**
 * Records one staff action. `before` / `after`: what the target was and is (null when created or
 * removed, or when nothing can be shown, as for a password). Pass `trx` to record inside the
 * transaction that makes the change, so the two commit together.
 */
export async function audit(
  deps: Deps,
  actor: AuditActor,
  action: AuditAction,
  target: AuditTarget,
  before: unknown,
  after: unknown,
  trx?: Q,
): Promise<void> {
  const [b, a] = changed(redact(before ?? null), redact(after ?? null))
  const at = deps.now().toISOString()
  const write = async (db: Q) => {
    const user = 'userId' in actor ? await findStaffUser(db, actor.userId) : undefined
    const head = await lockAuditHead(db, GENESIS)
    const entry = {
      seq: head.seq + 1,
      at,
      actor_id: 'userId' in actor ? actor.userId : null,
      actor_label: 'userId' in actor ? (user?.login ?? actor.userId) : `system:${actor.system}`,
      actor_role: 'userId' in actor ? actor.role : 'system',
      action,
      target_type: target.type,
      target_id: target.id ?? null,
      campaign_id: target.campaignId ?? null,
      before_json: b === null ? null : JSON.stringify(b),
      after_json: a === null ? null : JSON.stringify(a),
    }
    await appendAudit(db, { ...entry, prev_hash: head.hash, hash: entryHash(head.hash, entry) })
  }
  if (trx) await write(trx)
  else await inTransaction(deps.db, write)
}

function entryOut(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    actorRole: r.actor_role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    campaignId: r.campaign_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
    hash: r.hash,
  }
}

const filterOf = (q: AuditQuery): AuditFilter => ({
  actorId: q.actorId,
  action: q.action,
  campaignId: q.campaignId,
  from: q.from && new Date(q.from).toISOString(),
  to: q.to && new Date(q.to).toISOString(),
})

/** `GET /api/v1/audit`: a page of matching entries, newest first. */
export async function listAudit(deps: Deps, q: AuditQuery): Promise<AuditPage> {
  const rows = await findAudit(deps.db.db, filterOf(q), q.before, q.limit + 1)
  const entries = rows.slice(0, q.limit).map(entryOut)
  return { entries, next: rows.length > q.limit ? (entries.at(-1)?.seq ?? null) : null }
}

const CSV_HEADER = ['序号', '时间 (UTC)', '操作人', '角色', '操作', '对象类型', '对象', '调查活动', '修改前', '修改后', '哈希']

/** `GET /api/v1/audit/export.csv`: every matching entry (the filters of the list), newest first, UTF-8 with a BOM. */
export function exportAudit(deps: Deps, q: AuditQuery): ExportFile {
  const filter = filterOf(q)
  const body = streamed(async (out) => {
    const line = (cells: (string | number | null)[]) => `${cells.map(csvField).join(',')}\r\n`
    out.write(`\uFEFF${line(CSV_HEADER)}`)
    let before = 0
    for (;;) {
      const rows = await findAudit(deps.db.db, filter, before, 1000)
      const text = rows
        .map((r) =>
          line([
            Number(r.seq),
            r.at,
            r.actor_label,
            r.actor_role,
            r.action,
            r.target_type,
            r.target_id,
            r.campaign_id,
            r.before_json,
            r.after_json,
            r.hash,
          ]),
        )
        .join('')
      if (!out.write(text)) await new Promise((r) => out.once('drain', r))
      if (rows.length < 1000) break
      before = Number(rows.at(-1)?.seq)
    }
    out.end()
  })
  return { filename: fileName('audit-log', 'csv'), contentType: 'text/csv; charset=utf-8', body }
}

/** `GET /api/v1/audit/verify`: walks the chain from its start; any edited, removed or inserted entry breaks it. */
export async function verifyAudit(deps: Deps): Promise<AuditVerdict> {
  const db = deps.db.db
  let prev = GENESIS
  let expected = 1
  for (;;) {
    const page = await pageAudit(db, expected - 1, 2000)
    for (const r of page) {
      const { prev_hash, hash, ...fields } = r
      const seq = Number(r.seq)
      if (seq !== expected || prev_hash !== prev || entryHash(prev, { ...fields, seq }) !== hash)
        return { ok: false, length: await lengthOf(deps), firstBadSeq: Math.min(seq, expected) }
      prev = hash
      expected++
    }
    if (page.length < 2000) break
  }
  const head = await getAuditHead(db)
  const length = expected - 1
  if (head && (head.seq !== length || head.hash !== prev)) return { ok: false, length, firstBadSeq: expected }
  return { ok: true, length, firstBadSeq: null }
}

async function lengthOf(deps: Deps): Promise<number> {
  return (await getAuditHead(deps.db.db))?.seq ?? 0
}
