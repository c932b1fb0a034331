import { ResponseItem, SyncItem, VisitItem } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'

// The visit sync item of PRODUCT.md Contracts, shared by the worker app and the server.

const KEY = 'ab'.repeat(32)
const visit = (over: Record<string, unknown> = {}) => ({
  kind: 'visit',
  id: '0190f1a2-3b4c-7d5e-8f60-718293a4b5c6',
  campaignId: '5d9c1b9e-3f7a-4b8e-9a56-2c4d6e8f0a1b',
  communityId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  householdKey: KEY,
  outcome: 'not_home',
  visitedAt: '2024-05-01T09:30:00+08:00',
  responseId: null,
  ...over,
})

describe('visit sync item', () => {
  it('should accept the contract shape and default responseId to null when absent', () => {
    const { responseId: _, ...rest } = visit()
    expect(VisitItem.parse(rest).responseId).toBeNull()
    expect(SyncItem.parse(visit()).kind).toBe('visit')
  })

  it('should accept a completed visit that names its response', () => {
    const v = VisitItem.parse(visit({ outcome: 'completed', responseId: '0190f1a2-3b4c-7d5e-8f60-000000000001' }))
    expect(v.responseId).toBe('0190f1a2-3b4c-7d5e-8f60-000000000001')
  })

  it('should refuse a response named by a visit that was not completed', () => {
    const r = VisitItem.safeParse(visit({ outcome: 'refused', responseId: '0190f1a2-3b4c-7d5e-8f60-000000000001' }))
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['responseId'])
  })

  it('should refuse a raw door number as the household key', () => {
    const r = VisitItem.safeParse(visit({ householdKey: '3号楼2单元501' }))
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['householdKey'])
  })

  it('should refuse an outcome outside the four', () => {
    expect(VisitItem.safeParse(visit({ outcome: 'moved' })).success).toBe(false)
  })

  it('should round a finer position to 3 decimals when evidence is given', () => {
    const v = VisitItem.parse(visit({ evidence: { lat: 31.230416, lng: 121.473701, accuracyM: 12 } }))
    expect(v.evidence).toEqual({ lat: 31.23, lng: 121.474, accuracyM: 12 })
    const r = ResponseItem.shape.evidence.parse({ lat: -33.86789, lng: 179.9996, accuracyM: 0 })
    expect(r).toEqual({ lat: -33.868, lng: 180, accuracyM: 0 })
  })
})
