import type { ProblemCode } from '@minyi/shared/problems'
import { SYNC_MAX_ITEMS } from '@minyi/shared/schemas'
import type { MinyiDb, OutboxRow } from '../db/index.ts'
import { backoffDelay } from './backoff.ts'
import { takeBatch } from './batch.ts'
import { type Lock, pageLock } from './lock.ts'
import { getDeviceId } from './outbox.ts'
import type { Transport } from './transport.ts'

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
      await db.attention.put({ id: row.id, movedAt: this.now(), code, item: row.item })
      await db.outbox.delete(row.id)
    })
  }

  private async flushLocked(): Promise<FlushOutcome> {
    const { db, transport, appVersion } = this.opts
    const out: FlushOutcome = { acknowledged: [], rejected: [], remaining: 0, error: null, retryInMs: null }
    try {
      const deviceId = await getDeviceId(db)
      // Shrinks when the server answers 413 (its limits are lower than ours): halve and go on.
      let maxItems = SYNC_MAX_ITEMS
      for (;;) {
        // Re-read every round: another tab may have sent some, a new submit may have added some.
        const rows = await db.outbox.orderBy('queuedAt').limit(SYNC_MAX_ITEMS).toArray()
        if (rows.length === 0) break
        const batch = takeBatch(rows, maxItems)
        const outboxSize = await db.outbox.count()
        const res = await transport({ deviceId, appVersion, outboxSize, items: batch.map((r) => r.item) })
        if (res.kind === 'retry' && res.status === 413) {
          if (batch.length > 1) {
            maxItems = Math.ceil(batch.length / 2)
            continue
          }
          // One response alone is too large for the server: it would block the queue forever.
          const [only] = batch
          await this.moveToAttention(only!, 'payload_too_large')
          out.rejected.push(only!.id)
          continue
        }
        if (res.kind === 'retry') {
          this.fail(out, res.code, res.retryAfterMs)
          break
        }
        const pending = new Map(batch.map((r) => [r.id, r]))
        const acked: string[] = []
        const rejected: { id: string; code: string; message?: string }[] = []
        for (const r of res.response.results) {
          if (!pending.has(r.id)) continue
          if (r.status === 'rejected')
            rejected.push({ id: r.id, code: r.code ?? 'invalid_item', ...(r.message ? { message: r.message } : {}) })
          else acked.push(r.id)
        }
        const movedAt = this.now()
        await db.transaction('rw', [db.outbox, db.attention], async () => {
          await db.outbox.bulkDelete(acked)
          for (const r of rejected) {
            const row = pending.get(r.id)!
            await db.attention.put({ id: r.id, movedAt, code: r.code, ...(r.message ? { message: r.message } : {}), item: row.item })
            await db.outbox.delete(r.id)
          }
        })
        out.acknowledged.push(...acked)
        out.rejected.push(...rejected.map((r) => r.id))
        this.attempt = 0
        if (acked.length + rejected.length === 0) {
          // An answer that names none of our items: don't spin, treat it like a server fault.
          this.fail(out, 'internal', null)
          break
        }
      }
    } catch {
      // IndexedDB failed under us (closed by a version change, evicted): keep everything, retry later.
      this.fail(out, 'internal', null)
    }
    out.remaining = await db.outbox.count().catch(() => 0)
    this.opts.onFlushed?.(out)
    return out
  }
}
