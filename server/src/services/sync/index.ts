import type { SyncItemResult, SyncRequest } from '@minyi/shared/schemas'
import type { Principal } from '../../auth/principal.ts'
import type { Deps } from '../deps.ts'
import { checkItem, loadContexts } from './check.ts'
import { commit } from './commit.ts'
import type { IngestOptions } from './kind.ts'
import { parseItem } from './parse.ts'

export type { IngestOptions } from './kind.ts'

/*
 * How an envelope of `POST /api/v1/sync` (and each chunk of a file import) runs, in order:
 *  1. parse.ts   each item on its own, by its kind (kinds/): its shared zod schema, a stable code if it fails;
 *  2. check.ts   load the campaigns named (cached, fresh if stale); each item against its campaign and the caller;
 *  3. commit.ts  one transaction (group commit on SQLite: several envelopes share it);
 *  4. store.ts   inside it: the device's call, every kind's reads, each item decided in order
 *                (created / duplicate / conflict / rejected), the device's counters, every kind's writes
 *                (responses: rows.ts + flags.ts), the conflicting payloads;
 *  5. commit.ts  then the group's aggregates, community activity and evidence chains, once.
 * Item kinds are modules registered in kinds/index.ts; what a kind provides is in kind.ts.
 */

export interface IngestResult {
  results: SyncItemResult[]
  serverTime: string
}

/**
 * `POST /api/v1/sync` for one envelope (≤ 100 items). Every item gets one result, in order.
 * Accepted responses, their aggregate deltas and their evidence entries are written in one
 * transaction. Concurrency between instances: an id stored by another instance meanwhile fails the
 * INSERT, and the whole batch is retried (it then reads as a duplicate); counters and chain heads are
 * locked in a fixed order, so two instances never deadlock.
 */
export async function ingest(
  deps: Deps,
  principal: Principal,
  req: SyncRequest,
  opts: IngestOptions = { touchDevice: true, importing: false },
): Promise<IngestResult> {
  const parsed = req.items.map(parseItem)
  const contexts = await loadContexts(deps, parsed)
  const checked = parsed.map((p) => checkItem(p, contexts, principal, opts))
  const results = await commit(deps, { principal, req, checked, opts })
  return { results, serverTime: deps.now().toISOString() }
}
