import { randomBytes } from 'node:crypto'
import type { IndicatorConfigInput, ResponseItemInput } from '@minyi/shared/schemas'
import type ExcelJS from 'exceljs'
import { expect } from 'vitest'
import { RATED_IDS, uuidv7 } from '../support/data.ts'
import { DAY, type Harness, T0 } from './auth-harness.ts'

export { RATED_IDS, rng, uuidv7 } from '../support/data.ts'

// Helpers of the server-*.test.ts suites: a campaign set up through the API, response items that
// answer the template, UUIDv7 ids, and sync calls. Built on the auth suites' in-process harness.

/** Answers to every template rating item (mostly satisfied, some `na`), plus a profile answer. */
export function templateAnswers(random: () => number = Math.random): Record<string, number | string | string[]> {
  const answers: Record<string, number | string | string[]> = {}
  for (const id of RATED_IDS) {
    const r = random()
    answers[id] = r < 0.05 ? 'na' : r < 0.35 ? 5 : r < 0.7 ? 4 : r < 0.85 ? 3 : r < 0.95 ? 2 : 1
  }
  answers.q_age = '45_59'
  return answers
}

/** The same answers with the overall rating changed (to whatever it was not): another content under the same id. */
export function changedAnswers<A extends Record<string, unknown>>(answers: A): A {
  return { ...answers, q_overall: answers.q_overall === 1 ? 2 : 1 }
}

export interface CampaignSetup {
  campaignId: string
  communityIds: string[]
  evaluator: { id: string; token: string }
  admin: { id: string; token: string }
  version: number
}

let unitSeq = 0

/**
 * Org units and a published campaign from the template, through the API as an evaluator would. The
 * window is [T0 − 30 days, T0 + 30 days] unless given; T0 is the harness clock's start.
 */
export async function setupCampaign(
  h: Harness,
  opts: {
    communities?: number
    opensAt?: string
    closesAt?: string
    indicatorConfig?: IndicatorConfigInput
    populations?: (number | null)[]
  } = {},
): Promise<CampaignSetup> {
  const evaluator = await h.staff('evaluator', `eva${++unitSeq}`)
  const admin = await h.staff('admin', `adm${unitSeq}`)
  const tag = `${unitSeq}-${randomBytes(3).toString('hex')}`
  const district = await h.call('POST', '/api/v1/org-units', {
    token: admin.token,
    body: { kind: 'district', code: `d-${tag}`, name: '测试区' },
  })
  expect(district.status).toBe(201)
  const street = await h.call('POST', '/api/v1/org-units', {
    token: admin.token,
    body: { kind: 'street', parentId: district.body.id, code: `s-${tag}`, name: '测试街道' },
  })
  const communityIds: string[] = []
  for (let i = 0; i < (opts.communities ?? 3); i++) {
    const population = opts.populations ? opts.populations[i] : 1000 * (i + 2)
    const c = await h.call('POST', '/api/v1/org-units', {
      token: admin.token,
      body: { kind: 'community', parentId: street.body.id, code: `c-${tag}-${i}`, name: `社区${i}`, population },
    })
    expect(c.status).toBe(201)
    communityIds.push(c.body.id)
  }
  const created = await h.call('POST', '/api/v1/campaigns', {
    token: evaluator.token,
    body: {
      title: '2026年度城市社区党组织服务群众专项经费重点评价',
      opensAt: opts.opensAt ?? new Date(T0 - 30 * DAY).toISOString(),
      closesAt: opts.closesAt ?? new Date(T0 + 30 * DAY).toISOString(),
      communityIds,
      quotas: Object.fromEntries(communityIds.map((c) => [c, 50])),
      ...(opts.indicatorConfig ? { indicatorConfig: opts.indicatorConfig } : {}),
    },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const published = await h.call('POST', `/api/v1/campaigns/${created.body.id}/questionnaire/publish`, { token: evaluator.token })
  expect(published.status).toBe(201)
  // Answers come after publication (one submitted before it would be flagged clock_skew).
  h.clock.advance(10 * 60_000)
  return { campaignId: created.body.id, communityIds, evaluator, admin, version: published.body.version }
}

/** A valid response item answering the template, submitted a minute after it was started, at the harness clock. */
export function responseItem(
  h: Harness,
  s: Pick<CampaignSetup, 'campaignId' | 'communityIds' | 'version'>,
  over: Partial<ResponseItemInput> = {},
  random?: () => number,
): ResponseItemInput & { id: string } {
  const submitted = h.clock.now().getTime() - 1000
  return {
    kind: 'response',
    id: uuidv7(submitted),
    campaignId: s.campaignId,
    questionnaireVersion: s.version,
    communityId: s.communityIds[0] ?? '',
    channel: 'qr',
    startedAt: new Date(submitted - 90_000).toISOString(),
    submittedAt: new Date(submitted).toISOString(),
    answers: templateAnswers(random),
    householdKey: null,
    symposiumId: null,
    ...over,
  }
}

export interface SyncCall {
  deviceId?: string
  token?: string
  outboxSize?: number
  appVersion?: string
}

/** `POST /api/v1/sync` with one envelope. */
export function sync(h: Harness, items: unknown[], opts: SyncCall = {}) {
  return h.call('POST', '/api/v1/sync', {
    ...(opts.token ? { token: opts.token } : {}),
    body: { deviceId: opts.deviceId ?? 'device-0001', appVersion: opts.appVersion ?? '1.0.0', outboxSize: opts.outboxSize ?? 0, items },
  })
}

/** Both indicators of a campaign: from the kept aggregates and from a full recomputation. */
export async function bothIndicators(h: Harness, s: CampaignSetup) {
  const kept = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })
  const full = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator?recompute=1`, { token: s.evaluator.token })
  expect(kept.status).toBe(200)
  expect(full.status).toBe(200)
  return { kept: kept.body, full: full.body }
}

/** A file download (an export) as bytes, with its type and disposition. */
export async function download(
  h: Harness,
  path: string,
  token: string,
): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const res = await h.app.request(path, { headers: { authorization: `Bearer ${token}` } })
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  }
}

/** Cell values of a sheet as plain values (rich text and formula cells would show up as objects). */
export function sheetValues(ws: ExcelJS.Worksheet | undefined): unknown[][] {
  if (!ws) throw new Error('the workbook lacks this sheet')
  const out: unknown[][] = []
  ws.eachRow((row) => {
    out.push((row.values as unknown[]).slice(1))
  })
  return out
}
