import { SYNC_MAX_BYTES } from '@minyi/shared/schemas'
import { indexedDB } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { Dexie, type MinyiDb } from '../../client/src/db/index.ts'
import { peekDraft } from '../../client/src/db/peek-draft.ts'
import { BACKOFF_CAP_MS } from '../../client/src/sync/backoff.ts'
import { SyncEngine } from '../../client/src/sync/engine.ts'
import { isQuotaError, SyncError } from '../../client/src/sync/errors.ts'
import { pageLock } from '../../client/src/sync/lock.ts'
import { buildExport, countOutbox, getDeviceId, saveDraft, saveResponse } from '../../client/src/sync/outbox.ts'
import { databasesPerTest, freshDbName, ManualTimers, makeItem, ScriptedServer } from './sync-helpers.ts'

const db = databasesPerTest()

function engine(d: MinyiDb, server: ScriptedServer, timers = new ManualTimers(), random = () => 1) {
  return new SyncEngine({ db: d, transport: server.transport, appVersion: 'test', setTimer: timers.set, clearTimer: timers.clear, random })
}

describe('sync engine', () => {
  it('should remove the item exactly once when the acknowledgement was lost and the replay answers duplicate', async () => {
    const d = db()
    const server = new ScriptedServer().script('lost-ack', 'ok')
    const item = makeItem()
    await saveResponse(d, item)
    const e = engine(d, server)

    const first = await e.flush()
    expect(first.error).toBe('network')
    expect(await d.outbox.count()).toBe(1)
    expect(server.rowsFor(item.id)).toBe(1)

    const second = await e.flush()
    expect(second).toMatchObject({ acknowledged: [item.id], remaining: 0, error: null })
    expect(server.rowsFor(item.id)).toBe(1)
    expect(await d.outbox.count()).toBe(0)
  })

  it('should keep the items queued and wait Retry-After when the server answers 429', async () => {
    const d = db()
    const server = new ScriptedServer().script({ status: 429, retryAfterMs: 42_000 })
    const timers = new ManualTimers()
    await saveResponse(d, makeItem())
    await saveResponse(d, makeItem())

    const out = await engine(d, server, timers).flush()
    expect(out).toMatchObject({ error: 'rate_limited', retryInMs: 42_000, remaining: 2 })
    expect(timers.pending).toHaveLength(1)
    expect(timers.last).toBe(42_000)
    expect(server.stored.size).toBe(0)
  })

  it('should keep the items and back off exponentially up to 5 minutes when the server keeps answering 503', async () => {
    const d = db()
    const server = new ScriptedServer().script(...Array.from({ length: 12 }, () => ({ status: 503 as const })))
    const timers = new ManualTimers()
    await saveResponse(d, makeItem())
    const e = engine(d, server, timers, () => 0.999)

    const delays: number[] = []
    for (let i = 0; i < 12; i++) delays.push((await e.flush()).retryInMs ?? -1)
    expect(delays[1]!).toBeGreaterThan(delays[0]!)
    expect(delays[2]!).toBeGreaterThan(delays[1]!)
    expect(Math.max(...delays)).toBeLessThanOrEqual(BACKOFF_CAP_MS)
    expect(delays.at(-1)).toBeGreaterThan(BACKOFF_CAP_MS * 0.99)
    expect(timers.pending).toHaveLength(1)
    expect(await d.outbox.count()).toBe(1)
  })

  it('should draw the delay with full jitter when the random source varies', async () => {
    const d = db()
    const server = new ScriptedServer().script({ status: 503 })
    await saveResponse(d, makeItem())
    const out = await engine(d, server, new ManualTimers(), () => 0.25).flush()
    expect(out.retryInMs).toBe(500) // max(floor, 0.25 × 2 s)
  })

  it('should send again on the scheduled timer when a 503 is followed by success', async () => {
    const d = db()
    const server = new ScriptedServer().script({ status: 503 }, 'ok')
    const timers = new ManualTimers()
    const item = makeItem()
    await saveResponse(d, item)
    const flushed = vi.fn()
    const e = new SyncEngine({
      db: d,
      transport: server.transport,
      appVersion: 't',
      setTimer: timers.set,
      clearTimer: timers.clear,
      onFlushed: flushed,
    })
    await e.flush()
    timers.pending[0]!.fn()
    await vi.waitFor(() => expect(flushed).toHaveBeenCalledTimes(2))
    expect(await d.outbox.count()).toBe(0)
    expect(server.rowsFor(item.id)).toBe(1)
  })

  it('should move the item to needs-attention with its code when the server rejects it', async () => {
    const d = db()
    const server = new ScriptedServer()
    const good = makeItem()
    const bad = makeItem({ answers: { reject: 1 } })
    await saveResponse(d, good)
    await saveResponse(d, bad)

    const out = await engine(d, server).flush()
    expect(out).toMatchObject({ acknowledged: [good.id], rejected: [bad.id], remaining: 0 })
    const attention = await d.attention.toArray()
    expect(attention).toHaveLength(1)
    expect(attention[0]).toMatchObject({ id: bad.id, code: 'unknown_question', item: bad })
    expect(await countOutbox(d)).toEqual({ queued: 0, attention: 1 })
  })

  it('should keep one queued copy and store it once when the same response is saved and replayed twice', async () => {
    const d = db()
    const server = new ScriptedServer().script('lost-ack', 'lost-ack', 'ok')
    const item = makeItem()
    await saveResponse(d, item)
    await saveResponse(d, item)
    expect(await d.outbox.count()).toBe(1)
    const e = engine(d, server)
    await e.flush()
    await e.flush()
    const last = await e.flush()
    expect(last.remaining).toBe(0)
    expect(server.calls).toHaveLength(3)
    expect(server.rowsFor(item.id)).toBe(1)
  })

  it('should store every response once when the page reloads in the middle of a flush', async () => {
    const name = freshDbName()
    const before = db(name)
    const server = new ScriptedServer().script('hang-after-store', 'ok')
    const items = Array.from({ length: 5 }, () => makeItem())
    for (const it of items) await saveResponse(before, it)
    // The first page sends the batch and dies before the answer arrives.
    void engine(before, server).flush()
    await vi.waitFor(() => expect(server.calls).toHaveLength(1))
    before.close()

    // The reloaded page: a new database connection and a new engine (and a new page's lock).
    const after = db(name)
    expect(await after.outbox.count()).toBe(5)
    const out = await engine(after, server).flush()
    expect(out).toMatchObject({ remaining: 0, error: null })
    expect(out.acknowledged.sort()).toEqual(items.map((i) => i.id).sort())
    for (const it of items) expect(server.rowsFor(it.id)).toBe(1)
  })

  it('should send each item once when two triggers flush at the same time', async () => {
    const d = db()
    const server = new ScriptedServer()
    for (let i = 0; i < 3; i++) await saveResponse(d, makeItem())
    const e = engine(d, server)
    await Promise.all([e.flush(), e.flush(), e.flush()])
    const sent = server.calls.flatMap((c) => c.items)
    expect(sent).toHaveLength(3)
    expect(await d.outbox.count()).toBe(0)
  })

  it('should send each item once when two tabs flush the same outbox under one lock', async () => {
    const name = freshDbName()
    const tabA = db(name)
    const tabB = db(name)
    const server = new ScriptedServer()
    for (let i = 0; i < 5; i++) await saveResponse(tabA, makeItem())
    // What Web Locks give across tabs: one exclusive lock by name, shared by both engines.
    const lock = pageLock()
    const timers = new ManualTimers()
    const a = new SyncEngine({
      db: tabA,
      transport: server.transport,
      appVersion: 't',
      lock,
      setTimer: timers.set,
      clearTimer: timers.clear,
    })
    const b = new SyncEngine({
      db: tabB,
      transport: server.transport,
      appVersion: 't',
      lock,
      setTimer: timers.set,
      clearTimer: timers.clear,
    })
    await Promise.all([a.flush(), b.flush()])
    expect(server.calls.flatMap((c) => c.items)).toHaveLength(5)
    expect(await tabB.outbox.count()).toBe(0)
  })

  it('should split the outbox into batches of at most 100 items when 250 are queued', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.outbox.bulkPut(
      Array.from({ length: 250 }, (_, i) => ({ id: makeItem().id, queuedAt: i, owner: '', item: makeItem() })).map((r) => ({
        ...r,
        id: r.item.id,
      })),
    )
    const out = await engine(d, server).flush()
    expect(out.remaining).toBe(0)
    expect(server.calls.map((c) => c.items.length)).toEqual([100, 100, 50])
    // All three leave before the first answer comes back (SYNC_WINDOW): 250 were unacknowledged then.
    expect(server.calls.map((c) => c.outboxSize)).toEqual([250, 250, 250])
  })

  it('should keep every batch under 512 KB when the items are large', async () => {
    const d = db()
    const server = new ScriptedServer()
    const long = 'x'.repeat(4_900)
    for (let i = 0; i < 100; i++) await saveResponse(d, makeItem({ answers: { a: long, b: long, c: long } }))
    await engine(d, server).flush()
    expect(server.calls.length).toBeGreaterThan(1)
    for (const c of server.calls) expect(new TextEncoder().encode(JSON.stringify(c)).length).toBeLessThanOrEqual(SYNC_MAX_BYTES)
  })

  it('should halve the batch and still send everything when the server answers 413', async () => {
    const d = db()
    const server = new ScriptedServer().script({ status: 413 }, { status: 413 })
    const items = Array.from({ length: 8 }, () => makeItem())
    for (const it of items) await saveResponse(d, it)
    const out = await engine(d, server).flush()
    // 8 refused; 4 refused while the next 4 (sent alongside, see flushOwner) are stored; the first 4 again in twos.
    expect(server.calls.map((c) => c.items.length)).toEqual([8, 4, 4, 2, 2])
    expect(out).toMatchObject({ remaining: 0, error: null })
    for (const it of items) expect(server.rowsFor(it.id)).toBe(1)
  })

  it('should move a single response to needs-attention when it alone is too large for the server', async () => {
    const d = db()
    const server = new ScriptedServer().script({ status: 413 }, { status: 413 })
    const big = makeItem()
    const next = makeItem()
    await saveResponse(d, big, undefined, 1)
    await saveResponse(d, next, undefined, 2)
    await d.outbox.update(big.id, { queuedAt: 1 })
    const out = await engine(d, server).flush()
    expect(out.rejected).toEqual([big.id])
    expect(await d.attention.get(big.id)).toMatchObject({ code: 'payload_too_large' })
    expect(server.rowsFor(next.id)).toBe(1)
    expect(out.remaining).toBe(0)
  })

  it('should report the device id and outbox size when it syncs', async () => {
    const d = db()
    const server = new ScriptedServer()
    await saveResponse(d, makeItem())
    await engine(d, server).flush()
    expect(server.calls[0]).toMatchObject({ deviceId: await getDeviceId(d), appVersion: 'test', outboxSize: 1 })
  })
})

