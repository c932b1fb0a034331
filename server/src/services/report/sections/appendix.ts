import { CHANNEL_LABELS, labelOf, reasonLabel } from '@minyi/shared/labels'
import { formatRate, formatScore } from '@minyi/shared/method'
import type { Question } from '@minyi/shared/schemas'
import { shanghaiDateTime } from '@minyi/shared/time'
import { type ReportData, type Section, textIn } from '../data.ts'
import { type Block, para } from '../style.ts'

/** 附录: the method in plain words, the questionnaire as published, the evidence anchor. */
export const appendixSection: Section = (d, n, r) => {
  const { w, indicator: ind, ctx } = r
  const lang = w.locale
  const cfg = ctx.config
  const out: Block[] = [n.plain(d, w.hAppendix), n.heading(d, 2, w.hMethod)]
  const method = w.method({
    set: w.list(ind.satisfiedSet),
    basis: ind.basis === 'overall' ? w.basisOverall : w.basisItemsMean,
    channels: w.list(cfg.channels.map((c) => labelOf(CHANNEL_LABELS, c, lang))),
    excludeFlags: w.excludeFlags(w.list(cfg.excludeFlags.map((f) => reasonLabel(f, lang)))),
    target: formatRate(cfg.target),
    weight: formatScore(cfg.weight),
  })
  out.push(...method.map((s, i) => para(d, `${w.number(3, i + 1)}${s}`)))

  out.push(n.heading(d, 2, w.hQuestionnaire))
  const v = ctx.latest
  out.push(para(d, w.questionnaireVersion(textIn(v.content.title, lang), v.version, shanghaiDateTime(v.publishedAt))))
  v.questions.forEach((q, i) => {
    out.push(para(d, `${i + 1}. ${textIn(q.title, lang)}（${w.qType[q.type] ?? q.type}）${options(r, q)}`, 'Source'))
  })

  out.push(n.heading(d, 2, w.hEvidence))
  const e = ind.evidence
  if (!e || e.seq === 0) out.push(para(d, w.evidenceEmpty))
  else {
    out.push(para(d, w.evidence(`/api/v1/campaigns/${ctx.row.id}/log/verify?seq=${e.seq}&hash=${e.hash}`)))
    out.push(para(d, w.evidenceHead(e.seq, e.hash), 'Source'))
    if (e.signature) {
      out.push(para(d, w.evidenceSignature(e.signature, e.keyId ?? e.publicKeyId), 'Source'))
      // The public key as PEM, one line each, so it can be copied out of the document whole.
      out.push(
        ...e.publicKey
          .trim()
          .split('\n')
          .map((line) => para(d, line, 'Source')),
      )
    } else out.push(para(d, w.evidenceUnsigned, 'Source'))
  }
  out.push(para(d, w.generated(shanghaiDateTime(r.generatedAt)), 'Source'))
  return out
}

function options(r: ReportData, q: Question): string {
  const lang = r.w.locale
  const sep = lang === 'zh' ? '；' : '; '
  if (q.type === 'rating') {
    const opts = q.scale.options.map((o) => textIn(o.label, lang))
    if (q.allowNa) opts.push(r.w.naOption)
    return `：${opts.join(sep)}`
  }
  if (q.type === 'single' || q.type === 'multiple') return `：${q.options.map((o) => textIn(o.label, lang)).join(sep)}`
  return ''
}
