import { uuidv7 } from '@minyi/shared/uuid'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { MinyiDb, WorkerRow } from '../../client/src/db/index.ts'
import { Dexie } from '../../client/src/db/index.ts'
import { SyncEngine } from '../../client/src/sync/engine.ts'
import { buildExport, countOutbox, saveResponse, saveWorkerItems } from '../../client/src/sync/outbox.ts'
import { sentCount } from '../../client/src/worker/visits.ts'
import { databasesPerTest, freshDbName, ManualTimers, makeItem, ScriptedServer } from './sync-helpers.ts'

// One phone, several workers (PRODUCT.md C3): each queued item is stamped with the worker who saved it,
// sent only under that worker's token; a 401 holds that worker's items (nothing lost) until they sign in.

const db = databasesPerTest()

const NOW = Date.parse('2026-05-01T08:00:00.000Z')
function engine(d: MinyiDb, server: ScriptedServer, timers = new ManualTimers()) {
  return new SyncEngine({
    db: d,
    transport: server.transport,
    appVersion: 'test',
    setTimer: timers.set,
    clearTimer: timers.clear,
    now: () => NOW,
  })
}

function worker(id: string, over: Partial<WorkerRow> = {}): WorkerRow {
  return {
    id,
    name: id,
    login: id,
    communityIds: [],
    token: `token-${id}`,
    expiresAt: new Date(NOW + 30 * 86_400_000).toISOString(),
    signedInAt: NOW,
    signInNeeded: null,
    lastSyncAt: null,
    ...over,
  }
}

const door = () => makeItem({ channel: 'door' })
const visitOf = (responseId: string | null = null) => ({
  kind: 'visit' as const,
  id: uuidv7(),
  campaignId: makeItem().campaignId,
  communityId: makeItem().communityId,
  householdKey: 'a'.repeat(64),
  outcome: responseId ? ('completed' as const) : ('not_home' as const),
  visitedAt: '2026-05-01T08:02:00.000Z',
  responseId,
})

