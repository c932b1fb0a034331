import { isProblemCode } from '@minyi/shared/problems'
import { Device, IMPORT_MAX_ITEMS, SyncResponse } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { canonicalContent } from '../../server/src/services/evidence.ts'
import { canonicalJson } from '../../server/src/services/hashing.ts'
import { DAY, DIALECTS, type Harness, startApp, T0 } from './auth-harness.ts'
import { type CampaignSetup, changedAnswers, responseItem, setupCampaign, sync, uuidv7 } from './server-harness.ts'

// POST /api/v1/sync and /sync/import as PRODUCT.md's contract states them, once per database.

async function storedFlags(h: Harness, id: string): Promise<string[]> {
  const row = await h.db.db.selectFrom('responses').select('flags').where('id', '=', id).executeTakeFirst()
  return row?.flags ? row.flags.split(',') : []
}

async function countResponses(h: Harness, campaignId: string): Promise<number> {
  const r = await h.db.db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe.each(DIALECTS)('sync on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h)
  })
  afterEach(async () => {
    await h.close()
  })

  describe('the contract', () => {
    it('should answer one created result per item, in order, with the server time', async () => {
      const items = [responseItem(h, s), responseItem(h, s, { communityId: s.communityIds[1] }), responseItem(h, s)]
      const r = await sync(h, items)
      expect(r.status).toBe(200)
      const body = SyncResponse.parse(r.body)
      expect(body.results.map((x) => [x.id, x.status])).toEqual(items.map((i) => [i.id, 'created']))
      expect(body.serverTime).toBe(h.clock.now().toISOString())
      expect(await countResponses(h, s.campaignId)).toBe(3)
    })

    it('should answer duplicate and store nothing new when the same batch is replayed', async () => {
      const items = [responseItem(h, s), responseItem(h, s)]
      await sync(h, items)
      const again = await sync(h, items, { deviceId: 'another-device-9' })
      expect(SyncResponse.parse(again.body).results.map((x) => x.status)).toEqual(['duplicate', 'duplicate'])
      expect(await countResponses(h, s.campaignId)).toBe(2)
    })

    it('should answer duplicate for a replay of an item earlier in the same batch', async () => {
      const item = responseItem(h, s)
      const r = await sync(h, [item, item])
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'duplicate'])
    })

    it('should treat the same instant written with another offset as the same content', async () => {
      const item = responseItem(h, s)
      await sync(h, [item])
      const shifted = new Date(Date.parse(item.submittedAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00')
      const r = await sync(h, [{ ...item, submittedAt: shifted }])
      expect(r.body.results[0].status).toBe('duplicate')
    })

    it('should hash the stored content as the canonical JSON of every field', async () => {
      const items = [
        responseItem(h, s),
        responseItem(h, s, { householdKey: 'b'.repeat(64), test: true, evidence: { lat: 31.2, lng: 121.5, accuracyM: 500 } }),
        responseItem(h, s, {
          answers: { q_suggestions: '含"引号"\\与\n换行', q_improve: ['visits', 'training'], ...responseItem(h, s).answers },
        }),
      ]
      for (const item of items) {
        const content = {
          id: item.id,
          campaignId: item.campaignId,
          questionnaireVersion: item.questionnaireVersion,
          communityId: item.communityId,
          channel: item.channel ?? 'qr',
          startedAt: item.startedAt,
          submittedAt: item.submittedAt,
          answers: item.answers,
          householdKey: item.householdKey ?? null,
          symposiumId: item.symposiumId ?? null,
          test: item.test === true,
          evidence: item.evidence ?? null,
        }
        const columns = {
          id: item.id,
          campaign_id: item.campaignId,
          questionnaire_version: item.questionnaireVersion,
          community_id: item.communityId,
          channel: item.channel ?? 'qr',
          started_at: item.startedAt,
          submitted_at: item.submittedAt,
          // Not canonical on purpose: read back from the database it is written canonically again.
          answers_json: JSON.stringify(item.answers),
          household_key: item.householdKey ?? null,
          symposium_id: item.symposiumId ?? null,
          test: item.test === true ? 1 : 0,
          evidence_json: item.evidence ? JSON.stringify(item.evidence) : null,
        }
        expect(canonicalContent(columns)).toBe(canonicalJson(content))
        expect(canonicalContent({ ...columns, answers_json: canonicalJson(item.answers) }, true)).toBe(canonicalJson(content))
      }
    })

    it('should keep the stored answers, store the other payload and flag both when an id comes back with other content', async () => {
      const item = responseItem(h, s)
      await sync(h, [item])
      const changed = { ...item, answers: changedAnswers(item.answers) }
      const r = await sync(h, [changed], { deviceId: 'device-0002' })
      expect(r.body.results[0]).toMatchObject({ id: item.id, status: 'conflict' })
      const stored = await h.db.db.selectFrom('responses').select('answers_json').where('id', '=', item.id).executeTakeFirstOrThrow()
      expect(JSON.parse(stored.answers_json)).toEqual(item.answers)
      expect(await storedFlags(h, item.id)).toContain('conflict')
      const conflicts = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/conflicts`, { token: s.evaluator.token })
      expect(conflicts.body).toHaveLength(1)
      expect(conflicts.body[0]).toMatchObject({ responseId: item.id, deviceId: 'device-0002', payload: { answers: changed.answers } })
      // The same conflicting payload again is kept once.
      await sync(h, [changed], { deviceId: 'device-0002' })
      expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/conflicts`, { token: s.evaluator.token })).body).toHaveLength(1)
    })

    it('should flag the new response as a conflict when the same id arrives twice with other content in one batch', async () => {
      const item = responseItem(h, s)
      const r = await sync(h, [item, { ...item, answers: changedAnswers(item.answers) }])
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'conflict'])
      expect(await storedFlags(h, item.id)).toContain('conflict')
    })

    it('should accept answers to an older published version after a new one is published', async () => {
      const draft = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/questionnaire`, { token: s.evaluator.token })
      const put = await h.call('PUT', `/api/v1/campaigns/${s.campaignId}/questionnaire`, {
        token: s.evaluator.token,
        body: { ...draft.body, title: { zh: '第二版' } },
      })
      expect(put.status).toBe(200)
      const v2 = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/questionnaire/publish`, { token: s.evaluator.token })
      expect(v2.body.version).toBe(2)
      const r = await sync(h, [responseItem(h, s, { questionnaireVersion: 1 }), responseItem(h, s, { questionnaireVersion: 2 })])
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'created'])
      const three = await sync(h, [responseItem(h, s, { questionnaireVersion: 3 })])
      expect(three.body.results[0]).toMatchObject({ status: 'rejected', code: 'unknown_version' })
    })
  })

  describe('rejected items', () => {
    it('should reject each bad item with its code and store the good items of the same batch', async () => {
      const good = responseItem(h, s)
      const answers = good.answers
      const cases: [unknown, string][] = [
        [responseItem(h, s, { campaignId: crypto.randomUUID() }), 'unknown_campaign'],
        [responseItem(h, s, { communityId: crypto.randomUUID() }), 'unknown_community'],
        [responseItem(h, s, { questionnaireVersion: 9 }), 'unknown_version'],
        [responseItem(h, s, { answers: { ...answers, q_nope: 3 } }), 'unknown_question'],
        [responseItem(h, s, { answers: { ...answers, q_overall: 6 } }), 'invalid_answer'],
        [responseItem(h, s, { answers: { ...answers, q_age: 'not-an-option' } }), 'invalid_answer'],
        [responseItem(h, s, { answers: { ...answers, q_improve: ['training', 'visits', 'culture', 'medical'] } }), 'invalid_answer'],
        [responseItem(h, s, { answers: { q_overall: 4 } }), 'missing_required'],
        [{ ...responseItem(h, s), id: crypto.randomUUID() }, 'invalid_id'],
        [{ ...responseItem(h, s), id: 42 }, 'invalid_id'],
        [{ ...responseItem(h, s), campaignId: 'not-a-uuid' }, 'invalid_item'],
        [{ ...responseItem(h, s), startedAt: 'yesterday' }, 'invalid_time'],
        [responseItem(h, s, { startedAt: new Date(T0).toISOString(), submittedAt: new Date(T0 - 60_000).toISOString() }), 'invalid_time'],
        [{ ...responseItem(h, s), kind: 'banana' }, 'unknown_kind'],
        ['just a string', 'invalid_item'],
        [null, 'invalid_item'],
        [{ ...responseItem(h, s), answers: { q_overall: { nested: [1, 2, { deep: true }] } } }, 'invalid_answer'],
      ]
      const r = await sync(h, [...cases.map(([item]) => item), good])
      expect(r.status).toBe(200)
      const results = SyncResponse.parse(r.body).results
      expect(results).toHaveLength(cases.length + 1)
      for (const [i, [, code]] of cases.entries()) {
        expect(results[i], `case ${i}`).toMatchObject({ status: 'rejected', code })
        expect(isProblemCode(results[i]?.code)).toBe(true)
      }
      expect(results.at(-1)).toMatchObject({ id: good.id, status: 'created' })
      expect(await countResponses(h, s.campaignId)).toBe(1)
    })

    it('should answer the item id it was sent, bounded, when the item is rejected', async () => {
      const r = await sync(h, [{ kind: 'response', id: 'x'.repeat(5000) }])
      expect(r.body.results[0].id).toBe('x'.repeat(100))
    })

    it('should reject answers to a campaign whose questionnaire was never published', async () => {
      const draft = await h.call('POST', '/api/v1/campaigns', {
        token: s.evaluator.token,
        body: {
          title: '草稿',
          opensAt: new Date(T0).toISOString(),
          closesAt: new Date(T0 + DAY).toISOString(),
          communityIds: s.communityIds,
        },
      })
      const r = await sync(h, [responseItem(h, { ...s, campaignId: draft.body.id, version: 1 })])
      expect(r.body.results[0]).toMatchObject({ status: 'rejected', code: 'campaign_not_open' })
    })
  })

  describe('flags at ingest', () => {
    it('should store a late answer flagged late, but not one answered inside the window and sent after it closed', async () => {
      const inWindow = responseItem(h, s)
      h.clock.advance(40 * DAY)
      const afterClose = responseItem(h, s)
      const r = await sync(h, [inWindow, afterClose])
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'created'])
      expect(await storedFlags(h, inWindow.id)).not.toContain('late')
      expect(await storedFlags(h, afterClose.id)).toContain('late')
    })

    it('should flag clock_skew when the device says it submitted after the server received it or before publication', async () => {
      const ahead = responseItem(h, s, { submittedAt: new Date(T0 + 3600_000).toISOString(), startedAt: new Date(T0).toISOString() })
      const beforePublish = responseItem(h, s, {
        startedAt: new Date(T0 - 3 * DAY).toISOString(),
        submittedAt: new Date(T0 - 2 * DAY).toISOString(),
      })
      await sync(h, [ahead, beforePublish])
      expect(await storedFlags(h, ahead.id)).toContain('clock_skew')
      expect(await storedFlags(h, beforePublish.id)).toContain('clock_skew')
    })

    it('should flag speeding and straight-lining as METHOD.md defines them', async () => {
      const fast = responseItem(h, s, { startedAt: new Date(T0 - 10_000).toISOString(), submittedAt: new Date(T0 - 1000).toISOString() })
      const flat = responseItem(h, s, {
        answers: Object.fromEntries(
          [
            'q_training',
            'q_visits',
            'q_culture',
            'q_employment',
            'q_education',
            'q_medical',
            'q_elderly',
            'q_openness',
            'q_urgent',
            'q_overall',
          ].map((q) => [q, 4]),
        ),
      })
      await sync(h, [fast, flat])
      expect(await storedFlags(h, fast.id)).toContain('speeding')
      expect(await storedFlags(h, flat.id)).toEqual(['straightlining'])
    })

    it('should flag every QR response after the third from one device as duplicate_device, across batches', async () => {
      const items = Array.from({ length: 5 }, () => responseItem(h, s))
      await sync(h, items.slice(0, 2))
      await sync(h, items.slice(2))
      const flags = await Promise.all(items.map((i) => storedFlags(h, i.id)))
      expect(flags.map((f) => f.includes('duplicate_device'))).toEqual([false, false, false, true, true])
    })

    it('should flag a second response with the same household key as duplicate_household', async () => {
      const worker = await h.staff('worker', 'w-household', s.communityIds)
      const key = 'a'.repeat(64)
      const first = responseItem(h, s, { channel: 'door', householdKey: key })
      const second = responseItem(h, s, { channel: 'door', householdKey: key })
      await sync(h, [first], { token: worker.token })
      await sync(h, [second], { token: worker.token })
      expect(await storedFlags(h, first.id)).not.toContain('duplicate_household')
      expect(await storedFlags(h, second.id)).toContain('duplicate_household')
    })
  })

  describe('channels and credentials', () => {
    it('should refuse door and paper answers without a worker, and for a community not assigned to the worker', async () => {
      const worker = await h.staff('worker', 'w1', [s.communityIds[0] ?? ''])
      const door = responseItem(h, s, { channel: 'door' })
      const elsewhere = responseItem(h, s, { channel: 'paper', communityId: s.communityIds[1] })
      const anon = await sync(h, [door])
      expect(anon.body.results[0]).toMatchObject({ status: 'rejected', code: 'channel_forbidden' })
      const byEvaluator = await sync(h, [door], { token: s.evaluator.token })
      expect(byEvaluator.body.results[0]).toMatchObject({ status: 'rejected', code: 'channel_forbidden' })
      const byWorker = await sync(h, [door, elsewhere], { token: worker.token })
      expect(byWorker.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual([
        'created',
        'community_not_assigned',
      ])
      const row = await h.db.db.selectFrom('responses').select('worker_id').where('id', '=', door.id).executeTakeFirstOrThrow()
      expect(row.worker_id).toBe(worker.id)
    })

    it('should refuse sync calls made with a read-only API token', async () => {
      const token = await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'bi' } })
      expect(token.status).toBe(201)
      const r = await sync(h, [responseItem(h, s)], { token: token.body.token })
      expect(r.status).toBe(403)
      expect(r.body.code).toBe('forbidden')
    })

    it('should accept symposium rating sheets for a symposium sent earlier in the batch or known already, and reject unknown ones', async () => {
      const worker = await h.staff('worker', 'w-symp', s.communityIds)
      const symposiumId = crypto.randomUUID()
      const symposium = {
        kind: 'symposium',
        id: symposiumId,
        campaignId: s.campaignId,
        title: '居民座谈会',
        date: '2026-03-01',
        place: '社区活动室',
        communityId: s.communityIds[0],
        streetId: null,
        host: '王主任',
        recorder: '李记录',
        attendees: { party_member: 3, resident: 8, unit: 1, cadre: 2, other: 0 },
        remarks: [],
      }
      const sheet = responseItem(h, s, { channel: 'symposium', symposiumId })
      const r = await sync(h, [symposium, sheet], { token: worker.token })
      expect(
        r.body.results.map((x: { status: string }) => x.status),
        JSON.stringify(r.body),
      ).toEqual(['created', 'created'])
      const later = await sync(h, [responseItem(h, s, { channel: 'symposium', symposiumId }), symposium])
      expect(later.body.results.map((x: { status: string }) => x.status)).toEqual(['created', 'rejected'])
      expect(later.body.results[1].code).toBe('channel_forbidden')
      const unknown = await sync(h, [responseItem(h, s, { channel: 'symposium', symposiumId: crypto.randomUUID() })])
      expect(unknown.body.results[0]).toMatchObject({ status: 'rejected', code: 'unknown_symposium' })
      const replay = await sync(h, [symposium], { token: worker.token })
      expect(replay.body.results[0].status).toBe('duplicate')
    })

    it('should let a household code be used once, and reject unknown codes', async () => {
      const codes = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/household-codes`, {
        token: s.evaluator.token,
        body: { communityId: s.communityIds[0], count: 2 },
      })
      expect(codes.status).toBe(201)
      const code = codes.body.codes[0].code as string
      const first = responseItem(h, s, { householdKey: code })
      const r = await sync(h, [
        first,
        responseItem(h, s, { householdKey: code }),
        responseItem(h, s, { householdKey: 'hc_doesnotexist0000' }),
      ])
      expect(r.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual([
        'created',
        'household_code_used',
        'invalid_household_code',
      ])
      // A replay of the accepted answer is still a duplicate, not a second use.
      expect((await sync(h, [first])).body.results[0].status).toBe('duplicate')
      const stored = await h.db.db.selectFrom('household_codes').select(['used_at']).where('campaign_id', '=', s.campaignId).execute()
      expect(stored.filter((c) => c.used_at !== null)).toHaveLength(1)
    })

    it('should refuse a household code printed for community C1 on a C2 response, and still take it on C1 (issue 10)', async () => {
      const codes = await h.call('POST', `/api/v1/campaigns/${s.campaignId}/household-codes`, {
        token: s.evaluator.token,
        body: { communityId: s.communityIds[0], count: 1 },
      })
      const code = codes.body.codes[0].code as string
      const onC2 = responseItem(h, s, { householdKey: code, communityId: s.communityIds[1] })
      const onC1 = responseItem(h, s, { householdKey: code, communityId: s.communityIds[0] })
      const r = await sync(h, [onC2, onC1])
      expect(r.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual([
        'household_code_wrong_community',
        'created',
      ])
      const rows = await h.db.db.selectFrom('responses').select('community_id').where('household_key', '=', code).execute()
      expect(rows.map((x) => x.community_id)).toEqual([s.communityIds[0]])
    })
  })

  describe('the envelope', () => {
    it('should answer 400 with a code when the envelope is malformed', async () => {
      const noDevice = await h.call('POST', '/api/v1/sync', { body: { appVersion: '1', outboxSize: 0, items: [] } })
      expect(noDevice.status).toBe(400)
      expect(noDevice.body.code).toBe('validation_failed')
      const notJson = await h.call('POST', '/api/v1/sync', { body: '{"deviceId": ', headers: { 'content-type': 'application/json' } })
      expect(notJson.status).toBe(400)
      expect(notJson.body).toEqual({ code: 'invalid_json', message: expect.any(String) })
      const notAnObject = await h.call('POST', '/api/v1/sync', { body: '[1,2,3]' })
      expect(notAnObject.status).toBe(400)
      const form = await h.call('POST', '/api/v1/sync', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      expect(form.status).toBe(415)
    })

    it('should answer 413 over 100 items', async () => {
      const items = Array.from({ length: 101 }, () => responseItem(h, s))
      const r = await sync(h, items)
      expect(r.status).toBe(413)
      expect(r.body.code).toBe('payload_too_large')
      expect(await countResponses(h, s.campaignId)).toBe(0)
    })

    it('should answer 413 over 512 KB by Content-Length before reading the body', async () => {
      const r = await h.app.request('/api/v1/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(512 * 1024 + 1) },
        body: '{}',
      })
      expect(r.status).toBe(413)
      expect((await r.json()).code).toBe('payload_too_large')
    })

    it('should answer 413 over 512 KB for a chunked body without Content-Length', async () => {
      const chunk = new TextEncoder().encode(`{"deviceId":"device-0001","appVersion":"1","outboxSize":0,"items":[${'"x",'.repeat(1000)}`)
      let sent = 0
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // About 600 KB in 4 KB chunks, never closing on its own: the server must stop reading.
          if (sent > 600 * 1024) return controller.close()
          sent += chunk.byteLength
          controller.enqueue(chunk)
        },
      })
      const r = await h.app.request('/api/v1/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit)
      expect(r.status).toBe(413)
      expect(sent).toBeLessThan(600 * 1024)
    })

    it('should record the device, its app version and the outbox size it reports on every call', async () => {
      await sync(h, [responseItem(h, s)], { deviceId: 'device-outbox-1', outboxSize: 7, appVersion: '1.2.3' })
      const unsent = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/devices`, { token: s.evaluator.token })
      expect(unsent.status).toBe(200)
      expect(unsent.body).toHaveLength(1)
      expect(Device.parse(unsent.body[0])).toMatchObject({ id: 'device-outbox-1', outboxSize: 7, appVersion: '1.2.3' })
      h.clock.advance(60_000)
      await sync(h, [], { deviceId: 'device-outbox-1', outboxSize: 0, appVersion: '1.2.4' })
      expect((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/devices`, { token: s.evaluator.token })).body).toEqual([])
      const all = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/devices?all=1`, { token: s.evaluator.token })
      expect(all.body[0]).toMatchObject({ outboxSize: 0, appVersion: '1.2.4', lastSeenAt: h.clock.now().toISOString() })
    })
  })

  describe('rate limit', () => {
    it('should answer 429 with Retry-After when anonymous calls from one address pass the limit, and not limit staff', async () => {
      const limited = await startApp(dialect, { RATE_LIMIT_ANON: '3', RATE_LIMIT_WINDOW_SECONDS: '60' })
      try {
        const ls = await setupCampaign(limited)
        for (let i = 0; i < 3; i++) expect((await sync(limited, [responseItem(limited, ls)])).status).toBe(200)
        const over = await sync(limited, [responseItem(limited, ls)])
        expect(over.status).toBe(429)
        expect(over.body.code).toBe('rate_limited')
        const retryAfter = Number(over.headers.get('retry-after'))
        expect(retryAfter).toBeGreaterThan(0)
        // The window slides: hits of this window still weigh in the next one, so the wait can pass 60 s.
        expect(retryAfter).toBeLessThanOrEqual(2 * 60)
        const worker = await limited.staff('worker', 'w-rl', ls.communityIds)
        expect((await sync(limited, [responseItem(limited, ls, { channel: 'door' })], { token: worker.token })).status).toBe(200)
        limited.clock.advance(retryAfter * 1000)
        expect((await sync(limited, [responseItem(limited, ls)])).status).toBe(200)
      } finally {
        await limited.close()
      }
    })
  })

  describe('import of an exported outbox', () => {
    it('should import any number of items in batches with the same dedupe rules, answering one result per item', async () => {
      const items = Array.from({ length: 230 }, () => responseItem(h, s))
      await sync(h, items.slice(0, 10))
      const file = { format: 'minyi-outbox', version: 1, deviceId: 'device-exported', exportedAt: h.clock.now().toISOString(), items }
      const anon = await h.call('POST', '/api/v1/sync/import', { body: file })
      expect(anon.status).toBe(401)
      const r = await h.call('POST', '/api/v1/sync/import', {
        token: s.evaluator.token,
        body: { ...file, items: [...items, { kind: 'x' }] },
      })
      expect(r.status).toBe(200)
      const results = SyncResponse.parse(r.body).results
      expect(results).toHaveLength(231)
      expect(results.slice(0, 10).every((x) => x.status === 'duplicate')).toBe(true)
      expect(results.slice(10, 230).every((x) => x.status === 'created')).toBe(true)
      expect(results[230]).toMatchObject({ status: 'rejected', code: 'unknown_kind' })
      expect(await countResponses(h, s.campaignId)).toBe(230)
      const bad = await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body: { format: 'other', items: [] } })
      expect(bad.status).toBe(400)
    })

    it('should let an evaluator import a worker’s door answers from the worker’s file', async () => {
      const file = {
        format: 'minyi-outbox',
        version: 1,
        deviceId: 'worker-phone-1',
        exportedAt: h.clock.now().toISOString(),
        items: [responseItem(h, s, { channel: 'door', id: uuidv7(T0 - 5000) })],
      }
      const r = await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body: file })
      expect(r.body.results[0].status).toBe('created')
    })

    it('should refuse an import of more than IMPORT_MAX_ITEMS items with import_too_large and store none of it', async () => {
      const good = responseItem(h, s)
      // The file: a million trivial items (2 MB) after one good one.
      const file = `{"format":"minyi-outbox","version":1,"deviceId":"device-huge","exportedAt":"${h.clock.now().toISOString()}","items":[${JSON.stringify(good)}${',0'.repeat(1_000_000)}]}`
      const r = await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body: file })
      expect(r.status).toBe(413)
      expect(r.body.code).toBe('import_too_large')
      const atLimit = `{"format":"minyi-outbox","version":1,"deviceId":"device-huge","exportedAt":"${h.clock.now().toISOString()}","items":[${JSON.stringify(good)}${',0'.repeat(IMPORT_MAX_ITEMS)}]}`
      expect((await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body: atLimit })).body.code).toBe('import_too_large')
      expect(await countResponses(h, s.campaignId)).toBe(0)
    })

    it('should answer every item of a file at the item limit, in order, storing the good ones', async () => {
      const goods = Array.from({ length: Math.ceil(IMPORT_MAX_ITEMS / 64) }, () => responseItem(h, s))
      const items: unknown[] = Array.from({ length: IMPORT_MAX_ITEMS }, (_, i) => (i % 64 === 0 ? goods[i / 64] : i))
      const file = { format: 'minyi-outbox', version: 1, deviceId: 'device-full', exportedAt: h.clock.now().toISOString(), items }
      const r = await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body: file })
      expect(r.status).toBe(200)
      const results = SyncResponse.parse(r.body).results
      expect(results).toHaveLength(IMPORT_MAX_ITEMS)
      for (const [i, result] of results.entries()) {
        if (i % 64 === 0) expect(result, String(i)).toMatchObject({ id: (goods[i / 64] as { id: string }).id, status: 'created' })
        else expect(result, String(i)).toMatchObject({ status: 'rejected', code: 'invalid_item' })
      }
      expect(await countResponses(h, s.campaignId)).toBe(Math.ceil(IMPORT_MAX_ITEMS / 64))
    })

    it('should refuse a malformed file, or one whose items are not an array, before storing anything', async () => {
      const head = `"format":"minyi-outbox","version":1,"deviceId":"device-bad","exportedAt":"${h.clock.now().toISOString()}"`
      const good = JSON.stringify(responseItem(h, s))
      for (const [body, code] of [
        [`{${head},"items":[${good},{"kind":]}`, 'invalid_json'],
        [`{${head},"items":[${good}]`, 'invalid_json'],
        [`{${head},"items":[${good}]}]`, 'invalid_json'],
        [`{${head},"items":{"0":${good}}}`, 'validation_failed'],
        [`{${head}}`, 'validation_failed'],
        [`{"format":"other","items":[${good}]}`, 'validation_failed'],
      ] as const) {
        const r = await h.call('POST', '/api/v1/sync/import', { token: s.evaluator.token, body })
        expect({ body: body.slice(-40), status: r.status, code: r.body?.code }).toEqual({ body: body.slice(-40), status: 400, code })
      }
      expect(await countResponses(h, s.campaignId)).toBe(0)
    })
  })
})
