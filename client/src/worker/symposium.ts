import { followUpHead } from '@minyi/shared/ledger'
import type { AttendeeCategory, FollowUp, FollowUpItem, RemarkBody, RemarkItem, SymposiumItem } from '@minyi/shared/schemas'
import { uuidv7 } from '@minyi/shared/uuid'
import type { CacheRow, LocalSymposium } from '../db/index.ts'
import type { WorkerSave } from '../sync/outbox.ts'

// A recorder's symposium on the phone (C4), no Vue: each step is one outbox item with its own UUIDv7
// (the symposium, each remark, each change of a follow-up; docs/SERVER.md), saved together with the
// phone's copy of the symposium so the recorder can go on adding remarks and changes offline.

export const cacheKey = (workerId: string, symposiumId: string) => `symposium:${workerId}:${symposiumId}`
/** The key prefix of one worker's symposiums in the phone's cache. */
export const cachePrefix = (workerId: string) => `symposium:${workerId}:`

export interface SymposiumHeader {
  campaignId: string
  title: string
  date: string
  place: string
  communityId: string
  host: string
  recorder: string
  attendees: Record<AttendeeCategory, number>
}

/**
 * The phone's copy as a plain object: the screens hand in Vue's reactive proxies, which IndexedDB
 * cannot store (DataCloneError), so the copy is made of plain data first.
 */
const local = (workerId: string, value: LocalSymposium, at: Date): CacheRow => ({
  key: cacheKey(workerId, value.symposium.id),
  kind: 'symposium',
  fetchedAt: at.getTime(),
  value: JSON.parse(JSON.stringify(value)) as LocalSymposium,
})

/** A new symposium: its record (remarks come as their own items) and the phone's copy. */
export function newSymposium(workerId: string, h: SymposiumHeader, at: Date): WorkerSave & { value: LocalSymposium } {
  const symposium: SymposiumItem = {
    kind: 'symposium',
    id: uuidv7(at.getTime()),
    campaignId: h.campaignId,
    title: h.title.trim(),
    date: h.date,
    place: h.place.trim(),
    communityId: h.communityId,
    streetId: null,
    host: h.host.trim(),
    recorder: h.recorder.trim(),
    attendees: h.attendees,
    remarks: [],
  }
  const value: LocalSymposium = { symposium, remarks: [], sheets: 0 }
  return { record: symposium, local: local(workerId, value, at), value }
}

/** A remark said at the symposium (with its follow-up, if any), as its own `remark` item. */
export function addRemark(workerId: string, s: LocalSymposium, body: RemarkBody, at: Date): WorkerSave & { value: LocalSymposium } {
  const item: RemarkItem = {
    kind: 'remark',
    id: uuidv7(at.getTime()),
    campaignId: s.symposium.campaignId,
    symposiumId: s.symposium.id,
    remark: { ...body, text: body.text.trim() },
  }
  const value: LocalSymposium = { ...s, remarks: [...s.remarks, { item, changes: [] }] }
  return { record: item, local: local(workerId, value, at), value }
}

type LocalRemark = LocalSymposium['remarks'][number]

/** The changes of a remark's follow-up known on this phone, its first follow-up included (id = the remark's). */
function changesOf(r: LocalRemark) {
  const first = r.item.remark.followUp ? [{ id: r.item.id, base: null, changedAt: '', followUp: r.item.remark.followUp }] : []
  return [...first, ...r.changes.map((c) => ({ id: c.id, base: c.base, changedAt: c.changedAt, followUp: c.followUp }))]
}

/** A remark's follow-up as this phone last knows it (the shared rule of the ledger). */
export function currentFollowUp(r: LocalRemark): FollowUp | null {
  return followUpHead(changesOf(r))?.followUp ?? null
}

/** A change of a remark's follow-up, on top of the one this phone saw last, as its own `follow_up` item. */
export function changeFollowUp(
  workerId: string,
  s: LocalSymposium,
  remarkId: string,
  followUp: FollowUp,
  note: string,
  at: Date,
): WorkerSave & { value: LocalSymposium } {
  const r = s.remarks.find((x) => x.item.id === remarkId)
  if (!r) throw new Error(`no remark ${remarkId} on this phone`)
  const item: FollowUpItem = {
    kind: 'follow_up',
    id: uuidv7(at.getTime()),
    campaignId: s.symposium.campaignId,
    remarkId,
    base: followUpHead(changesOf(r))?.id ?? null,
    followUp,
    note: note.trim(),
    changedAt: at.toISOString(),
  }
  const value: LocalSymposium = {
    ...s,
    remarks: s.remarks.map((x) => (x.item.id === remarkId ? { ...x, changes: [...x.changes, item] } : x)),
  }
  return { record: item, local: local(workerId, value, at), value }
}

/** One more rating sheet typed on this phone (the count shown on the symposium's screen). */
export function countSheet(workerId: string, s: LocalSymposium, at: Date): CacheRow {
  return local(workerId, { ...s, sheets: s.sheets + 1 }, at)
}
