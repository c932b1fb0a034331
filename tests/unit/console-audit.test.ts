import { describe, expect, it } from 'vitest'
import { AUDIT_NOUNS, auditQuery, changeSummary, NO_FILTERS } from '../../client/src/console/logic/audit.ts'

describe('console audit page rules', () => {
  it('should build the query of the filters, days as Shanghai day bounds', () => {
    expect(auditQuery(NO_FILTERS)).toBe('')
    const q = new URLSearchParams(
      auditQuery({ ...NO_FILTERS, action: 'staff', fromDay: '2026-03-01', toDay: '2026-03-02' }, { limit: '50' }),
    )
    expect(Object.fromEntries(q)).toEqual({
      action: 'staff',
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-03-02T15:59:59.999Z',
      limit: '50',
    })
  })

  it('should group the actions by noun', () => {
    expect(AUDIT_NOUNS.slice(0, 4)).toEqual(['auth', 'session', 'staff', 'token'])
    expect(new Set(AUDIT_NOUNS).size).toBe(AUDIT_NOUNS.length)
  })

  it('should summarise the changed keys', () => {
    expect(changeSummary({ name: '王五' }, { name: '王五五' })).toBe('name: 王五 → 王五五')
    expect(changeSummary(null, { communityId: 'c1', count: 3 })).toBe('communityId: c1; count: 3')
    expect(changeSummary({ revokedAt: null }, { revokedAt: '2026-03-02T01:00:00.000Z' })).toBe('revokedAt: null → 2026-03-02T01:00:00.000Z')
    expect(changeSummary(null, null)).toBe('')
    expect(changeSummary(null, { text: 'x'.repeat(500) }, 20)).toHaveLength(20)
  })
})
