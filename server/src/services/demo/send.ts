import type { Principal } from '../../auth/principal.ts'
import type { Deps } from '../deps.ts'
import { ingest } from '../sync/index.ts'
import type { DemoBatch } from './sample.ts'

/** `deps` with its clock stopped at `ms`: the server's time when that step happened. */
export function dated(deps: Deps, ms: number): Deps {
  return { ...deps, now: () => new Date(ms) }
}

/**
 * Sends the sample's batches through the sync service, each with the server clock at its arrival.
 * A device's batches go one after the other (its duplicate counts depend on the order), and a batch
 * that needs an item waits until that item is stored. On PostgreSQL up to `parallel` independent
 * batches are in flight, as several phones would be; on SQLite one at a time, because its group commit
 * stamps every batch written together with one receive time.
 */
export async function sendBatches(
  deps: Deps,
  batches: readonly DemoBatch[],
  principalOf: (batch: DemoBatch) => Promise<Principal>,
  onStored: (batch: DemoBatch) => Promise<void>,
): Promise<void> {
  const parallel = deps.db.dialect === 'sqlite' ? 1 : 8
  const lastOfDevice = new Map<string, Promise<void>>()
  const storedItem = new Map<string, Promise<void>>()
  const running = new Set<Promise<void>>()
  let failure: unknown = null
  for (const batch of batches) {
    while (running.size >= parallel) await Promise.race(running)
    if (failure) break
    const before = [lastOfDevice.get(batch.deviceId), batch.after ? storedItem.get(batch.after) : undefined]
    const done = Promise.all(before).then(async () => {
      const principal = await principalOf(batch)
      const req = { deviceId: batch.deviceId, appVersion: 'demo', outboxSize: 0, items: batch.items }
      const { results } = await ingest(dated(deps, batch.at), principal, req)
      const refused = results.filter((r) => r.status !== 'created')
      // The sample is fixed: anything but `created` is a bug in the generator, not a resident's mistake.
      if (refused.length > 0) throw new Error(`demo sample refused by sync: ${JSON.stringify(refused.slice(0, 3))}`)
      await onStored(batch)
    })
    const tracked = done.catch((err) => {
      failure ??= err
    })
    running.add(tracked)
    void tracked.then(() => running.delete(tracked))
    lastOfDevice.set(batch.deviceId, done)
    for (const item of batch.items) storedItem.set(item.id, done)
  }
  await Promise.all(running)
  if (failure) throw failure
}
