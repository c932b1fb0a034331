import { type ResponseItem, type VisitItem, VisitItem as VisitItemSchema } from '@minyi/shared/schemas'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { type MinyiDb, openDb } from '../../../client/src/db/index.ts'
import { type FlushOutcome, SyncEngine } from '../../../client/src/sync/engine.ts'
import { saveResponse } from '../../../client/src/sync/outbox.ts'
import { fetchTransport } from '../../../client/src/sync/transport.ts'
import { makeItems } from '../../bench/lib/data.ts'
import { rng, uuidv7 } from '../../support/data.ts'

/** Where the simulated residents answer: the campaign, its published version and its communities. */
export interface Target {
  campaignId: string
  version: number
  communityIds: string[]
}

/**
 * A phone with the PWA installed, in Node: its own IndexedDB (fake-indexeddb, one database per
 * device), the client's real outbox (`saveResponse`) and sync engine (`SyncEngine` +
 * `fetchTransport`), sending to `syncUrl`. The only thing changed is time: the engine's retry timers
 * run `speedup` times faster (its backoff is 2 s doubling to 5 min, made for phones that retry for
 * days), so a run takes minutes, not hours. Retry-After is compressed the same way.
 */
export class SimDevice {
  db: MinyiDb
  engine: SyncEngine
  readonly saved: string[] = []
  restarts = 0
  private readonly dbName: string

  constructor(
    readonly name: string,
    private readonly syncUrl: string,
    private readonly speedup: number,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {
    this.dbName = `minyi-chaos-${name}-${Date.now()}`
    this.db = openDb({ name: this.dbName, indexedDB, IDBKeyRange })
    this.engine = this.makeEngine()
  }

  private makeEngine(): SyncEngine {
    return new SyncEngine({
      db: this.db,
      // 5 s rather than 20: a request the proxy delays never takes that long, a dead one is given up sooner.
      transport: fetchTransport(this.syncUrl, this.fetchFn, 5_000),
      appVersion: 'chaos',
      setTimer: (fn, ms) => setTimeout(fn, Math.max(1, ms / this.speedup)),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    })
  }

  /** A resident submits: the response is in the outbox (as the UI's "saved"), then a flush is triggered. */
  async submit(item: ResponseItem): Promise<void> {
    await saveResponse(this.db, item)
    this.saved.push(item.id)
    void this.engine.flush().catch(() => undefined)
  }

  /**
   * A worker records a door visit (kind `visit`) into the same outbox table the engine drains. The worker
   * app stamps its items with the worker (`saveWorkerItems`, owner = user id, token from `db.workers`);
   * this simulated phone's own fetch carries the bearer token instead, so its items are queued unstamped
   * (owner '') and sent as they are.
   */
  async recordVisit(item: VisitItem): Promise<void> {
    const parsed = VisitItemSchema.parse(item)
    await this.db.outbox.put({ id: parsed.id, queuedAt: Date.now(), owner: '', item: parsed })
    this.saved.push(parsed.id)
    void this.engine.flush().catch(() => undefined)
  }

  /** A trigger (the page becomes visible, the network comes back): flush now and wait for it. */
  flush(): Promise<FlushOutcome> {
    return this.engine.flush()
  }

  /**
   * The app is killed and opened again: the engine and the database connection go (a flush in flight
   * is abandoned: its answer, if any, lands on a closed database), the IndexedDB data stays.
   */
  async restartApp(): Promise<void> {
    this.engine.stop()
    this.db.close()
    this.restarts++
    this.db = openDb({ name: this.dbName, indexedDB, IDBKeyRange })
    await this.db.open()
    this.engine = this.makeEngine()
    void this.engine.flush().catch(() => undefined)
  }

  async counts(): Promise<{ outbox: number; attention: number }> {
    return { outbox: await this.db.outbox.count(), attention: await this.db.attention.count() }
  }

  stop(): void {
    this.engine.stop()
    this.db.close()
  }
}

/** The benchmarks' synthetic responses (ten rating answers, realistic spread, QR), one at a time, communities in turn. */
export function responseMaker(target: Target, seed: number): () => ResponseItem {
  let n = 0
  return () => {
    const communityId = target.communityIds[n % target.communityIds.length] ?? ''
    const [item] = makeItems(1, { ...target, communityIds: [communityId] }, Date.now(), seed * 1_000_003 + n++)
    return item!
  }
}

const OUTCOMES = ['completed', 'not_home', 'refused', 'revisit'] as const

/** Door visits by a worker to random households of the target's communities, outcomes in turn. */
export function visitMaker(target: Target, seed: number): () => VisitItem {
  const random = rng(seed)
  let n = 0
  return () => {
    const key = Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('')
    const at = Date.now() - Math.floor(random() * 1000)
    return {
      kind: 'visit',
      id: uuidv7(at),
      campaignId: target.campaignId,
      communityId: target.communityIds[n % target.communityIds.length] ?? '',
      householdKey: key,
      outcome: OUTCOMES[n++ % OUTCOMES.length]!,
      visitedAt: new Date(at).toISOString(),
      responseId: null,
    }
  }
}
