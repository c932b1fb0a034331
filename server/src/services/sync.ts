import { computeFlags, durationSeconds, flagsKey, flagsOfKey, ratedAnswersOf } from '@minyi/shared/method'
import { type ProblemCode, problemMessage } from '@minyi/shared/problems'
import {
  HOUSEHOLD_CODE_PREFIX,
  ResponseItem,
  type SymposiumItem,
  SymposiumItem as SymposiumItemSchema,
  type SyncItemResult,
  type SyncRequest,
} from '@minyi/shared/schemas'
import type { Principal } from '../auth/principal.ts'
import { touchCommunityActivity } from '../db/queries/activity.ts'
import { bumpDeviceCampaigns, upsertDevice } from '../db/queries/devices.ts'
import { getHouseholdCode, useHouseholdCode } from '../db/queries/household-codes.ts'
import {
  bumpHouseholdCounts,
  type ConflictRow,
  findStoredHashes,
  getResponses,
  insertConflicts,
  insertResponses,
  type ResponseRow,
  setResponseStateIf,
} from '../db/queries/responses.ts'
import { findSymposiums, insertSymposiums, type SymposiumRow } from '../db/queries/symposiums.ts'
import { inTransaction, type Q } from '../db/tx.ts'
import { TallyBatch, tallyInputOf } from './aggregates.ts'
import { checkAnswers } from './answers.ts'
import { type CampaignContext, loadCampaignContexts, type VersionInfo } from './campaign-context.ts'
import type { Deps } from './deps.ts'
import { appendToChain, contentHash, type StoredContent } from './evidence.ts'
import { canonicalJson, randomToken, sha256Hex } from './hashing.ts'

type Rejected = { kind: 'rejected'; id: string; code: ProblemCode; message?: string }
type Parsed = Rejected | { kind: 'response'; id: string; item: ResponseItem } | { kind: 'symposium'; id: string; item: SymposiumItem }
type Checked =
  | Rejected
  | {
      kind: 'response'
      id: string
      item: ResponseItem
      ctx: CampaignContext
      version: VersionInfo
      content: StoredContent
      answersJson: string
      hash: string
    }
  | { kind: 'symposium'; id: string; item: SymposiumItem; ctx: CampaignContext; hash: string }
type ResponseChecked = Extract<Checked, { kind: 'response' }>

const rejected = (id: string, code: ProblemCode, message?: string): Rejected => ({
  kind: 'rejected',
  id,
  code,
  ...(message ? { message } : {}),
})

/** The id echoed in a result: the item's own if it sent a string one (bounded), else ''. */
function echoId(raw: unknown): string {
  const id = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id.slice(0, 100) : ''
}

const TIME_FIELDS = new Set(['startedAt', 'submittedAt'])
/** The shape of every question id (shared QuestionId). */
const QUESTION_ID = /^[a-z][a-z0-9_]{0,63}$/

