import type { ProblemCode } from '@minyi/shared/problems'
import { SYNC_MAX_ITEMS } from '@minyi/shared/schemas'
import { ANONYMOUS, Dexie, type MinyiDb, type OutboxRow, type SentRow } from '../db/index.ts'
import { backoffDelay } from './backoff.ts'
import { takeBatch } from './batch.ts'
import { type Lock, pageLock } from './lock.ts'
import { getDeviceId } from './outbox.ts'
import type { Transport, TransportResult } from './transport.ts'

export interface FlushOutcome {
  /** Ids the server acknowledged (created, duplicate or conflict) and that left the outbox. */
  acknowledged: string[]
  /** Ids the server rejected; now in the needs-attention box. */
  rejected: string[]
  /** Items still queued after this flush. */
  remaining: number
  /** Why the flush stopped early (network, rate_limited, unavailable…); null when it finished. */
  error: ProblemCode | null
  /** When the next automatic attempt is due (ms from now), or null when none is scheduled. */
  retryInMs: number | null
  /** Items (counted in `remaining`) that wait for their worker to sign in again. */
  held: number
  /** Workers whose token the server refused in this flush (401): they must sign in again. */
  signInNeeded: string[]
}

export interface EngineOptions {
  db: MinyiDb
  transport: Transport
  appVersion: string
  /** Single-flight across tabs and the service worker; `defaultLock(SYNC_LOCK)` in the browser. */
  lock?: Lock
  now?: () => number
  random?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** Called after every flush (and when a retry is scheduled) so a UI can refresh its counts. */
  onFlushed?: (outcome: FlushOutcome) => void
}

/**
 * The outbox sender. No Vue, no DOM: the page and the service worker run the same code.
 * Nothing leaves the outbox until the server has answered for that id: created, duplicate and
 * conflict are acknowledgements (the server holds the data); rejected moves the item to the
 * needs-attention box; anything else keeps it and backs off (full jitter, capped at 5 minutes).
 */
export class SyncEngine {
  private attempt = 0
  private timer: unknown = null
  private running: Promise<FlushOutcome> | null = null
  private rerun: Promise<FlushOutcome> | null = null
  private readonly lock: Lock
  private readonly now: () => number
  private readonly random: () => number
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(private readonly opts: EngineOptions) {
    this.lock = opts.lock ?? pageLock()
    this.now = opts.now ?? Date.now
    this.random = opts.random ?? Math.random
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  }

  /** Consecutive failed attempts (drives the backoff); 0 after any answered batch. */
  get failures(): number {
    return this.attempt
  }

  /**
   * Sends everything queued. Triggers that arrive during a flush coalesce into one more pass after
   * it, so an item saved mid-flush is never left behind until the next trigger.
   */
  flush(): Promise<FlushOutcome> {
    if (this.running) {
      this.rerun ??= this.running.then(() => {
        this.rerun = null
        return this.flush()
      })
      return this.rerun
    }
    this.cancelTimer()
    const run = this.lock(() => this.flushLocked()).finally(() => {
      this.running = null
    })
    this.running = run
    return run
  }

  /** Stops the retry timer (page unload, tests). */
  stop(): void {
    this.cancelTimer()
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
  }

  private scheduleRetry(ms: number): void {
    this.cancelTimer()
    this.timer = this.setTimer(() => {
      this.timer = null
      void this.flush().catch(() => undefined)
    }, ms)
  }

  private fail(out: FlushOutcome, code: ProblemCode, retryAfterMs: number | null): void {
    this.attempt++
    const delay = retryAfterMs ?? backoffDelay(this.attempt, this.random)
    out.error = code
    out.retryInMs = delay
    this.scheduleRetry(delay)
  }

  private async moveToAttention(row: OutboxRow, code: string): Promise<void> {
    const { db } = this.opts
    await db.transaction('rw', [db.outbox, db.attention], async () => {
      await db.attention.put({ id: row.id, movedAt: this.now(), code, owner: row.owner, item: row.item })
      await db.outbox.delete(row.id)
    })
  }

  /**
   * The token to send `owner`'s items with: null for a resident's (anonymous), else the worker's own
   * bearer token; `held` when that worker must sign in again first (signed out, refused, or past the
   * token's expiry by the phone's clock: no point asking the server).
   */
  private async credentialsOf(owner: string): Promise<{ token: string | undefined } | 'held'> {
    if (owner === ANONYMOUS) return { token: undefined }
    const { db } = this.opts
    const worker = await db.workers.get(owner)
    if (!worker?.token || worker.signInNeeded) return 'held'
    if (worker.expiresAt && Date.parse(worker.expiresAt) <= this.now()) {
      await this.needSignIn(owner, 'session_expired')
      return 'held'
    }
    return { token: worker.token }
  }

  /** The server refused this worker's token: keep their items, ask them to sign in (the UI reads the row). */
  private async needSignIn(owner: string, code: string): Promise<void> {
    await this.opts.db.workers.update(owner, { signInNeeded: code })
  }

