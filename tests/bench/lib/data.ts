import { randomBytes } from 'node:crypto'
import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'

// Synthetic responses for the ingest and indicator benchmarks: ten rating answers each (the template's
// nine items + overall), realistic spread, a device per batch.

export const RATED_IDS = TEMPLATE_QUESTIONNAIRE.questions.filter((q) => q.type === 'rating').map((q) => q.id)

export function uuidv7(ms: number): string {
  const b = randomBytes(16)
  b.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface BenchItem {
  kind: 'response'
  id: string
  campaignId: string
  questionnaireVersion: number
  communityId: string
  channel: 'qr'
  startedAt: string
  submittedAt: string
  answers: Record<string, number | 'na'>
  householdKey: null
  symposiumId: null
}

/** `count` ten-item responses submitted in the second before `endMs` (after the campaign was published). */
export function makeItems(
  count: number,
  target: { campaignId: string; version: number; communityIds: string[] },
  endMs: number,
  seed = 1,
): BenchItem[] {
  const random = rng(seed)
  const items: BenchItem[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const submitted = endMs - Math.floor(random() * 1000)
    const answers: Record<string, number | 'na'> = {}
    for (const id of RATED_IDS) {
      const r = random()
      answers[id] = r < 0.04 ? 'na' : r < 0.35 ? 5 : r < 0.72 ? 4 : r < 0.88 ? 3 : r < 0.96 ? 2 : 1
    }
    items[i] = {
      kind: 'response',
      id: uuidv7(submitted),
      campaignId: target.campaignId,
      questionnaireVersion: target.version,
      communityId: target.communityIds[i % target.communityIds.length] ?? '',
      channel: 'qr',
      startedAt: new Date(submitted - 60_000 - Math.floor(random() * 240_000)).toISOString(),
      submittedAt: new Date(submitted).toISOString(),
      answers,
      householdKey: null,
      symposiumId: null,
    }
  }
  return items
}
