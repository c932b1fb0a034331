import { type ProblemCode, problemMessage } from '@minyi/shared/problems'
import type { SyncItemResult, SyncRequest } from '@minyi/shared/schemas'
import type { Principal } from '../../auth/principal.ts'
import type { ConflictRow } from '../../db/queries/conflicts.ts'
import type { Q } from '../../db/tx.ts'
import type { TallyBatch } from '../aggregates.ts'
import type { CampaignContext } from '../campaign-context.ts'
import type { Deps } from '../deps.ts'

/**
 * What a sync item kind provides (see `kinds/index.ts` for the registry). A kind is one module that
 * parses, checks and stores its items; the steps in `index.ts` call every kind the same way, so a new
 * kind is a new module plus one line in the registry.
 */
export interface ItemKind<P extends ParsedItem = ParsedItem, C extends CheckedItem = CheckedItem> {
  /** The item's `kind` field. */
  readonly kind: string
  /** Shape check of one raw item with its shared zod schema; a failure names the stable code of the first problem. */
  parse(raw: unknown, id: string): P | Rejected
  /**
   * True when a cached campaign context may be too old for this item (it names a version or
   * community the cache does not know yet): the contexts are then loaded fresh before anything is rejected.
   */
  isStale?(item: P, ctx: CampaignContext | undefined): boolean
  /**
   * The rules against the item's campaign (undefined: no such campaign) and the caller's rights.
   * Build the checked item as an object literal with every field, not `{ ...parsed, … }`: spreading
   * cost ingest ~10 µs of CPU per response (the checked items are read many times downstream).
   */
  check(item: P, ctx: CampaignContext | undefined, principal: Principal, opts: IngestOptions): C | Rejected
  /** This kind's writer for one batch, inside the batch's transaction. */
  writer(batch: Batch): KindWriter<C>
}
// The methods above are written as methods (not function-valued properties) on purpose: TypeScript
// checks method parameters bivariantly, so `ItemKind<ResponseParsed, ResponseChecked>` fits the
// registry's `ItemKind[]`. The registry only ever hands a kind the items it parsed itself.

/** Stores one kind's items of a batch, in three steps that the store step runs for every kind. */
export interface KindWriter<C extends CheckedItem = CheckedItem> {
  /** Reads what `decide` needs (stored hashes…). The loads of all kinds run together. */
  load(items: C[]): Promise<void>
  /** One item, in the order of the batch: created, duplicate, conflict or rejected. */
  decide(item: C): Promise<SyncItemResult>
  /** Writes what `decide` accepted. Runs after the device counters, kind by kind in registry order. */
  write(): Promise<void>
}

/** An item whose shape passed its kind's schema. */
export interface ParsedItem {
  kind: string
  id: string
  campaignId: string
}

/** An item that passed its kind's checks. */
export interface CheckedItem extends ParsedItem {
  ctx: CampaignContext
  /** Content hash: equal under a known id is a replay (`duplicate`), different is a `conflict`. */
  hash: string
  /** A symposium this item names: looked up with the batch's symposiums (see `Batch.symposiums`). */
  symposiumRef: string | null
}

export interface Rejected {
  kind: 'rejected'
  id: string
  code: ProblemCode
  message?: string
}

/** Told apart by `kind` (no item kind may be called 'rejected'). */
export function isRejected(x: ParsedItem | Rejected): x is Rejected {
  return x.kind === 'rejected'
}

export const rejected = (id: string, code: ProblemCode, message?: string): Rejected => ({
  kind: 'rejected',
  id,
  code,
  ...(message ? { message } : {}),
})

/** The answer for a rejected item: the code, and the given message or the catalogue's English one. */
export function rejectedResult(id: string, code: ProblemCode, message?: string): SyncItemResult {
  return { id, status: 'rejected', code, message: message ?? problemMessage(code, 'en') }
}

export interface IngestOptions {
  /** Record the device's last seen / app version / outbox size (false for a file import: the device did not call). */
  touchDevice: boolean
  /**
   * A file import by staff: an evaluator or admin may bring in a worker's door/paper answers from the
   * worker's exported file (a worker still only for communities assigned to them).
   */
  importing: boolean
  /**
   * The keyed hash of the caller's network address (`keys.ts` addressKey), for `network_burst`; absent
   * for a file import and the demo (no network caller), then no QR response counts towards a burst.
   */
  networkKey?: string
}

/** What the batches of one transaction add up together (written once, after all of them; see `commit.ts`). */
export interface Group {
  /** Aggregate deltas. */
  tallies: TallyBatch
  /** Per campaign, the evidence entries of the responses accepted, in order. */
  chains: Map<string, { id: string; hash: string }[]>
  /** (campaign, community) → when a response there was last accepted, for live progress. */
  activity: Map<string, { campaign_id: string; community_id: string; last_received_at: string }>
}

/** One sync envelope being stored, inside its transaction: what every kind's writer may read and add to. */
export interface Batch {
  deps: Deps
  trx: Q
  principal: Principal
  req: SyncRequest
  opts: IngestOptions
  receivedAt: string
  /** Every item of the envelope that passed its checks, in order. */
  items: CheckedItem[]
  group: Group
  /** Rows for a payload that differs from the one stored under its id; written after the kinds. */
  conflicts: ConflictRow[]
  /**
   * Symposiums known so far: stored, or created earlier in this batch. The symposium kind loads the
   * ones any item refers to (`symposiumRef`) and adds the ones it creates; other kinds read it.
   */
  symposiums: Map<string, { campaign: string; hash: string; community: string | null; street: string | null }>
  /** Per campaign touched by the batch: the responses this device sent that were created, and how many by QR. */
  deviceCounts: Map<string, { qr: number; total: number }>
  /** Per campaign: QR responses from this device stored before this batch (known once `decide` has run for all items). */
  qrBefore: Map<string, number>
}
