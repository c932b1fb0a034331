import type { Question } from '@minyi/shared/schemas'
import type { FormValue } from '../composables/use-answers.ts'

// Paper transcription from the keyboard alone (PRODUCT.md C3): each question has one text box; for a
// choice the worker types the option's number as printed on the form (1 = the first option; 0 = 不了解
// on a rating), for a multiple choice several numbers ("1 3 10"), and Enter moves on. No Vue here.

/** The options of a choice question in form order, with the number the worker types for each. */
export function keyedOptions(q: Question): { key: string; value: string | number }[] {
  if (q.type === 'rating') {
    const opts = q.scale.options.map((o, i) => ({ key: String(i + 1), value: o.score as string | number }))
    return q.allowNa ? [...opts, { key: '0', value: 'na' }] : opts
  }
  if (q.type === 'single' || q.type === 'multiple') return q.options.map((o, i) => ({ key: String(i + 1), value: o.value }))
  return []
}

export type Keyed = { ok: true; value: FormValue } | { ok: false; error: 'errOptionNumber' }

/** The answer the typed text stands for; blank is "no answer" (the required check comes after). */
export function parseKeyed(q: Question, text: string): Keyed {
  const s = text.normalize('NFKC').trim()
  if (q.type === 'number' || q.type === 'text' || q.type === 'longtext') return { ok: true, value: s === '' ? undefined : s }
  if (s === '') return { ok: true, value: undefined }
  const byKey = new Map(keyedOptions(q).map((o) => [o.key, o.value]))
  const keys = q.type === 'multiple' ? s.split(/[\s,，、.;；]+/).filter(Boolean) : [s]
  const values: (string | number)[] = []
  for (const k of keys) {
    const v = byKey.get(String(Number(k)))
    if (v === undefined || !/^\d+$/.test(k)) return { ok: false, error: 'errOptionNumber' }
    if (!values.includes(v)) values.push(v)
  }
  return { ok: true, value: q.type === 'multiple' ? (values as string[]) : values[0] }
}

/** What the box shows for an answer already given (going back to a question). */
export function keyedText(q: Question, value: FormValue): string {
  if (value === undefined) return ''
  if (q.type === 'number' || q.type === 'text' || q.type === 'longtext') return String(value)
  const byValue = new Map(keyedOptions(q).map((o) => [String(o.value), o.key]))
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => byValue.get(String(v)) ?? '').join(' ')
}