describe('outbox writes', () => {
  it('should refuse to queue a response when it fails the shared schema', async () => {
    const d = db()
    await expect(saveResponse(d, { ...makeItem(), id: 'not-a-uuid' })).rejects.toThrow()
    expect(await d.outbox.count()).toBe(0)
  })

  it('should delete the draft in the same transaction when the response is saved', async () => {
    const d = db()
    await d.drafts.put({ key: 'tok', responseId: 'x', startedAt: 'y', updatedAt: 1, answers: {} })
    const res = await saveResponse(d, makeItem(), 'tok')
    expect(res.first).toBe(true)
    expect(await d.drafts.count()).toBe(0)
    expect((await saveResponse(d, makeItem())).first).toBe(false)
  })

  it('should report quota_exceeded and keep the draft when Dexie wraps a QuotaExceededError', async () => {
    const d = db()
    await d.drafts.put({ key: 'tok', responseId: 'x', startedAt: 'y', updatedAt: 1, answers: { a: 1 } })
    const inner = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    const wrapped = new Dexie.AbortError('Transaction aborted', inner)
    expect(isQuotaError(wrapped)).toBe(true)
    vi.spyOn(d.outbox, 'put').mockImplementation(() => Dexie.Promise.reject(wrapped) as never)

    const err = await saveResponse(d, makeItem(), 'tok').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SyncError)
    expect((err as SyncError).code).toBe('quota_exceeded')
    expect(await d.drafts.count()).toBe(1)
    expect(await d.outbox.count()).toBe(0)
  })

  it('should export the queued, rejected and unsaved responses once each when asked', async () => {
    const d = db()
    const queued = makeItem()
    await saveResponse(d, queued)
    const unsaved = makeItem()
    const file = await buildExport(d, 'dev-1', [unsaved, queued], new Date('2026-05-01T00:00:00Z'))
    expect(file).toEqual({
      format: 'minyi-outbox',
      version: 1,
      deviceId: 'dev-1',
      exportedAt: '2026-05-01T00:00:00.000Z',
      items: [queued, unsaved],
    })
  })
})

