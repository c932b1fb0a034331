import type { SyncItemResult } from '@minyi/shared/schemas'
import { touchCommunityActivity } from '../../db/queries/activity.ts'
import { inTransaction, type Q } from '../../db/tx.ts'
import { TallyBatch } from '../aggregates.ts'
import type { Deps } from '../deps.ts'
import { appendToChain } from '../evidence.ts'
import { serverKeys } from '../keys.ts'
import type { Group } from './kind.ts'
import { type Job, store } from './store.ts'

/** At most this many batches share one transaction. */
const MAX_GROUP = 8

interface Pending extends Job {
  resolve: (results: SyncItemResult[]) => void
  reject: (err: unknown) => void
}
const queues = new WeakMap<object, { pending: Pending[]; draining: boolean }>()

/**
 * Writes a checked batch. On SQLite, where writes are serialised anyway, batches that arrive while a
 * transaction runs wait and are then written together in the next one (group commit): each batch is
 * still entirely inside one transaction, and the overlapping aggregate rows of the group are upserted
 * once and committed once, which is where most of ingest's database time went. On PostgreSQL every
 * batch has its own transaction, so instances and connections work in parallel.
 */
export function commit(deps: Deps, job: Job): Promise<SyncItemResult[]> {
  if (deps.db.dialect !== 'sqlite') return inTransaction(deps.db, async (trx) => (await storeGroup(deps, trx, [job]))[0] ?? [])
  let queue = queues.get(deps.db)
  if (!queue) {
    queue = { pending: [], draining: false }
    queues.set(deps.db, queue)
  }
  const q = queue
  return new Promise((resolve, reject) => {
    q.pending.push({ ...job, resolve, reject })
    // Start on the next turn of the event loop, so that batches whose bodies have already arrived
    // are parsed and queued first (the SQLite driver never yields inside a transaction).
    if (!q.draining) {
      q.draining = true
      setImmediate(() => void drain(deps, q))
    }
  })
}

async function drain(deps: Deps, q: { pending: Pending[]; draining: boolean }): Promise<void> {
  try {
    while (q.pending.length > 0) {
      const group = q.pending.splice(0, MAX_GROUP)
      try {
        const results = await inTransaction(deps.db, (trx) => storeGroup(deps, trx, group))
        for (const [i, job] of group.entries()) job.resolve(results[i] ?? [])
      } catch (err) {
        if (group.length === 1) group[0]?.reject(err)
        // One batch's failure must not fail the others: write them one by one.
        else
          for (const job of group) {
            try {
              job.resolve((await inTransaction(deps.db, (trx) => storeGroup(deps, trx, [job])))[0] ?? [])
            } catch (e) {
              job.reject(e)
            }
          }
      }
    }
  } finally {
    q.draining = false
  }
}

/** The batches of one transaction, then what they add up to: aggregates, activity, evidence (chains locked in campaign order). */
async function storeGroup(deps: Deps, trx: Q, jobs: Job[]): Promise<SyncItemResult[][]> {
  const group: Group = { tallies: new TallyBatch(), chains: new Map(), activity: new Map() }
  const results: SyncItemResult[][] = []
  for (const job of jobs) results.push(await store(deps, trx, job, group))
  await group.tallies.write(trx)
  await touchCommunityActivity(trx, [...group.activity.values()])
  const at = deps.now().toISOString()
  const keys = serverKeys(deps.env)
  for (const campaignId of [...group.chains.keys()].sort())
    await appendToChain(trx, keys, campaignId, group.chains.get(campaignId) ?? [], at)
  return results
}
