import { flagsKey } from '@minyi/shared/method'
import type { Flag } from '@minyi/shared/schemas'
import type { ResponseRow } from '../../../../db/queries/responses.ts'
import type { ResponseChecked } from './check.ts'

/** The stored row of a new response: the content columns as checked and hashed, plus the server's side (device, worker, receipt, flags). */
export function responseRow(
  c: ResponseChecked,
  at: { deviceId: string; workerId: string | null; receivedAt: string; flags: Flag[] },
): ResponseRow {
  const { item } = c
  return {
    ...c.columns,
    serial: c.columns.serial ?? null,
    channel: item.channel,
    device_id: at.deviceId,
    worker_id: at.workerId,
    received_at: at.receivedAt,
    flags: flagsKey(at.flags),
    exclusion: item.test ? 'test' : null,
    review: null,
    content_hash: c.hash,
  }
}

/** Insert in id order: two instances inserting overlapping batches then wait on each other instead of deadlocking. */
export function byId(a: ResponseRow, b: ResponseRow): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
