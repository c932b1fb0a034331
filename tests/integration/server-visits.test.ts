import { createHash } from 'node:crypto'
import { reportParagraph } from '@minyi/shared/method'
import { Indicator, SyncResponse, type VisitItemInput } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DAY, DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { bothIndicators, type CampaignSetup, RATED_IDS, responseItem, rng, setupCampaign, sync, uuidv7 } from './server-harness.ts'

// The visit register (kind `visit`) and the door-to-door figures of the indicator (METHOD.md §10, §11),
// through POST /api/v1/sync with a worker's own credentials, once per database.

/** What the worker app sends: HMAC-SHA-256 of the door number with the campaign's salt (here any 64 hex digits). */
const householdKey = (door: string) => createHash('sha256').update(door).digest('hex')

interface Worker {
  id: string
  token: string
}

describe.each(DIALECTS)('visits and fieldwork on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  let worker: Worker
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 3 })
    worker = await signUpWorker('door.a', [s.communityIds[0] ?? '', s.communityIds[1] ?? ''])
  })
  afterEach(async () => {
    await h.close()
  })

  /** A worker account made by the admin (POST /api/v1/staff), then signed in (POST /api/v1/auth/login). */
  async function signUpWorker(login: string, communityIds: string[]): Promise<Worker> {
    const created = await h.call('POST', '/api/v1/staff', {
      token: s.admin.token,
      body: { name: login, login, role: 'worker', communityIds, password: `${login}-secret` },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const signedIn = await h.call('POST', '/api/v1/auth/login', { body: { login, password: `${login}-secret` } })
    expect(signedIn.status).toBe(200)
    return { id: created.body.id, token: signedIn.body.token }
  }

  /** A visit at the harness clock minus `agoMs`. */
  function visit(
    door: string,
    outcome: VisitItemInput['outcome'],
    over: Partial<VisitItemInput> = {},
    agoMs = 0,
  ): VisitItemInput & { id: string } {
    const at = h.clock.now().getTime() - agoMs
    return {
      kind: 'visit',
      id: uuidv7(at),
      campaignId: s.campaignId,
      communityId: s.communityIds[0] ?? '',
      householdKey: householdKey(door),
      outcome,
      visitedAt: new Date(at).toISOString(),
      responseId: null,
      ...over,
    }
  }

  const statuses = (r: { body: unknown }) => SyncResponse.parse(r.body).results.map((x) => x.status)
  const codes = (r: { body: unknown }) => SyncResponse.parse(r.body).results.map((x) => x.code ?? x.status)

  async function indicator(): Promise<Indicator> {
    const { kept, full } = await bothIndicators(h, s)
    expect(kept).toEqual(full)
    return Indicator.parse(kept)
  }

  describe('the visit item', () => {
    it('should answer created, then duplicate for a replay and conflict for other content under the same id, keeping both', async () => {
      const v = visit('3号楼2单元501', 'not_home')
      expect(statuses(await sync(h, [v], { token: worker.token }))).toEqual(['created'])
      expect(statuses(await sync(h, [v], { token: worker.token, deviceId: 'device-0002' }))).toEqual(['duplicate'])
      const other = { ...v, outcome: 'refused' as const }
      expect(statuses(await sync(h, [other], { token: worker.token }))).toEqual(['conflict'])
      // A replay of the same conflicting payload is still a conflict, and its record is kept once.
      expect(statuses(await sync(h, [other], { token: worker.token }))).toEqual(['conflict'])

      const stored = await h.db.db.selectFrom('visits').selectAll().where('id', '=', v.id).execute()
      expect(stored).toHaveLength(1)
      expect(stored[0]).toMatchObject({
        outcome: 'not_home',
        worker_id: worker.id,
        household_key: v.householdKey,
        device_id: 'device-0001',
      })
      const conflicts = await h.db.db.selectFrom('conflicts').selectAll().where('response_id', '=', v.id).execute()
      expect(conflicts).toHaveLength(1)
      expect(JSON.parse(conflicts[0]?.payload_json ?? '{}')).toMatchObject({ outcome: 'refused' })
      // The stored visit still decides the household.
      expect((await indicator()).fieldwork).toMatchObject({ households: 1, notHome: 1, refused: 0 })
    })

    it('should answer duplicate and conflict for a repeated id within one batch', async () => {
      const v = visit('1号楼101', 'completed', { responseId: uuidv7() })
      const r = await sync(h, [v, v, { ...v, outcome: 'revisit', responseId: null }], { token: worker.token })
      expect(statuses(r)).toEqual(['created', 'duplicate', 'conflict'])
    })

    it('should reject visits without a worker, outside the worker’s communities, or of a bad shape, and keep the good ones', async () => {
      const good = visit('5号楼1201', 'refused')
      const r = await sync(
        h,
        [
          visit('a', 'completed', { communityId: s.communityIds[2] }),
          { ...visit('b', 'completed'), householdKey: '3号楼2单元501' },
          visit('c', 'refused', { responseId: uuidv7() }),
          { ...visit('d', 'completed'), outcome: 'moved_out' },
          { ...visit('e', 'completed'), visitedAt: 'yesterday' },
          { ...visit('f', 'completed'), id: 'not-a-uuid' },
          visit('g', 'completed', { campaignId: '00000000-0000-4000-8000-000000000000' }),
          good,
        ],
        { token: worker.token },
      )
      expect(codes(r)).toEqual([
        'community_not_assigned',
        'invalid_household_key',
        'invalid_outcome',
        'invalid_outcome',
        'invalid_time',
        'invalid_id',
        'unknown_campaign',
        'created',
      ])
      // Anonymous (QR) callers and evaluators cannot record visits.
      expect(codes(await sync(h, [visit('h', 'completed')]))).toEqual(['channel_forbidden'])
      expect(codes(await sync(h, [visit('i', 'completed')], { token: s.evaluator.token }))).toEqual(['channel_forbidden'])
      const stored = await h.db.db.selectFrom('visits').select('id').where('campaign_id', '=', s.campaignId).execute()
      expect(stored.map((x) => x.id)).toEqual([good.id])
    })

    it('should keep only a coarse position as evidence', async () => {
      const v = visit('7号楼', 'completed', { evidence: { lat: 31.230416, lng: 121.473701, accuracyM: 25 } })
      expect(statuses(await sync(h, [v], { token: worker.token }))).toEqual(['created'])
      // The same visit rounded on the device is the same content: a replay.
      expect(statuses(await sync(h, [{ ...v, evidence: { lat: 31.23, lng: 121.474, accuracyM: 25 } }], { token: worker.token }))).toEqual([
        'duplicate',
      ])
      const row = await h.db.db.selectFrom('visits').select('evidence_json').where('id', '=', v.id).executeTakeFirstOrThrow()
      expect(JSON.parse(row.evidence_json ?? 'null')).toEqual({ lat: 31.23, lng: 121.474, accuracyM: 25 })
    })
  })

  describe('fieldwork in the indicator', () => {
    it('should count households by their latest visit, per community and overall, whatever order the visits arrive in', async () => {
      const [a, b] = s.communityIds
      const hour = 3_600_000
      // Community a: h1 not_home then completed (sent in reverse order); h2 refused; h3 revisit;
      //              h4 completed; h5 not_home twice. Community b: h6 completed; h7 refused.
      // a: completed 2 (h1, h4), refused 1, not_home 1 (h5), revisit 1 → 5 households
      //    response rate = 2 / (2 + 1 + 1) = 0.5; contact rate = (2 + 1) / 4 = 0.75
      // b: completed 1, refused 1 → 2 households; response rate 1/2 = 0.5, contact rate 2/2 = 1
      // overall: completed 3, refused 2, not_home 1, revisit 1 → 7; RR = 3/6 = 0.5; contact = 5/6
      const later = visit('h1', 'completed', { responseId: uuidv7() })
      const earlier = visit('h1', 'not_home', {}, 5 * hour)
      expect(statuses(await sync(h, [later], { token: worker.token }))).toEqual(['created'])
      expect(statuses(await sync(h, [earlier], { token: worker.token }))).toEqual(['created'])
      const rest = [
        visit('h2', 'refused', {}, hour),
        visit('h3', 'revisit', {}, hour),
        visit('h4', 'completed', {}, hour),
        visit('h5', 'not_home', {}, 2 * hour),
        visit('h5', 'not_home', {}, hour),
        visit('h6', 'completed', { communityId: b }),
        visit('h7', 'refused', { communityId: b }),
      ]
      expect(statuses(await sync(h, rest, { token: worker.token })).every((x) => x === 'created')).toBe(true)

      const ind = await indicator()
      expect(ind.fieldwork).toMatchObject({ households: 7, completed: 3, refused: 2, notHome: 1, revisit: 1, responseRate: 0.5 })
      expect(ind.fieldwork.contactRate).toBeCloseTo(5 / 6, 10)
      const line = (id: string | undefined) => ind.byCommunity.find((c) => c.communityId === id)?.fieldwork
      expect(line(a)).toEqual({ households: 5, completed: 2, notHome: 1, refused: 1, revisit: 1, responseRate: 0.5, contactRate: 0.75 })
      expect(line(b)).toEqual({ households: 2, completed: 1, notHome: 0, refused: 1, revisit: 0, responseRate: 0.5, contactRate: 1 })
      expect(line(s.communityIds[2])).toMatchObject({ households: 0, responseRate: null })

      // A household revisited later and refusing moves from completed to refused: a: RR 1/4 = 0.25 → stated as low.
      h.clock.advance(DAY)
      expect(statuses(await sync(h, [visit('h4', 'refused')], { token: worker.token }))).toEqual(['created'])
      const after = await indicator()
      expect(after.byCommunity.find((c) => c.communityId === a)?.fieldwork).toMatchObject({ completed: 1, refused: 2, responseRate: 0.25 })
      // Overall now 2 completed / (2 + 3 refused + 1 not home) = 33.33%: the paragraph says it is low.
      expect(reportParagraph(after)).toContain('应答率33.33%')
      expect(reportParagraph(after)).toContain('入户访问应答率低于50%')
    })

    it('should keep the counts exact when two workers send visits of the same households at once', async () => {
      const other = await signUpWorker('door.b', [s.communityIds[0] ?? ''])
      const doors = Array.from({ length: 30 }, (_, i) => `${i + 1}号楼`)
      const mine = doors.map((d, i) => visit(d, i % 3 === 0 ? 'completed' : 'not_home', {}, 60_000 + i))
      const theirs = doors.map((d, i) => visit(d, i % 2 === 0 ? 'refused' : 'revisit', {}, 30_000 + i))
      const [r1, r2] = await Promise.all([
        sync(h, mine, { token: worker.token, deviceId: 'device-a1' }),
        sync(h, theirs, { token: other.token, deviceId: 'device-b1' }),
      ])
      expect([...statuses(r1), ...statuses(r2)].every((x) => x === 'created')).toBe(true)
      // Every household's latest visit is the other worker's (30 s ago against 60 s): 15 refused, 15 revisit.
      expect((await indicator()).fieldwork).toMatchObject({ households: 30, refused: 15, revisit: 15, completed: 0, notHome: 0 })
    })
  })

  describe('door questionnaires', () => {
    it('should flag a second completed questionnaire for one household duplicate_household', async () => {
      const key = householdKey('9号楼3单元302')
      const first = responseItem(h, s, { channel: 'door', householdKey: key })
      h.clock.advance(60_000)
      const second = responseItem(h, s, { channel: 'door', householdKey: key })
      const other = responseItem(h, s, { channel: 'door', householdKey: householdKey('9号楼3单元303') })
      expect(statuses(await sync(h, [first], { token: worker.token }))).toEqual(['created'])
      expect(statuses(await sync(h, [second, other], { token: worker.token }))).toEqual(['created', 'created'])
      const rows = await h.db.db
        .selectFrom('responses')
        .select(['id', 'flags', 'worker_id', 'channel'])
        .where('id', 'in', [first.id, second.id, other.id])
        .execute()
      const flags = new Map(rows.map((r) => [r.id, r.flags]))
      expect(flags.get(first.id)).not.toContain('duplicate_household')
      expect(flags.get(second.id)).toContain('duplicate_household')
      expect(flags.get(other.id)).not.toContain('duplicate_household')
      expect(rows.every((r) => r.worker_id === worker.id && r.channel === 'door')).toBe(true)
    })

    it('should list each worker in the interviewer check with the figures the method gives', async () => {
      const second = await signUpWorker('door.c', [s.communityIds[0] ?? ''])
      const random = rng(5)
      // 25 door questionnaires each in community 0; worker A's all rated 5 (satisfied, no spread).
      const uniform = Object.fromEntries(RATED_IDS.map((q) => [q, 5]))
      const mine = Array.from({ length: 25 }, () => responseItem(h, s, { channel: 'door', answers: uniform }, random))
      // Worker B's vary (the overall item always rated, so all 25 are valid).
      const theirs = Array.from({ length: 25 }, () => {
        const item = responseItem(h, s, { channel: 'door' }, random)
        return { ...item, answers: { ...item.answers, q_overall: 4 } }
      })
      expect(statuses(await sync(h, mine, { token: worker.token })).every((x) => x === 'created')).toBe(true)
      expect(statuses(await sync(h, theirs, { token: second.token })).every((x) => x === 'created')).toBe(true)
      const ind = await indicator()
      const a = ind.interviewers.find((w) => w.workerId === worker.id)
      const b = ind.interviewers.find((w) => w.workerId === second.id)
      expect(a).toMatchObject({ nW: 25, nO: 25, u: 0, uniform: true, speedRatio: 1 })
      expect(b).toMatchObject({ nW: 25, nO: 25, u: null, uniform: null, speedRatio: 1 })
      expect(ind.interviewers).toHaveLength(2)
    })
  })
})
