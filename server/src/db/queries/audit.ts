import type { Selectable } from 'kysely'
import type { AuditLogTable } from '../tables-auth.ts'
import type { Q } from '../tx.ts'

export type AuditRow = Selectable<AuditLogTable>

/**
 * Locks the end of the audit chain for this transaction and returns it (a no-op UPDATE takes the row
 * lock on PostgreSQL; SQLite locks the whole file for a writing transaction), as lockEvidenceHead does.
 */
export async function lockAuditHead(db: Q, genesis: string): Promise<{ seq: number; hash: string }> {
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: genesis })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow()
  return { seq: Number(head.seq), hash: head.hash }
}

export async function appendAudit(db: Q, row: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute()
  await db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute()
}

export async function getAuditHead(db: Q): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  return head && { seq: Number(head.seq), hash: head.hash }
}

export interface AuditFilter {
  actorId: string
  action: string
  campaignId: string
  from: string
  to: string
}

/** Entries matching `f`, newest first, with seq below `before` (0: from the newest). */
export function findAudit(db: Q, f: AuditFilter, before: number, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll()
  if (f.actorId) query = query.where('actor_id', '=', f.actorId)
  if (f.action) query = f.action.includes('.') ? query.where('action', '=', f.action) : query.where('action', 'like', `${f.action}.%`)
  if (f.campaignId) query = query.where('campaign_id', '=', f.campaignId)
  if (f.from) query = query.where('at', '>=', f.from)
  if (f.to) query = query.where('at', '<=', f.to)
  if (before > 0) query = query.where('seq', '<', before)
  return query.orderBy('seq', 'desc').limit(limit).execute()
}

/** The log in chain order, `limit` entries after `afterSeq`. */
export function pageAudit(db: Q, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute()
}
