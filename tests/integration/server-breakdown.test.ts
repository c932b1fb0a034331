import { computeIndicator, type TallyResponseInput } from '@minyi/shared/method'
import { IndicatorConfig } from '@minyi/shared/schemas'
import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared/template'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, responseItem, rng, setupCampaign, sync, templateAnswers } from './server-harness.ts'

// C5 profile breakdowns: each group's rate is the indicator restricted to that group, by the shared method.

const AGES = ['u30', '30_44', '45_59', '60_74', '75p']

describe.each(DIALECTS)('profile breakdown on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  const sent: { communityId: string; answers: Record<string, unknown> }[] = []
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
    sent.length = 0
    const random = rng(3)
    for (let i = 0; i < 60; i++) {
      const answers: Record<string, unknown> = templateAnswers(random)
      // Ages 0–3 only, and every seventh answer without an age.
      if (i % 7 === 0) delete answers.q_age
      else answers.q_age = AGES[Math.floor(random() * 4)]
      const item = responseItem(h, s, { communityId: s.communityIds[i % 2], answers: answers as never })
      expect((await sync(h, [item], { deviceId: `bd-device-${i}` })).body.results[0].status).toBe('created')
      sent.push({ communityId: item.communityId, answers })
    }
  })
  afterEach(async () => {
    await h.close()
  })

  it('should give each age band the rate the method computes on that band alone', async () => {
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/breakdown/q_age`, { token: s.evaluator.token })
    expect(r.status).toBe(200)
    const groups = r.body.groups as { value: string | null; received: number; valid: number; rate: number | null }[]
    expect(groups.map((g) => g.value)).toEqual([...AGES, null])
    expect(groups.reduce((n, g) => n + g.received, 0)).toBe(60)
    expect(groups.find((g) => g.value === '75p')).toMatchObject({ received: 0, rate: null })
    const config = IndicatorConfig.parse({})
    for (const g of groups) {
      const members = sent.filter((x) => (typeof x.answers.q_age === 'string' ? x.answers.q_age : null) === g.value)
      const alone = computeIndicator({
        config,
        questionnaires: [{ version: s.version, questions: TEMPLATE_QUESTIONNAIRE.questions }],
        communities: s.communityIds.map((id) => ({ id, population: null, quota: null })),
        responses: members.map(
          (m): TallyResponseInput => ({
            communityId: m.communityId,
            channel: 'qr',
            answers: m.answers as never,
            flags: [],
            exclusion: null,
          }),
        ),
      })
      expect({ value: g.value, received: g.received, valid: g.valid, rate: g.rate }).toEqual({
        value: g.value,
        received: alone.n.received,
        valid: alone.n.valid,
        rate: alone.rate,
      })
    }
  })

  it('should answer 404 for a question that is not single-choice, and let read-only tokens read it', async () => {
    expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/breakdown/q_overall`, { token: s.evaluator.token })).status).toBe(404)
    const token = (await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'bd' } })).body.token
    expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/breakdown/q_identity`, { token })).status).toBe(200)
  })
})
