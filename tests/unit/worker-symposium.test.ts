import { concurrentChanges, followUpHead, isOverdue } from '@minyi/shared/ledger'
import { FollowUpItem, RemarkItem, SymposiumItem } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { saveWorkerItems } from '../../client/src/sync/outbox.ts'
import { addRemark, cachePrefix, changeFollowUp, countSheet, currentFollowUp, newSymposium } from '../../client/src/worker/symposium.ts'
import { databasesPerTest } from './sync-helpers.ts'

// A recorder's symposium on the phone (C4): every step one outbox item with its own UUIDv7, saved with
// the phone's copy; follow-up changes on top of the one the phone saw last; the ledger's shared rules.

const db = databasesPerTest()
const T = Date.parse('2026-05-01T08:00:00.000Z')
const at = (s: number) => new Date(T + s * 1000)
const header = {
  campaignId: '0190c1d2-0000-7000-8000-000000000001',
  title: ' 社区座谈会 ',
  date: '2026-05-01',
  place: '党群服务中心',
  communityId: '0190c1d2-0000-7000-8000-000000000002',
  host: '王书记',
  recorder: '李干事',
  attendees: { party_member: 3, resident: 8, unit: 1, cadre: 2, other: 0 },
}

describe('recorder’s symposium on the phone', () => {
  it('should make a symposium, remarks and follow-up changes each its own valid item, chained by base', () => {
    const s = newSymposium('w1', header, at(0))
    expect(SymposiumItem.parse(s.record)).toMatchObject({ title: '社区座谈会', remarks: [], streetId: null })
    const r1 = addRemark(
      'w1',
      s.value,
      {
        speakerCategory: 'resident',
        kind: 'problem',
        text: '路灯坏了',
        followUp: { owner: '物业', dueDate: '2026-05-10', status: 'todo' },
      },
      at(1),
    )
    const r2 = addRemark('w1', r1.value, { speakerCategory: 'cadre', kind: 'praise', text: '好', followUp: null }, at(2))
    const remarkId = RemarkItem.parse(r1.record).id
    expect(r2.value.remarks.map((r) => r.item.remark.text)).toEqual(['路灯坏了', '好'])

    const c1 = changeFollowUp('w1', r2.value, remarkId, { owner: '物业', dueDate: '2026-05-10', status: 'in_progress' }, ' 已派人 ', at(3))
    const first = FollowUpItem.parse(c1.record)
    // The first change builds on the remark as recorded (its first follow-up has the remark's id).
    expect(first).toMatchObject({ base: remarkId, note: '已派人', remarkId })
    const c2 = changeFollowUp('w1', c1.value, remarkId, { owner: '物业', dueDate: null, status: 'done' }, '修好了', at(4))
    expect(FollowUpItem.parse(c2.record).base).toBe(first.id)
    const remark = c2.value.remarks[0]
    expect(remark && currentFollowUp(remark)).toEqual({ owner: '物业', dueDate: null, status: 'done' })
    // A remark without a follow-up: the first change has base null (the remark as recorded).
    const other = r2.value.remarks[1]?.item.id ?? ''
    expect(
      FollowUpItem.parse(changeFollowUp('w1', c2.value, other, { owner: 'x', dueDate: null, status: 'todo' }, '', at(5)).record).base,
    ).toBeNull()
    expect(countSheet('w1', c2.value, at(6)).value).toMatchObject({ sheets: 1 })
  })

  it('should queue the record and keep the phone’s copy in one transaction', async () => {
    const d = db()
    const s = newSymposium('w1', header, at(0))
    await saveWorkerItems(d, 'w1', s, T)
    const r = addRemark('w1', s.value, { speakerCategory: 'resident', kind: 'suggestion', text: '多办活动', followUp: null }, at(1))
    await saveWorkerItems(d, 'w1', r, T + 1000)
    const queued = await d.outbox.orderBy('queuedAt').toArray()
    expect(queued.map((q) => [q.owner, q.item.kind])).toEqual([
      ['w1', 'symposium'],
      ['w1', 'remark'],
    ])
    const kept = await d.cache.where('key').startsWith(cachePrefix('w1')).toArray()
    expect(kept).toHaveLength(1)
    expect(kept[0]?.kind === 'symposium' && kept[0].value.remarks.length).toBe(1)
    // Something not a recorder's item is refused before anything is written.
    await expect(saveWorkerItems(d, 'w1', { record: { kind: 'visit' } }, T)).rejects.toThrow()
    expect(await d.outbox.count()).toBe(2)
  })

  it('should pick the latest leaf of a change tree whatever the order, and mark siblings as concurrent', () => {
    const changes = [
      { id: 'r', base: null, changedAt: '2026-05-01T00:00:00Z' },
      { id: 'b', base: 'r', changedAt: '2026-05-02T00:00:00Z' },
      { id: 'a', base: 'r', changedAt: '2026-05-03T00:00:00Z' },
      { id: 'c', base: 'b', changedAt: '2026-05-01T12:00:00Z' },
    ]
    expect(followUpHead(changes)?.id).toBe('a')
    expect(followUpHead([...changes].reverse())?.id).toBe('a')
    expect([...concurrentChanges(changes)].sort()).toEqual(['a', 'b'])
    expect(followUpHead([])).toBeNull()
    expect(isOverdue({ dueDate: '2026-05-01', status: 'todo' }, '2026-05-02')).toBe(true)
    expect(isOverdue({ dueDate: '2026-05-01', status: 'done' }, '2026-05-02')).toBe(false)
    expect(isOverdue({ dueDate: '2026-05-02', status: 'todo' }, '2026-05-02')).toBe(false)
    expect(isOverdue(null, '2026-05-02')).toBe(false)
  })
})