  private async flushLocked(): Promise<FlushOutcome> {
    const { db } = this.opts
    const out: FlushOutcome = { acknowledged: [], rejected: [], remaining: 0, error: null, retryInMs: null, held: 0, signInNeeded: [] }
    try {
      const ctx = { deviceId: await getDeviceId(db), size: await db.outbox.count() }
      // Each owner's items go in their own batches, under their own credentials (C3: one phone, several
      // workers); a worker who must sign in again holds only their own items back.
      const owners = (await db.outbox.orderBy('owner').uniqueKeys()) as string[]
      for (const owner of owners) {
        const credentials = await this.credentialsOf(owner)
        if (credentials === 'held') continue
        if ((await this.flushOwner(owner, credentials.token, ctx, out)) === 'stop') break
      }
    } catch {
      // IndexedDB failed under us (closed by a version change, evicted): keep everything, retry later.
      this.fail(out, 'internal', null)
    }
    out.remaining = await db.outbox.count().catch(() => 0)
    out.held = await this.heldCount().catch(() => 0)
    this.opts.onFlushed?.(out)
    return out
  }

  /**
   * One owner's items, oldest first, in batches. Up to SYNC_WINDOW batches are on their way at once:
   * while the server works on some, the device reads the next and files the answers that came (the
   * server commits overlapping batches together), so a 10,000-item queue is not one round trip after
   * another. Each batch holds other items, so the overlap never sends an item twice; what a failed batch
   * held stays queued. `stop` ends the whole flush (the network or the server is failing); `next` goes on
   * with the next owner.
   */
  private async flushOwner(
    owner: string,
    token: string | undefined,
    ctx: { deviceId: string; size: number },
    out: FlushOutcome,
  ): Promise<'next' | 'stop'> {
    const { db, transport, appVersion } = this.opts
    // Shrinks when the server answers 413 (its limits are lower than ours): halve and go on.
    let maxItems = SYNC_MAX_ITEMS
    /** queuedAt of the last row sent in this pass: the next batch starts there. */
    let after: number | null = null
    /** Ids sent in this pass, so rows sharing `after`'s queuedAt (saved in the same millisecond) are neither skipped nor sent twice. */
    const sent = new Set<string>()
    /** How many of those have `after` as their queuedAt: the next read starts at `after` and skips them. */
    let sentAtAfter = 0
    let exhausted = false
    const window: InFlight[] = []
    for (;;) {
      if (!exhausted && window.length < SYNC_WINDOW) {
        const rows = await nextRows(db, owner, after, sent, sentAtAfter)
        const batch = takeBatch(rows, maxItems)
        if (batch.length > 0) {
          const last = batch[batch.length - 1]!.queuedAt
          if (last !== after) sentAtAfter = 0
          after = last
          for (const r of batch) {
            sent.add(r.id)
            if (r.queuedAt === after) sentAtAfter++
          }
          const req = { deviceId: ctx.deviceId, appVersion, outboxSize: ctx.size, items: batch.map((r) => r.item) }
          window.push({ batch, res: transport(req, token) })
          continue
        }
        exhausted = true
      }
      const oldest = window.shift()
      if (!oldest) return 'next'
      const verdict = await this.settle(owner, oldest, out, ctx)
      if (verdict === 'ok') continue
      // The batch failed: let the overlapping ones finish (they may have been stored), then decide.
      for (const f of window.splice(0)) await this.settle(owner, f, out, ctx)
      if (verdict === 'signin') return 'next'
      if (verdict === 'stop') return 'stop'
      // 413: smaller batches, from the start of this owner's queue (what was stored is gone from it).
      maxItems = verdict.maxItems
      after = null
      sent.clear()
      sentAtAfter = 0
      exhausted = false
    }
  }

