import { CampaignDetail, CampaignPatch, IndicatorConfig, SymposiumItem } from '@minyi/shared/schemas'
import { describe, expect, it } from 'vitest'
import { customSatisfiedSet, settingsForm, settingsPatch } from '../../client/src/console/logic/settings-form.ts'
import { attendeeTotal, emptySymposiumForm, symposiumItem } from '../../client/src/console/logic/symposium-form.ts'

// The console's settings and symposium forms without mounting them (the panels only lay them out).

const C1 = '0190f0c2-9b1a-7c3d-8e4f-000000000001'
const C2 = '0190f0c2-9b1a-7c3d-8e4f-000000000002'
const campaign = (config: Partial<IndicatorConfig> = {}) =>
  CampaignDetail.parse({
    id: '0190f0c2-9b1a-7c3d-8e4f-0000000000aa',
    title: '2026年度评价',
    status: 'open',
    // 16:00 UTC is already the next day in Asia/Shanghai.
    opensAt: '2026-02-28T16:00:00.000Z',
    closesAt: '2026-03-31T15:59:59.999Z',
    publishedAt: null,
    quotas: { [C1]: 50 },
    indicatorConfig: IndicatorConfig.parse({ target: 0.9, ...config }),
    questionnaireId: '0190f0c2-9b1a-7c3d-8e4f-0000000000bb',
    communities: [
      { id: C1, code: 'c1', name: '一社区', population: 2000 },
      { id: C2, code: 'c2', name: '二社区', population: null },
    ],
    questionnaire: null,
  })

describe('settings form', () => {
  it('should show the window as whole Asia/Shanghai days and the target in percent without float noise', () => {
    const form = settingsForm(campaign())
    expect([form.opens, form.closes, form.targetPercent]).toEqual(['2026-03-01', '2026-03-31', 90])
    expect(form.quotas).toEqual({ [C1]: 50, [C2]: null })
  })

  it('should send back the same window, config and quotas when nothing was changed', () => {
    const c = campaign({ excludeFlags: ['speeding'], weight: 12 })
    const patch = CampaignPatch.parse(settingsPatch(c, settingsForm(c)))
    expect(patch.opensAt).toBe(c.opensAt)
    expect(patch.closesAt).toBe(c.closesAt)
    expect(patch.indicatorConfig).toEqual(c.indicatorConfig)
    expect(patch.quotas).toEqual({ [C1]: 50 })
  })

  it('should send the edited fields, a fraction for the target, and leave out quotas left empty', () => {
    const c = campaign()
    const form = settingsForm(c)
    Object.assign(form, { title: '  改过的标题 ', satisfiedSet: 'top2', targetPercent: 92.5, channels: ['qr'], closes: '2026-04-30' })
    form.quotas[C1] = null
    form.quotas[C2] = 30
    const patch = settingsPatch(c, form)
    expect(patch).toMatchObject({ title: '改过的标题', closesAt: '2026-04-30T15:59:59.999Z', quotas: { [C2]: 30 } })
    expect(patch.indicatorConfig).toMatchObject({ satisfiedSet: 'top2', target: 0.925, channels: ['qr'] })
  })

  it('should keep an explicit satisfied set that the form cannot edit', () => {
    const c = campaign({ satisfiedSet: [5, 4] })
    const form = settingsForm(c)
    expect(form.satisfiedSet).toBe('custom')
    expect(customSatisfiedSet(c.indicatorConfig)).toBe('5、4')
    expect(settingsPatch(c, form).indicatorConfig?.satisfiedSet).toEqual([5, 4])
    expect(customSatisfiedSet(campaign().indicatorConfig)).toBe('')
  })

  it('should not share the config’s arrays with the form, so unticking a box changes nothing until saved', () => {
    const c = campaign()
    const form = settingsForm(c)
    form.channels.pop()
    expect(c.indicatorConfig.channels).toEqual(['qr', 'door', 'paper'])
  })
})

describe('symposium form', () => {
  it('should start dated today in the first community with no attendees', () => {
    const form = emptySymposiumForm(campaign(), '2026-03-02')
    expect(form).toMatchObject({ date: '2026-03-02', communityId: C1, title: '' })
    expect(attendeeTotal(form.attendees)).toBe(0)
  })

  it('should become a sync item the shared schema accepts, trimmed, with the attendees copied', () => {
    const form = emptySymposiumForm(campaign(), '2026-03-02')
    Object.assign(form, { title: ' 三季度居民座谈会 ', place: ' 党群服务中心', host: '李书记 ', communityId: C2 })
    form.attendees.resident = 9
    form.attendees.party_member = 3
    const item = symposiumItem(C1, form, '0190f0c2-9b1a-7c3d-8e4f-0000000000cc')
    expect(SymposiumItem.parse(item)).toEqual(item)
    expect(item).toMatchObject({
      title: '三季度居民座谈会',
      place: '党群服务中心',
      host: '李书记',
      communityId: C2,
      streetId: null,
      remarks: [],
    })
    form.attendees.resident = 0
    expect(attendeeTotal(item.attendees)).toBe(12)
  })
})
