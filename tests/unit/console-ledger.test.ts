import { FollowUpItem, type LedgerEntry } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { changeFormOf, changeItem, emptyLedgerFilter, filterLedger, ledgerOwners } from '../../client/src/console/logic/ledger.ts'

// The console's 整改台账: its filters, and a staff change as the follow_up item it becomes.

const C1 = '0190c1d2-0000-7000-8000-0000000000c1'
const C2 = '0190c1d2-0000-7000-8000-0000000000c2'
let n = 0
function entry(over: Partial<LedgerEntry>): LedgerEntry {
  n++
  const id = `0190c1d2-0000-7000-8000-${String(n).padStart(12, '0')}`
  return {
    remarkId: id,
    symposiumId: '0190c1d2-0000-7000-8000-0000000000aa',
    symposiumTitle: '座谈会',
    symposiumDate: '2026-05-01',
    communityId: C1,
    streetId: null,
    speakerCategory: 'resident',
    kind: 'problem',
    text: `意见${n}`,
    public: false,
    followUp: { owner: '物业公司', dueDate: '2026-05-10', status: 'todo' },
    head: id,
    lastChangedAt: '2026-05-01T08:00:00.000Z',
    overdue: false,
    conflict: false,
    history: [],
    ...over,
  }
}

describe('console ledger logic', () => {
  const entries = [
    entry({ text: 'a' }),
    entry({ text: 'b', kind: 'suggestion', followUp: { owner: '街道办', dueDate: null, status: 'done' } }),
    entry({ text: 'c', followUp: null, kind: 'praise', communityId: C2 }),
    entry({ text: 'd', overdue: true, followUp: { owner: '物业公司', dueDate: '2026-04-01', status: 'in_progress' } }),
  ]
  const texts = (f: Partial<ReturnType<typeof emptyLedgerFilter>>) =>
    filterLedger(entries, { ...emptyLedgerFilter(), ...f }).map((e) => e.text)

  it('should filter by status, kind, community, owner and overdue, each alone and together', () => {
    expect(texts({})).toEqual(['a', 'b', 'c', 'd'])
    expect(texts({ status: 'todo' })).toEqual(['a'])
    expect(texts({ status: 'none' })).toEqual(['c'])
    expect(texts({ kind: 'suggestion' })).toEqual(['b'])
    expect(texts({ communityId: C2 })).toEqual(['c'])
    expect(texts({ owner: ' 物业 ' })).toEqual(['a', 'd'])
    expect(texts({ overdue: true })).toEqual(['d'])
    expect(texts({ owner: '物业', status: 'in_progress', kind: 'problem', communityId: C1, overdue: true })).toEqual(['d'])
    expect(ledgerOwners(entries)).toEqual(['物业公司', '街道办'].sort())
  })

  it('should turn a change into a follow_up item on top of the entry’s current change', () => {
    const e = entries[3] as LedgerEntry
    const form = { ...changeFormOf(e), status: 'done' as const, dueDate: '', note: ' 已办结 ' }
    const item = FollowUpItem.parse(
      changeItem('0190c1d2-0000-7000-8000-0000000000ff', e, form, '0190c1d2-0000-7000-8000-0000000000ee', new Date('2026-05-02T00:00:00Z')),
    )
    expect(item).toMatchObject({
      base: e.head,
      remarkId: e.remarkId,
      followUp: { owner: '物业公司', dueDate: null, status: 'done' },
      note: '已办结',
    })
    expect(changeFormOf(entries[2] as LedgerEntry)).toEqual({ status: 'todo', owner: '', dueDate: '', note: '' })
  })
})
