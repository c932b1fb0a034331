import type { ResponseItem, SyncItemResult, SyncRequest } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { afterEach } from 'vitest'
import { type MinyiDb, openDb } from '../../client/src/db/index.ts'
import type { Transport, TransportResult } from '../../client/src/sync/transport.ts'

let n = 0
/** A fresh database name per test, so tests never see each other's outbox. */
export function freshDbName(): string {
  n++
  return `minyi-test-${Date.now()}-${n}`
}

export function open(name: string): MinyiDb {
  return openDb({ name, indexedDB, IDBKeyRange })
}

/** `db()` for a test file: a fresh database per call (or the named one), each closed after its test. */
export function databasesPerTest(): (name?: string) => MinyiDb {
  const dbs: MinyiDb[] = []
  afterEach(() => {
    for (const d of dbs.splice(0)) d.close()
  })
  return (name = freshDbName()) => {
    const d = open(name)
    dbs.push(d)
    return d
  }
}

const CAMPAIGN = '0190a6f2-8f3e-7b1a-9c2d-000000000001'
const COMMUNITY = '0190a6f2-8f3e-7b1a-9c2d-000000000002'

export function makeItem(overrides: Partial<ResponseItem> = {}): ResponseItem {
  return {
    kind: 'response',
    id: uuidv7(),
    campaignId: CAMPAIGN,
    questionnaireVersion: 1,
    communityId: COMMUNITY,
    channel: 'qr',
    startedAt: '2026-05-01T08:00:00.000Z',
    submittedAt: '2026-05-01T08:02:00.000Z',
    answers: { q_overall: 4 },
    householdKey: null,
    symposiumId: null,
    ...overrides,
  }
}

/** What the scripted server does with the next call. */
export type Step =
  | 'ok'
  /** Stores the batch, then the answer is lost on the way back. */
  | 'lost-ack'
  /** Stores the batch and never answers (the page dies mid-flush). */
  | 'hang-after-store'
  | { status: 429; retryAfterMs: number }
  | { status: 503 }
  | { status: 0 }
  /** The body is over the server's limit: nothing stored. */
  | { status: 413 }

/**
 * An in-memory server with the contract's dedupe rules: same id + same content → duplicate,
 * same id + other content → conflict (both kept). Items whose answers hold `reject` are rejected.
 */
export class ScriptedServer {
  readonly stored = new Map<string, string[]>()
  readonly calls: SyncRequest[] = []
  /** The bearer token each call came with (undefined: anonymous). */
  readonly tokens: (string | undefined)[] = []
  /** Tokens the server no longer accepts (revoked, expired): 401 for the whole call. */
  readonly refused = new Set<string>()
  private steps: Step[] = []

  script(...steps: Step[]): this {
    this.steps.push(...steps)
    return this
  }

  /** How many times each id was stored as a new row (created or conflict copy). */
  rowsFor(id: string): number {
    return this.stored.get(id)?.length ?? 0
  }

  readonly transport: Transport = async (req, token) => {
    this.calls.push(structuredClone(req))
    this.tokens.push(token)
    if (token && this.refused.has(token)) return { kind: 'retry', code: 'unauthenticated', status: 401, retryAfterMs: null }
    const step = this.steps.shift() ?? 'ok'
    if (typeof step === 'object') {
      const code =
        step.status === 429 ? 'rate_limited' : step.status === 0 ? 'network' : step.status === 413 ? 'payload_too_large' : 'unavailable'
      return { kind: 'retry', code, status: step.status, retryAfterMs: step.status === 429 ? step.retryAfterMs : null }
    }
    const results = req.items.map((raw) => this.store(raw as ResponseItem))
    if (step === 'lost-ack') return { kind: 'retry', code: 'network', status: 0, retryAfterMs: null }
    if (step === 'hang-after-store') return new Promise<TransportResult>(() => undefined)
    return { kind: 'ok', response: { results, serverTime: new Date().toISOString() } }
  }

  private store(item: ResponseItem): SyncItemResult {
    if ('reject' in (item.answers ?? {})) return { id: item.id, status: 'rejected', code: 'unknown_question' }
    const body = JSON.stringify(item)
    const prev = this.stored.get(item.id)
    if (!prev) {
      this.stored.set(item.id, [body])
      return { id: item.id, status: 'created' }
    }
    if (prev.includes(body)) return { id: item.id, status: 'duplicate' }
    prev.push(body)
    return { id: item.id, status: 'conflict' }
  }
}

/** Timers under the test's control: nothing fires unless the test says so. */
export class ManualTimers {
  readonly pending: { fn: () => void; ms: number }[] = []
  set = (fn: () => void, ms: number) => {
    const t = { fn, ms }
    this.pending.push(t)
    return t
  }
  clear = (h: unknown) => {
    const i = this.pending.indexOf(h as { fn: () => void; ms: number })
    if (i >= 0) this.pending.splice(i, 1)
  }
  get last(): number | undefined {
    return this.pending.at(-1)?.ms
  }
}
