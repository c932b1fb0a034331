import { computeIndicator, reportParagraph, type TallyResponseInput } from '@minyi/shared/method'
import { describe, expect, it } from 'vitest'
import { config, ratingQuestion, response } from './method-helpers.ts'

// METHOD.md §8's report paragraph, on a campaign small enough to check every figure by hand.
const questions = [ratingQuestion('q_edu'), ratingQuestion('q_overall', 'likert5', true)]
const communities = [
  { id: 'A', population: 1000, quota: 5 },
  { id: 'B', population: 3000, quota: 5 },
]
const pooled: TallyResponseInput[] = [
  response('A', 'qr', { q_edu: 5, q_overall: 5 }),
  response('A', 'qr', { q_edu: 4, q_overall: 4 }),
  response('A', 'door', { q_edu: 2, q_overall: 2 }),
  response('B', 'paper', { q_edu: 3, q_overall: 3 }),
  response('B', 'qr', { q_edu: 'na', q_overall: 'na' }),
]
const symposium: TallyResponseInput[] = [
  response('B', 'symposium', { q_edu: 5, q_overall: 5 }),
  response('B', 'symposium', { q_edu: 1, q_overall: 1 }),
]
const paragraph = (responses: TallyResponseInput[], target = 0.9) =>
  reportParagraph(
    computeIndicator({
      config: config({ basis: 'overall', satisfiedSet: 'top3', target, weight: 10 }),
      questionnaires: [{ version: 1, questions }],
      communities,
      responses,
    }),
  )

describe('reportParagraph', () => {
  it('should state received, valid, valid rate, rate with interval, satisfied set, target, weight and score', () => {
    const text = paragraph([...pooled, ...symposium])
    // 5 pooled received; the all-na one has no basis: 4 valid (80.00%); satisfied 3 of 4 = 75.00%.
    expect(text).toContain('共收回问卷5份，其中有效问卷4份，有效率80.00%')
    expect(text).toContain('选择“非常满意”、“满意”、“基本满意”计为满意')
    expect(text).toContain('服务群众满意度为75.00%（95%置信区间')
    expect(text).toContain('有效问卷不足30份，结果仅供参考')
    // proportional: 10 × min(1, 0.75 / 0.9) = 8.333… → 8.33
    expect(text).toContain('该指标目标值90.00%，分值10.00分，以满意度按比例计分，得分8.33分。')
  })

  it('should report the symposium separately, saying it is not pooled', () => {
    expect(paragraph([...pooled, ...symposium])).toContain(
      '座谈会另收回测评表2份，有效2份，满意度50.00%（样本不足30份），单独列示，未计入上述满意度。',
    )
    expect(paragraph(pooled)).not.toContain('座谈会')
  })

  it('should say the rate cannot be computed yet when nothing is valid', () => {
    const text = paragraph([])
    expect(text).toContain('共收回问卷0份')
    expect(text).toContain('满意度暂无法计算')
    expect(text).toContain('以满意度按比例计分，暂无得分。')
  })
})