describe('drafts', () => {
  it('should read a draft saved through Dexie without Dexie when the page starts', async () => {
    const name = freshDbName()
    const d = db(name)
    await saveDraft(d, { key: 'tok', responseId: 'r', startedAt: 's', updatedAt: 1, answers: { a: 4 } })
    d.close()
    await expect(peekDraft('tok', fakeIdbNamed(name))).resolves.toMatchObject({ key: 'tok', answers: { a: 4 } })
    await expect(peekDraft('other', fakeIdbNamed(name))).resolves.toBeUndefined()
  })

  it('should find nothing and create no database when the device has never saved anything', async () => {
    const name = freshDbName()
    await expect(peekDraft('tok', fakeIdbNamed(name))).resolves.toBeUndefined()
    const names = (await indexedDB.databases()).map((x) => x.name)
    expect(names).not.toContain(name)
  })

  it('should keep only set answers and refuse malformed ones when a draft is saved', async () => {
    const d = db()
    await saveDraft(d, { key: 'tok', responseId: 'r', startedAt: 's', updatedAt: 1, answers: { a: 4, b: undefined, c: ['x'] } })
    expect((await d.drafts.get('tok'))?.answers).toEqual({ a: 4, c: ['x'] })
    await expect(
      saveDraft(d, { key: 'tok', responseId: 'r', startedAt: 's', updatedAt: 2, answers: { a: { nested: true } } }),
    ).rejects.toThrow()
    expect((await d.drafts.get('tok'))?.updatedAt).toBe(1)
  })
})

/** peekDraft opens the app's fixed database name; point it at this test's database instead. */
function fakeIdbNamed(name: string): IDBFactory {
  return { open: (_: string) => indexedDB.open(name) } as unknown as IDBFactory
}
