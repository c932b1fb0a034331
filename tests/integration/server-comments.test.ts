import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, rng, setupCampaign, sync, templateAnswers } from './server-harness.ts'

// C5 comments: free-text answers, newest first, searchable, paged with a cursor; returned as data.

describe.each(DIALECTS)('comments on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  const TEXTS = ['楼道灯坏了很久', '希望多组织老年活动', '<script>alert(1)</script> 垃圾分类点太远', '', '楼道堆物需要清理', '  ']
  let ids: string[]
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
    const random = rng(5)
    ids = []
    for (const [i, text] of TEXTS.entries()) {
      h.clock.advance(60_000)
      const item = responseItem(h, s, { answers: { ...templateAnswers(random), ...(text ? { q_suggestions: text } : {}) } })
      ids.push(item.id)
      expect((await sync(h, [item], { deviceId: `comment-device-${i}` })).body.results[0].status).toBe('created')
    }
  })
  afterEach(async () => {
    await h.close()
  })

  const get = (query: string) => h.call('GET', `/api/v1/campaigns/${s.campaignId}/comments${query}`, { token: s.evaluator.token })

  it('should list every non-empty comment, newest first, as the text typed', async () => {
    const r = await get('')
    expect(r.status).toBe(200)
    expect(r.body.next).toBeNull()
    expect(r.body.comments.map((c: { text: string }) => c.text)).toEqual([
      '楼道堆物需要清理',
      TEXTS[2],
      '希望多组织老年活动',
      '楼道灯坏了很久',
    ])
    expect(r.body.comments[0]).toMatchObject({
      responseId: ids[4],
      questionId: 'q_suggestions',
      channel: 'qr',
      communityId: s.communityIds[0],
    })
  })

  it('should find by a case-insensitive substring and page with the cursor', async () => {
    const found = await get(`?q=${encodeURIComponent('楼道')}`)
    expect(found.body.comments.map((c: { responseId: string }) => c.responseId)).toEqual([ids[4], ids[0]])
    expect((await get('?q=SCRIPT')).body.comments).toHaveLength(1)
    const first = await get('?limit=1')
    expect(first.body.comments).toHaveLength(1)
    const second = await get(`?limit=1&before=${first.body.next}`)
    expect(second.body.comments[0].responseId).toBe(ids[2])
  })

  it('should refuse workers and read-only tokens, and answer an unknown campaign with 404', async () => {
    const worker = await h.staff('worker', 'w-comments', s.communityIds)
    expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/comments`, { token: worker.token })).status).toBe(403)
    const r = await h.call('GET', '/api/v1/campaigns/00000000-0000-7000-8000-000000000000/comments', { token: s.evaluator.token })
    expect(r.status).toBe(404)
  })
})