/** Shape check of one item on its own, so one bad item never sinks the batch. */
function parseItem(raw: unknown): Parsed {
  const id = echoId(raw)
  const kind = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { kind?: unknown }).kind : undefined
  if (kind === 'response') {
    // Keys are checked on the raw JSON: `__proto__` would vanish into the prototype when parsed into
    // a record, and the item would pass without the answer it claimed to give.
    const answers = (raw as { answers?: unknown }).answers
    if (answers !== null && typeof answers === 'object' && !Array.isArray(answers)) {
      const odd = Object.keys(answers).find((k) => !QUESTION_ID.test(k))
      if (odd !== undefined) return rejected(id, 'unknown_question', `no question ${JSON.stringify(odd.slice(0, 64))}`)
    }
    const r = ResponseItem.safeParse(raw)
    if (r.success) return { kind: 'response', id: r.data.id, item: r.data }
    const issue = r.error.issues[0]
    const field = String(issue?.path[0] ?? '')
    const code: ProblemCode =
      field === 'id' ? 'invalid_id' : TIME_FIELDS.has(field) ? 'invalid_time' : field === 'answers' ? 'invalid_answer' : 'invalid_item'
    return rejected(id, code, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`.slice(0, 200))
  }
  if (kind === 'symposium') {
    const r = SymposiumItemSchema.safeParse(raw)
    if (r.success) return { kind: 'symposium', id: r.data.id, item: r.data }
    const issue = r.error.issues[0]
    return rejected(
      id,
      issue?.path[0] === 'id' ? 'invalid_id' : 'invalid_item',
      `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`.slice(0, 200),
    )
  }
  return rejected(id, typeof kind === 'string' ? 'unknown_kind' : 'invalid_item')
}

const iso = (s: string) => new Date(s).toISOString()

function storedContent(item: ResponseItem): StoredContent {
  return {
    id: item.id,
    campaignId: item.campaignId,
    questionnaireVersion: item.questionnaireVersion,
    communityId: item.communityId,
    channel: item.channel,
    startedAt: iso(item.startedAt),
    submittedAt: iso(item.submittedAt),
    answers: item.answers,
    householdKey: item.householdKey,
    symposiumId: item.symposiumId,
    test: item.test === true,
    evidence: item.evidence ?? null,
  }
}

export interface IngestOptions {
  /** Record the device's last seen / app version / outbox size (false for a file import: the device did not call). */
  touchDevice: boolean
  /**
   * A file import by staff: an evaluator or admin may bring in a worker's door/paper answers from the
   * worker's exported file (a worker still only for communities assigned to them).
   */
  importing: boolean
}

/** Checks a response against its campaign, version and the caller's rights. */
function checkResponse(item: ResponseItem, ctx: CampaignContext | undefined, principal: Principal, opts: IngestOptions): Checked {
  const id = item.id
  if (!ctx) return rejected(id, 'unknown_campaign')
  if (ctx.row.status === 'draft' || ctx.versions.size === 0) return rejected(id, 'campaign_not_open')
  if (!ctx.communities.has(item.communityId)) return rejected(id, 'unknown_community')
  const version = ctx.versions.get(item.questionnaireVersion)
  if (!version) return rejected(id, 'unknown_version')
  if (item.channel === 'door' || item.channel === 'paper') {
    // PRODUCT.md: door and paper need a worker's credentials, for a community assigned to that worker.
    if (principal.kind !== 'staff') return rejected(id, 'channel_forbidden')
    if (principal.role !== 'worker' && !opts.importing) return rejected(id, 'channel_forbidden')
    if (principal.role === 'worker' && !principal.communityIds.includes(item.communityId)) return rejected(id, 'community_not_assigned')
  }
  if (item.channel === 'symposium' && item.symposiumId === null) return rejected(id, 'unknown_symposium')
  if (Date.parse(item.startedAt) > Date.parse(item.submittedAt)) return rejected(id, 'invalid_time', 'startedAt is after submittedAt')
  const bad = checkAnswers(version, item.answers)
  if (bad) return rejected(id, bad.code, bad.message)
  const content = storedContent(item)
  // Stored as is: canonical (sorted keys), so the evidence check re-derives the same hash from it.
  const answersJson = canonicalJson(item.answers)
  return { kind: 'response', id, item, ctx, version, content, answersJson, hash: contentHash(content, answersJson) }
}

function checkSymposium(item: SymposiumItem, ctx: CampaignContext | undefined, principal: Principal): Checked {
  if (!ctx) return rejected(item.id, 'unknown_campaign')
  // Symposiums are recorded by staff (the recorder); attendees only send rating sheets.
  if (principal.kind !== 'staff') return rejected(item.id, 'channel_forbidden')
  if (item.communityId !== null && !ctx.communities.has(item.communityId)) return rejected(item.id, 'unknown_community')
  return { kind: 'symposium', id: item.id, item, ctx, hash: sha256Hex(canonicalJson(item)) }
}

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

  const campaignIds = new Set<string>()
  for (const p of parsed) if (p.kind !== 'rejected') campaignIds.add(p.item.campaignId)
  let contexts = await loadCampaignContexts(deps, [...campaignIds])
  // A version, community or campaign unknown to a cached context may be brand new: look again before rejecting.
  const stale = parsed.some(
    (p) =>
      p.kind === 'response' &&
      (!contexts.has(p.item.campaignId) ||
        !contexts.get(p.item.campaignId)?.versions.has(p.item.questionnaireVersion) ||
        !contexts.get(p.item.campaignId)?.communities.has(p.item.communityId)),
  )
  if (stale) contexts = await loadCampaignContexts(deps, [...campaignIds], true)

  const checked: Checked[] = parsed.map((p) => {
    if (p.kind === 'response') return checkResponse(p.item, contexts.get(p.item.campaignId), principal, opts)
    if (p.kind === 'symposium') return checkSymposium(p.item, contexts.get(p.item.campaignId), principal)
    return p
  })

  const results = await commit(deps, { principal, req, checked, opts })
  return { results, serverTime: deps.now().toISOString() }
}

interface Job {
  principal: Principal
  req: SyncRequest
  checked: Checked[]
  opts: IngestOptions
}

/** What the batches of one transaction add up together: aggregate deltas and evidence entries. */
interface Shared {
  tallies: TallyBatch
  chains: Map<string, { id: string; hash: string }[]>
  /** (campaign, community) → when a response there was last accepted, for live progress. */
  activity: Map<string, { campaign_id: string; community_id: string; last_received_at: string }>
}

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
function commit(deps: Deps, job: Job): Promise<SyncItemResult[]> {
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

async function storeGroup(deps: Deps, trx: Q, jobs: Job[]): Promise<SyncItemResult[][]> {
  const shared: Shared = { tallies: new TallyBatch(), chains: new Map(), activity: new Map() }
  const results: SyncItemResult[][] = []
  for (const job of jobs) results.push(await store(deps, trx, job, shared))
  await shared.tallies.write(trx)
  await touchCommunityActivity(trx, [...shared.activity.values()])
  const at = deps.now().toISOString()
  for (const campaignId of [...shared.chains.keys()].sort()) await appendToChain(trx, campaignId, shared.chains.get(campaignId) ?? [], at)
  return results
}

async function store(deps: Deps, trx: Q, { principal, req, checked, opts }: Job, shared: Shared): Promise<SyncItemResult[]> {
  const receivedAt = deps.now().toISOString()
  const userId = principal.kind === 'staff' ? principal.userId : null
  if (opts.touchDevice)
    await upsertDevice(trx, {
      id: req.deviceId,
      app_version: req.appVersion,
      last_seen_at: receivedAt,
      outbox_size: req.outboxSize,
      user_id: userId,
    })

  const responseIds = checked.filter((c) => c.kind === 'response').map((c) => c.id)
  const symposiumRefs = new Set<string>()
  for (const c of checked) {
    if (c.kind === 'symposium') symposiumRefs.add(c.id)
    if (c.kind === 'response' && c.item.symposiumId) symposiumRefs.add(c.item.symposiumId)
  }
  const [stored, storedSymposiums] = await Promise.all([findStoredHashes(trx, responseIds), findSymposiums(trx, [...symposiumRefs])])

  const results: SyncItemResult[] = new Array(checked.length)
  /** Hash of every response id known so far: stored, or new earlier in this batch. */
  const known = new Map<string, string>()
  for (const [id, s] of stored) known.set(id, s.hash)
  const newResponses: { index: number; c: ResponseChecked; conflict: boolean }[] = []
  const newById = new Map<string, { conflict: boolean }>()
  const conflicts: ConflictRow[] = []
  const flagStored = new Set<string>()
  const newSymposiums: SymposiumRow[] = []
  const symposiumHash = new Map<string, { campaign: string; hash: string }>()
  for (const [id, s] of storedSymposiums) symposiumHash.set(id, { campaign: s.campaign_id, hash: s.content_hash })

  for (const [index, c] of checked.entries()) {
    if (c.kind === 'rejected') {
      results[index] = { id: c.id, status: 'rejected', code: c.code, message: c.message ?? problemMessage(c.code, 'en') }
      continue
    }
    if (c.kind === 'symposium') {
      const prior = symposiumHash.get(c.id)
      if (prior) {
        results[index] = { id: c.id, status: prior.hash === c.hash ? 'duplicate' : 'conflict' }
        if (prior.hash !== c.hash) conflicts.push(conflictRow(c.id, c.item.campaignId, req.deviceId, c.hash, c.item, receivedAt))
        continue
      }
      symposiumHash.set(c.id, { campaign: c.item.campaignId, hash: c.hash })
      newSymposiums.push(symposiumRow(c.item, c.hash, req.deviceId, receivedAt))
      results[index] = { id: c.id, status: 'created' }
      continue
    }
    const prior = known.get(c.id)
    if (prior !== undefined) {
      if (prior === c.hash) {
        results[index] = { id: c.id, status: 'duplicate' }
      } else {
        results[index] = { id: c.id, status: 'conflict' }
        conflicts.push(conflictRow(c.id, c.item.campaignId, req.deviceId, c.hash, c.item, receivedAt))
        const fresh = newById.get(c.id)
        if (fresh) fresh.conflict = true
        else if (!flagsOfKey(stored.get(c.id)?.flags ?? '').includes('conflict')) flagStored.add(c.id)
      }
      continue
    }
    if (c.item.channel === 'symposium') {
      const s = c.item.symposiumId ? symposiumHash.get(c.item.symposiumId) : undefined
      if (!s || s.campaign !== c.item.campaignId) {
        results[index] = { id: c.id, status: 'rejected', code: 'unknown_symposium', message: problemMessage('unknown_symposium', 'en') }
        continue
      }
    }
    const key = c.item.householdKey
    if (key?.startsWith(HOUSEHOLD_CODE_PREFIX)) {
      const hashOfCode = sha256Hex(key)
      if (!(await useHouseholdCode(trx, c.item.campaignId, hashOfCode, receivedAt))) {
        const code: ProblemCode = (await getHouseholdCode(trx, c.item.campaignId, hashOfCode))
          ? 'household_code_used'
          : 'invalid_household_code'
        results[index] = { id: c.id, status: 'rejected', code, message: problemMessage(code, 'en') }
        continue
      }
    }
    known.set(c.id, c.hash)
    const entry = { index, c, conflict: false }
    newById.set(c.id, entry)
    newResponses.push(entry)
    results[index] = { id: c.id, status: 'created' }
  }

  // Per-device and per-household counters, locked in sorted order; the totals after this batch give
  // each new response its "how many before me" for duplicate_device / duplicate_household.
  const perCampaign = new Map<string, { qr: number; total: number }>()
  for (const c of checked) if (c.kind === 'response' || c.kind === 'symposium') perCampaign.set(c.ctx.row.id, { qr: 0, total: 0 })
  const perHousehold = new Map<string, number>()
  for (const { c } of newResponses) {
    const pc = perCampaign.get(c.item.campaignId)
    if (pc) {
      pc.total++
      if (c.item.channel === 'qr') pc.qr++
    }
    if (c.item.householdKey) {
      const k = `${c.item.campaignId}|${c.item.householdKey}`
      perHousehold.set(k, (perHousehold.get(k) ?? 0) + 1)
    }
  }
  const qrAfter = await bumpDeviceCampaigns(
    trx,
    [...perCampaign].map(([campaign_id, n]) => ({ campaign_id, device_id: req.deviceId, qr: n.qr, total: n.total, at: receivedAt })),
  )
  const householdAfter = await bumpHouseholdCounts(
    trx,
    [...perHousehold].map(([k, count]) => {
      const [campaign_id = '', household_key = ''] = splitOnce(k)
      return { campaign_id, household_key, count }
    }),
  )
  const qrSeen = new Map<string, number>()
  for (const [campaign, n] of perCampaign) qrSeen.set(campaign, (qrAfter.get(campaign) ?? n.qr) - n.qr)
  const householdSeen = new Map<string, number>()
  for (const [k, n] of perHousehold) householdSeen.set(k, (householdAfter.get(k) ?? n) - n)

  const { tallies, chains, activity } = shared
  const rows: ResponseRow[] = []
  for (const { c, conflict } of newResponses) {
    const item = c.item
    const ctx = c.ctx
    const deviceBefore = item.channel === 'qr' ? (qrSeen.get(item.campaignId) ?? 0) : 0
    if (item.channel === 'qr') qrSeen.set(item.campaignId, deviceBefore + 1)
    let seenHousehold = false
    if (item.householdKey) {
      const k = `${item.campaignId}|${item.householdKey}`
      const before = householdSeen.get(k) ?? 0
      seenHousehold = before > 0
      householdSeen.set(k, before + 1)
    }
    const rated = ratedAnswersOf(c.version.questions, item.answers)
    const flags = computeFlags({
      rules: ctx.config.flagRules,
      ratedItemCount: rated.length,
      durationSeconds: durationSeconds(item.startedAt, item.submittedAt),
      ratedAnswers: rated,
      channel: item.channel,
      deviceCountBefore: deviceBefore,
      householdSeen: seenHousehold,
      submittedAt: item.submittedAt,
      receivedAt,
      publishedAt: ctx.row.published_at,
      closesAt: ctx.row.closes_at,
    })
    if (conflict) flags.push('conflict')
    const row: ResponseRow = {
      id: item.id,
      campaign_id: item.campaignId,
      questionnaire_version: item.questionnaireVersion,
      community_id: item.communityId,
      channel: item.channel,
      device_id: req.deviceId,
      worker_id: principal.kind === 'staff' ? principal.userId : null,
      household_key: item.householdKey,
      symposium_id: item.symposiumId,
      started_at: c.content.startedAt,
      submitted_at: c.content.submittedAt,
      received_at: receivedAt,
      answers_json: c.answersJson,
      flags: flagsKey(flags),
      exclusion: item.test ? 'test' : null,
      review: null,
      content_hash: c.hash,
      test: item.test ? 1 : 0,
      evidence_json: item.evidence ? JSON.stringify(item.evidence) : null,
    }
    rows.push(row)
    tallies.add(item.campaignId, c.version.questions, tallyInputOf(row, item.answers))
    activity.set(`${item.campaignId}|${item.communityId}`, {
      campaign_id: item.campaignId,
      community_id: item.communityId,
      last_received_at: receivedAt,
    })
    const chain = chains.get(item.campaignId) ?? []
    chains.set(item.campaignId, chain)
    chain.push({ id: item.id, hash: c.hash })
  }
  // Insert in id order: two instances inserting overlapping batches then wait on each other instead of deadlocking.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  await insertResponses(trx, rows)

  if (flagStored.size > 0) await flagConflicts(trx, [...flagStored].sort(), contexts(checked), tallies)
  await insertConflicts(trx, conflicts)
  await insertSymposiums(trx, newSymposiums)
  return results
}

function contexts(checked: Checked[]): Map<string, CampaignContext> {
  const out = new Map<string, CampaignContext>()
  for (const c of checked) if (c.kind !== 'rejected') out.set(c.ctx.row.id, c.ctx)
  return out
}

/**
 * A stored response got a different payload under its id: it keeps its content and gains the
 * `conflict` flag, and its aggregate rows move from the old flags to the new. The update is
 * conditional on the flags read, so a concurrent instance that flagged it first wins and this one skips.
 */
async function flagConflicts(trx: Q, ids: string[], ctxs: Map<string, CampaignContext>, tallies: TallyBatch): Promise<void> {
  for (const row of await getResponses(trx, ids)) {
    const flags = flagsOfKey(row.flags)
    if (flags.includes('conflict')) continue
    const questions = ctxs.get(row.campaign_id)?.versions.get(Number(row.questionnaire_version))?.questions
    if (!questions) continue
    const next = flagsKey([...flags, 'conflict'])
    if (!(await setResponseStateIf(trx, row.id, { flags: row.flags, exclusion: row.exclusion, review: row.review }, { flags: next })))
      continue
    const answers = JSON.parse(row.answers_json)
    tallies.add(row.campaign_id, questions, tallyInputOf(row, answers), -1)
    tallies.add(row.campaign_id, questions, tallyInputOf({ ...row, flags: next }, answers))
  }
}

function conflictRow(id: string, campaignId: string, deviceId: string, hash: string, payload: unknown, at: string): ConflictRow {
  return {
    id: randomToken(22),
    response_id: id,
    campaign_id: campaignId,
    device_id: deviceId,
    content_hash: hash,
    payload_json: JSON.stringify(payload),
    received_at: at,
  }
}

function symposiumRow(s: SymposiumItem, hash: string, deviceId: string, at: string): SymposiumRow {
  return {
    id: s.id,
    campaign_id: s.campaignId,
    community_id: s.communityId,
    street_id: s.streetId,
    title: s.title,
    date: s.date,
    place: s.place,
    host: s.host,
    recorder: s.recorder,
    attendees_json: JSON.stringify(s.attendees),
    remarks_json: JSON.stringify(s.remarks),
    content_hash: hash,
    device_id: deviceId,
    received_at: at,
  }
}

function splitOnce(k: string): [string, string] {
  const i = k.indexOf('|')
  return [k.slice(0, i), k.slice(i + 1)]
}
