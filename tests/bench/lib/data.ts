// Synthetic responses for the ingest and indicator benchmarks: ten rating answers each (the template's
// nine items + overall), realistic spread, a device per batch.

import { RATED_IDS, rng, uuidv7 } from '../../support/data.ts'

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
