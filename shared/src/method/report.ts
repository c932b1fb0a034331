import { CHANNEL_LABELS, labelOf, VISIT_OUTCOME_LABELS } from '../labels.ts'
import type { Indicator } from '../schemas/indicator.ts'
import type { VisitOutcome } from '../schemas/visit.ts'
import { LOW_RESPONSE_RATE } from './fieldwork.ts'
import { formatRate, formatScore } from './format.ts'

/**
 * METHOD.md §8: the report paragraph (zh-CN) states questionnaires received, valid, valid rate, the
 * rate and its interval, the satisfied set, target, weight and score, and the symposium figures
 * separately; then the door-to-door fieldwork and interviewer check (§10, §11). Built from the indicator object alone, so the console, the exports and a reviewer
 * re-reading the JSON all print the same sentence. Rates follow §9 (percent, 2 decimals; fewer than
 * 30 valid questionnaires is marked small-sample).
 */
export function reportParagraph(ind: Indicator): string {
  const parts: string[] = []
  const channels = ind.channels.map((c) => labelOf(CHANNEL_LABELS, c, 'zh')).join('、')
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
  parts.push(...fieldworkSentences(ind))
  if (ind.evidence) parts.push(evidenceSentence(ind.evidence))
  return parts.join('')
}

/**
 * Issue 10: the evidence chain's head when the figures were read, with the server's signature, so the
 * report carries it and a later check (`GET …/log/verify?seq=&hash=`) can say whether the chain still
 * holds it.
 */
function evidenceSentence(e: NonNullable<Indicator['evidence']>): string {
  if (e.seq === 0) return '证据链尚无记录。'
  const signed = e.signature ? `，由服务器以Ed25519密钥（公钥标识${e.keyId ?? e.publicKeyId}）签名，签名值${e.signature}` : '，链首尚未签名'
  return `以上数据对应的答卷证据链共${e.seq}条记录，链首哈希${e.hash}${signed}。`
}

/**
 * METHOD.md §10–§11 in the paragraph: the door-to-door fieldwork (households by final outcome,
 * response and contact rates), a response rate below 0.5 stated as such, and how many workers the
 * interviewer check asks the evaluator to review. Nothing when no household was visited and no
 * worker is flagged.
 */
/** Households by final outcome in the shared words (完成 / 拒访 / 不在家 / 需回访). */
function outcomes(f: Indicator['fieldwork']): string {
  const counts: [VisitOutcome, number][] = [
    ['completed', f.completed],
    ['refused', f.refused],
    ['not_home', f.notHome],
    ['revisit', f.revisit],
  ]
  return counts.map(([o, n]) => `${VISIT_OUTCOME_LABELS[o].zh}${n}户`).join('、')
}

function fieldworkSentences(ind: Indicator): string[] {
  const out: string[] = []
  const f = ind.fieldwork
  if (f.households > 0) {
    const rates =
      f.responseRate === null
        ? '尚无结束访问的住户，应答率暂无法计算。'
        : `应答率${formatRate(f.responseRate)}，接触率${formatRate(f.contactRate)}。`
    out.push(`入户访问共走访${f.households}户，其中${outcomes(f)}，${rates}`)
    if (f.responseRate !== null && f.responseRate < LOW_RESPONSE_RATE)
      out.push('入户访问应答率低于50%，未应答住户的意见可能与受访住户不同，入户样本的代表性不足，相关结果应审慎使用。')
  }
  const outliers = ind.interviewers.filter((w) => w.rateOutlier === true).length
  const uniform = ind.interviewers.filter((w) => w.uniform === true).length
  const flagged = ind.interviewers.filter((w) => w.rateOutlier === true || w.uniform === true).length
  if (flagged > 0) {
    const why = [outliers > 0 ? `满意度与同社区其他入户问卷差异显著${outliers}名` : '', uniform > 0 ? `评分过于一致${uniform}名` : '']
      .filter((x) => x !== '')
      .join('，')
    out.push(`调查员核查提示${flagged}名调查员的入户问卷需复核（${why}），核查结果本身不剔除任何问卷。`)
  }
  return out
}