  /** Files the server's answer to one batch: acknowledged items leave, rejected ones go to needs-attention. */
  private async settle(
    owner: string,
    f: InFlight,
    out: FlushOutcome,
    ctx: { size: number },
  ): Promise<'ok' | 'signin' | 'stop' | { maxItems: number }> {
    const { db } = this.opts
    const res = await f.res
    if (res.kind === 'retry' && res.status === 413) {
      if (f.batch.length > 1) return { maxItems: Math.ceil(f.batch.length / 2) }
      // One item alone is too large for the server: it would block the queue forever.
      const [only] = f.batch
      await this.moveToAttention(only!, 'payload_too_large')
      out.rejected.push(only!.id)
      return 'ok'
    }
    if (res.kind === 'retry' && res.status === 401 && owner !== ANONYMOUS) {
      // Revoked, expired or disabled: nothing is lost, the worker's items wait for them to sign in.
      await this.needSignIn(owner, res.code)
      if (!out.signInNeeded.includes(owner)) out.signInNeeded.push(owner)
      return 'signin'
    }
    if (res.kind === 'retry') {
      if (!out.error) this.fail(out, res.code, res.retryAfterMs)
      return 'stop'
    }
    const pending = new Map(f.batch.map((r) => [r.id, r]))
    const acked: string[] = []
    const rejected: { id: string; code: string; message?: string }[] = []
    for (const r of res.response.results) {
      if (!pending.has(r.id)) continue
      if (r.status === 'rejected') rejected.push({ id: r.id, code: r.code ?? 'invalid_item', ...(r.message ? { message: r.message } : {}) })
      else acked.push(r.id)
    }
    const movedAt = this.now()
    await db.transaction('rw', [db.outbox, db.attention, db.sent, db.workers], async () => {
      if (rejected.length > 0)
        await db.attention.bulkPut(
          rejected.map((r) => ({
            id: r.id,
            movedAt,
            code: r.code,
            ...(r.message ? { message: r.message } : {}),
            owner,
            item: pending.get(r.id)!.item,
          })),
        )
      await deleteQueued(db, [...acked, ...rejected.map((r) => r.id)])
      if (owner !== ANONYMOUS) {
        // A worker's home counts what was sent, and adds it to quota progress until the server's figures catch up.
        const sent = acked.flatMap((id) => pending.get(id) ?? [])
        await db.sent.bulkPut(sentRows(sent, movedAt))
        await db.workers.update(owner, { lastSyncAt: movedAt })
      }
    })
    out.acknowledged.push(...acked)
    out.rejected.push(...rejected.map((r) => r.id))
    ctx.size = Math.max(0, ctx.size - acked.length - rejected.length)
    this.attempt = 0
    if (acked.length + rejected.length === 0) {
      // An answer that names none of our items: don't spin, treat it like a server fault.
      if (!out.error) this.fail(out, 'internal', null)
      return 'stop'
    }
    return 'ok'
  }

  /** Items of workers who must sign in again (no retry timer is scheduled for those). */
  private async heldCount(): Promise<number> {
    const { db } = this.opts
    let held = 0
    for (const w of await db.workers.toArray()) {
      if (w.token && !w.signInNeeded) continue
      held += await db.outbox.where('owner').equals(w.id).count()
    }
    return held
  }
}

/**
 * The owner's next queued rows, oldest first, from `after` on (inclusive: rows saved in the same
 * millisecond share a queuedAt), without those already sent in this pass. One `getAll` over the
 * compound index, asking for as many more rows as were sent at `after`; a Dexie `.filter()` here would
 * walk a cursor instead, one round trip to IndexedDB per row, which was most of a 10,000-item flush.
 */
async function nextRows(db: MinyiDb, owner: string, after: number | null, sent: Set<string>, sentAtAfter: number): Promise<OutboxRow[]> {
  for (let limit = SYNC_MAX_ITEMS + sentAtAfter; ; limit *= 2) {
    const rows = await db.outbox
      .where('[owner+queuedAt]')
      .between([owner, after ?? Dexie.minKey], [owner, Dexie.maxKey])
      .limit(limit)
      .toArray()
    const fresh = rows.filter((r) => !sent.has(r.id))
    if (fresh.length >= SYNC_MAX_ITEMS || rows.length < limit) return fresh.slice(0, SYNC_MAX_ITEMS)
  }
}

/** Batches of one owner on their way at once (see flushOwner). */
export const SYNC_WINDOW = 4

/** A batch on its way: the rows it holds and the server's answer to come. */
interface InFlight {
  batch: OutboxRow[]
  res: Promise<TransportResult>
}

/** One row per (kind, campaign, community) of the acknowledged rows of a batch, with its count (see `SentRow`). */
function sentRows(rows: OutboxRow[], sentAt: number): SentRow[] {
  const out = new Map<string, SentRow>()
  for (const row of rows) {
    const { kind, campaignId } = row.item
    const communityId = 'communityId' in row.item ? (row.item.communityId ?? '') : ''
    const key = `${kind}|${campaignId}|${communityId}`
    const line = out.get(key)
    if (line) line.count = (line.count ?? 1) + 1
    // Named after its first item and the time: a later batch never overwrites it.
    else out.set(key, { id: `${row.id}@${sentAt}`, owner: row.owner, kind, campaignId, communityId, sentAt, count: 1 })
  }
  return [...out.values()]
}

/**
 * Takes acknowledged and rejected rows out of the outbox. A batch is a run of one owner's oldest rows
 * and ids are UUIDv7 (time first), so they are nearly always every row between the smallest and the
 * largest id: then one range delete (after reading that range's keys, in this same transaction, to
 * be sure nothing else lies in it); otherwise one delete per id. A delete per id was about half of
 * the device's time in a 10,000-item flush.
 */
async function deleteQueued(db: MinyiDb, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  const sorted = [...ids].sort()
  const range = db.outbox.where(':id').between(sorted[0]!, sorted[sorted.length - 1]!, true, true)
  const inRange = (await range.primaryKeys()) as string[]
  if (inRange.length === sorted.length && inRange.every((k, i) => k === sorted[i])) await range.delete()
  else await db.outbox.bulkDelete(ids)
}