describe('worker items in the outbox', () => {
  it('should send each worker’s items only under that worker’s token, and a resident’s without one', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.workers.bulkPut([worker('a'), worker('b')])
    await saveWorkerItems(d, 'a', { response: door() })
    await saveWorkerItems(d, 'b', { response: door() })
    await saveWorkerItems(d, 'a', { visit: visitOf() })
    await saveResponse(d, makeItem())
    const out = await engine(d, server).flush()
    expect(out.remaining).toBe(0)
    const sent = server.calls.map((c, i) => ({ token: server.tokens[i], n: c.items.length }))
    expect(sent).toEqual([
      { token: undefined, n: 1 },
      { token: 'token-a', n: 2 },
      { token: 'token-b', n: 1 },
    ])
  })

  it('should count and export only the resident’s own items on a phone a worker also uses', async () => {
    const d = db()
    const mine = makeItem()
    await saveWorkerItems(d, 'a', { response: door(), visit: visitOf() })
    await saveResponse(d, mine)
    await d.attention.put({ id: 'w-1', movedAt: NOW, code: 'validation_failed', owner: 'a', item: door() })
    expect(await countOutbox(d)).toEqual({ queued: 1, attention: 0 })
    const file = await buildExport(d, 'dev-1')
    expect(file.items).toEqual([mine])
  })

  it('should queue a completed visit’s questionnaire ahead of the visit that names it', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.workers.put(worker('a'))
    const response = door()
    const visit = visitOf(response.id)
    await saveWorkerItems(d, 'a', { response, visit })
    await engine(d, server).flush()
    expect(server.calls[0]?.items.map((i) => (i as { kind: string }).kind)).toEqual(['response', 'visit'])
  })

  it('should keep a worker’s items and ask them to sign in when the server answers 401, while others still send', async () => {
    const d = db()
    const server = new ScriptedServer()
    const timers = new ManualTimers()
    await d.workers.bulkPut([worker('a'), worker('b')])
    server.refused.add('token-a')
    for (let i = 0; i < 3; i++) await saveWorkerItems(d, 'a', { response: door() })
    await saveWorkerItems(d, 'b', { response: door() })
    const out = await engine(d, server, timers).flush()
    expect(out).toMatchObject({ remaining: 3, held: 3, error: null, signInNeeded: ['a'] })
    expect(out.acknowledged).toHaveLength(1)
    expect((await d.workers.get('a'))?.signInNeeded).toBe('unauthenticated')
    // No retry timer for items that only a sign-in can release.
    expect(timers.pending).toHaveLength(0)
    // Held: the next flush does not even try with the refused token.
    const calls = server.calls.length
    await engine(d, server, timers).flush()
    expect(server.calls.length).toBe(calls)
  })

  it('should send a held worker’s items once they sign in again, exactly once each', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.workers.put(worker('a', { token: null }))
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = door()
      ids.push(r.id)
      await saveWorkerItems(d, 'a', { response: r })
    }
    const e = engine(d, server)
    expect((await e.flush()).held).toBe(3)
    expect(server.calls).toHaveLength(0)
    await d.workers.put(worker('a', { token: 'token-a-new' }))
    const out = await e.flush()
    expect(out).toMatchObject({ remaining: 0, held: 0 })
    expect(server.tokens).toEqual(['token-a-new'])
    expect(ids.map((id) => server.rowsFor(id))).toEqual([1, 1, 1])
    // One sent line for the batch's three questionnaires (same campaign and community), counting three.
    const sent = await d.sent.toArray()
    expect(sent.map(sentCount)).toEqual([3])
    expect((await d.workers.get('a'))?.lastSyncAt).toBe(NOW)
  })

  it('should take out only the acknowledged items when another worker’s held items lie between their ids', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.workers.bulkPut([worker('a'), worker('b', { token: null })])
    // Ids are UUIDv7 in saving order: b's item sits between a's first and last in the outbox's key order.
    const [a1, b1, a2] = [1, 2, 3].map((ms) => makeItem({ channel: 'door', id: uuidv7(NOW + ms) }))
    if (!a1 || !b1 || !a2) throw new Error('three items')
    expect([a1.id, b1.id, a2.id]).toEqual([a1.id, b1.id, a2.id].sort())
    await saveWorkerItems(d, 'a', { response: a1 })
    await saveWorkerItems(d, 'b', { response: b1 })
    await saveWorkerItems(d, 'a', { response: a2 })
    const out = await engine(d, server).flush()
    expect(out).toMatchObject({ remaining: 1, held: 1 })
    expect(out.acknowledged.sort()).toEqual([a1.id, a2.id].sort())
    expect((await d.outbox.toArray()).map((r) => r.id)).toEqual([b1.id])
    expect((await d.sent.toArray()).map(sentCount)).toEqual([2])
  })

  it('should hold the items of a worker whose token is past its expiry by the phone’s clock without asking the server', async () => {
    const d = db()
    const server = new ScriptedServer()
    await d.workers.put(worker('a', { expiresAt: new Date(NOW - 1).toISOString() }))
    await saveWorkerItems(d, 'a', { response: door() })
    const out = await engine(d, server).flush()
    expect(out).toMatchObject({ remaining: 1, held: 1 })
    expect(server.calls).toHaveLength(0)
    expect((await d.workers.get('a'))?.signInNeeded).toBe('session_expired')
  })

  it('should refuse to queue a visit whose household key is not a 64-hex HMAC (a raw door number)', async () => {
    const d = db()
    await expect(saveWorkerItems(d, 'a', { visit: { ...visitOf(), householdKey: '3号楼2单元501' } })).rejects.toThrow()
    expect(await d.outbox.count()).toBe(0)
  })
})

describe('database upgrade', () => {
  it('should keep a resident’s queued responses from version 1 and mark them anonymous', async () => {
    const name = freshDbName()
    const v1 = new Dexie(name, { indexedDB, IDBKeyRange })
    v1.version(1).stores({ outbox: 'id, queuedAt', drafts: 'key', attention: 'id, movedAt', meta: 'key' })
    const item = makeItem()
    await v1.table('outbox').put({ id: item.id, queuedAt: 1, item })
    v1.close()
    const d = db(name)
    const rows = await d.outbox.toArray()
    expect(rows).toEqual([{ id: item.id, queuedAt: 1, owner: '', item }])
    expect(await d.outbox.where('owner').equals('').count()).toBe(1)
  })
})
