import type { Indicator } from '../schemas/indicator.ts'
import { formatRate, formatScore } from './format.ts'

/**
 * METHOD.md §8: the report paragraph (zh-CN) states questionnaires received, valid, valid rate, the
 * rate and its interval, the satisfied set, target, weight and score, and the symposium figures
 * separately. Built from the indicator object alone, so the console, the exports and a reviewer
 * re-reading the JSON all print the same sentence. Rates follow §9 (percent, 2 decimals; fewer than
 * 30 valid questionnaires is marked small-sample).
 */
export function reportParagraph(ind: Indicator): string {
  const parts: string[] = []
  const channels = ind.channels.map((c) => CHANNEL_ZH[c] ?? c).join('、')
  parts.push(
    `本次服务群众满意度调查（计入渠道：${channels}）共收回问卷${ind.n.received}份，其中有效问卷${ind.n.valid}份，有效率${formatRate(ind.validRate)}。`,
  )
  const set = ind.satisfiedSet.map((s) => `“${s}”`).join('、')
  const basis = ind.basis === 'overall' ? '以总体满意度题的回答计' : '以各测评题满意比例的平均计'
  if (ind.rate === null) {
    parts.push(`选择${set}计为满意（${basis}），因尚无有效问卷，满意度暂无法计算。`)
  } else {
    const ci = ind.ci95 ? `（95%置信区间${formatRate(ind.ci95[0])}至${formatRate(ind.ci95[1])}）` : ''
    const small = ind.smallSample ? '有效问卷不足30份，结果仅供参考；' : ''
    parts.push(`选择${set}计为满意（${basis}），服务群众满意度为${formatRate(ind.rate)}${ci}。${small}`)
  }
  if (ind.postStratified.rate !== null) parts.push(`按社区常住人口加权后的满意度为${formatRate(ind.postStratified.rate)}。`)
  const rule = ind.score.rule === 'proportional' ? '按比例计分' : '按分档计分'
  const on = ind.score.on === 'postStratified' ? '加权后满意度' : '满意度'
  parts.push(
    `该指标目标值${formatRate(ind.score.target)}，分值${formatScore(ind.score.weight)}分，以${on}${rule}，${ind.score.value === null ? '暂无得分' : `得分${formatScore(ind.score.value)}分`}。`,
  )
  const symposium = ind.byChannel.find((c) => c.channel === 'symposium')
  if (symposium && symposium.received > 0) {
    const pooled = symposium.pooled ? '已计入上述满意度' : '单独列示，未计入上述满意度'
    parts.push(
      `座谈会另收回测评表${symposium.received}份，有效${symposium.valid}份，满意度${formatRate(symposium.rate)}${symposium.smallSample ? '（样本不足30份）' : ''}，${pooled}。`,
    )
  }
  return parts.join('')
}

/** The channels as the report and the exports name them (zh-CN). */
export const CHANNEL_ZH: Record<string, string> = { qr: '扫码自填', door: '入户访问', paper: '纸质问卷', symposium: '座谈会' }
