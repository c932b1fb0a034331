import { computeIndicator, durationSeconds, flagsOfKey, tallyFromRows } from '@minyi/shared/method'
import { Indicator, type Question, type ResponseItemInput } from '@minyi/shared/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAggregateCells } from '../../server/src/db/queries/aggregates.ts'
import { tallyOfCells } from '../../server/src/services/aggregates.ts'
import { DAY, DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { bothIndicators, type CampaignSetup, changedAnswers, responseItem, rng, setupCampaign, sync } from './server-harness.ts'

// The kept aggregates against a full recomputation, the evaluator's review and the evidence chain.

/** computeIndicator straight from the raw rows, independent of both server paths. */
async function fromRawRows(h: Harness, s: CampaignSetup) {
  const detail = await h.call('GET', `/api/v1/campaigns/${s.campaignId}`, { token: s.evaluator.token })
  const versions = await h.db.db
    .selectFrom('questionnaire_versions')
    .select(['version', 'content_json'])
    .where('questionnaire_id', '=', detail.body.questionnaireId)
    .execute()
  const rows = await h.db.db.selectFrom('responses').selectAll().where('campaign_id', '=', s.campaignId).execute()
  return computeIndicator({
    config: detail.body.indicatorConfig,
    questionnaires: versions.map((v) => ({ version: Number(v.version), questions: JSON.parse(v.content_json).questions as Question[] })),
    communities: detail.body.communities.map((c: { id: string; population: number | null; parentId: string | null }) => ({
      id: c.id,
      population: c.population,
      quota: detail.body.quotas[c.id] ?? null,
      streetId: c.parentId,
    })),
    responses: rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      channel: r.channel,
      questionnaireVersion: Number(r.questionnaire_version),
      answers: JSON.parse(r.answers_json),
      flags: flagsOfKey(r.flags),
      exclusion: r.exclusion === 'test' || r.exclusion === 'evaluator_excluded' ? r.exclusion : null,
      review: r.review === 'include' ? 'include' : null,
      workerId: r.worker_id,
      durationSeconds: durationSeconds(r.started_at, r.submitted_at),
    })),
  })
}

describe.each(DIALECTS)('indicator, review and evidence on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 3, indicatorConfig: { excludeFlags: ['speeding'], channels: ['qr', 'door', 'paper'] } })
  })
  afterEach(async () => {
    await h.close()
  })

  /** A mixed campaign: three communities, four channels, replays, conflicts, late, test, speeding, straight-lining, two versions. */
  async function mixedCampaign(): Promise<ResponseItemInput[]> {
    const random = rng(7)
    const worker = await h.staff('worker', 'w-mixed', s.communityIds)
    const accepted: ResponseItemInput[] = []
    for (let batch = 0; batch < 6; batch++) {
      const items = Array.from({ length: 25 }, (_, i) => {
        const community = s.communityIds[Math.floor(random() * s.communityIds.length)] ?? ''
        const over: Partial<ResponseItemInput> = { communityId: community }
        if (i % 7 === 0) over.startedAt = new Date(h.clock.now().getTime() - 5000).toISOString()
        if (i % 11 === 0) over.test = true
        const item = responseItem(h, s, over, random)
        // No rating on the basis: valid only under items_mean, missing_basis under overall.
        if (i % 13 === 0) item.answers = { ...item.answers, q_overall: 'na' }
        return item
      })
      const r = await sync(h, items, { deviceId: `device-mixed-${batch % 2}` })
      expect(
        r.body.results.every((x: { status: string }) => x.status === 'created'),
        JSON.stringify(r.body),
      ).toBe(true)
      accepted.push(...items)
      const door = Array.from({ length: 10 }, () =>
        responseItem(h, s, { channel: batch % 2 ? 'door' : 'paper', communityId: s.communityIds[batch % 3] }, random),
      )
      await sync(h, door, { token: worker.token, deviceId: 'worker-device-1' })
      accepted.push(...door)
      h.clock.advance(DAY)
    }
    // Replays from other devices, and conflicting payloads under stored ids.
    await sync(h, accepted.slice(0, 40), { deviceId: 'device-replay' })
    const conflicting = accepted.slice(5, 9).map((i) => ({ ...i, answers: changedAnswers(i.answers) }))
    expect(
      (await sync(h, conflicting, { deviceId: 'device-conflict' })).body.results.every((x: { status: string }) => x.status === 'conflict'),
    ).toBe(true)
    // A second version, answered, then late answers after the campaign closed.
    const draft = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/questionnaire`, { token: s.evaluator.token })
    await h.call('PUT', `/api/v1/campaigns/${s.campaignId}/questionnaire`, {
      token: s.evaluator.token,
      body: { ...draft.body, title: { zh: '第二版' } },
    })
    await h.call('POST', `/api/v1/campaigns/${s.campaignId}/questionnaire/publish`, { token: s.evaluator.token })
    await sync(h, [responseItem(h, { ...s, version: 2 }, {}, random), responseItem(h, s, {}, random)])
    h.clock.advance(40 * DAY)
    await sync(h, [responseItem(h, s, {}, random), responseItem(h, s, { communityId: s.communityIds[2] }, random)])
    // Sessions last 30 days; the clock has moved 46.
    s.evaluator = await h.staff('evaluator', 'eva-after-close')
    return accepted
  }

  it('should give the same indicator from the kept aggregates as from a full recomputation of the raw rows', async () => {
    await mixedCampaign()
    const { kept, full } = await bothIndicators(h, s)
    const indicator = Indicator.parse(kept)
    expect(kept).toEqual(full)
    // The server adds the signed evidence head to the method's figures.
    expect(kept).toEqual({ ...JSON.parse(JSON.stringify(await fromRawRows(h, s))), evidence: kept.evidence })
    // One stored row per cell, its counts non-zero integers; the server's tally of those rows is the
    // method's tallyFromRows of the same counts listed one row per metric.
    const cells = await listAggregateCells(h.db.db, s.campaignId)
    const rows = cells.flatMap(({ counts, ...cell }) =>
      Object.entries(JSON.parse(counts) as Record<string, number>).map(([metric, count]) => ({ ...cell, metric, count })),
    )
    expect(rows.length).toBeGreaterThan(100)
    expect(rows.every((r) => Number.isInteger(r.count) && r.count !== 0)).toBe(true)
    expect(new Set(cells.map((c) => JSON.stringify({ ...c, counts: '' }))).size).toBe(cells.length)
    expect(tallyOfCells(cells)).toEqual(tallyFromRows(rows as Parameters<typeof tallyFromRows>[0]))
    // The mix really exercised what it claims to.
    expect(indicator.n.received).toBeGreaterThan(200)
    expect(indicator.n.excluded.test).toBeGreaterThan(0)
    expect(indicator.n.excluded.speeding).toBeGreaterThan(0)
    expect(indicator.n.excluded.missing_basis).toBeGreaterThan(0)
    expect(indicator.n.flagged.late).toBe(2)
    expect(indicator.n.flagged.conflict).toBe(4)
    expect(indicator.n.flagged.duplicate_device).toBeGreaterThan(0)
    expect(indicator.byChannel.map((c) => c.channel)).toEqual(expect.arrayContaining(['qr', 'door', 'paper']))
    expect(indicator.byCommunity).toHaveLength(3)
    expect(indicator.rate).not.toBeNull()
  })

  it('should write concurrent batches (grouped into one transaction on SQLite) exactly as if one by one', async () => {
    const random = rng(11)
    const items = Array.from({ length: 120 }, () => responseItem(h, s, {}, random))
    const batches = [items.slice(0, 40), items.slice(40, 80), items.slice(80), items.slice(20, 60), items.slice(60, 100)]
    // The last batch resends ten ids with other content: conflicts against rows written in the same group.
    const conflicting = items.slice(100, 110).map((i) => ({ ...i, answers: changedAnswers(i.answers) }))
    const replies = await Promise.all([...batches, conflicting].map((b, i) => sync(h, b, { deviceId: `group-device-${i}` })))
    const statuses = new Map<string, string[]>()
    for (const r of replies) for (const x of r.body.results) statuses.set(x.id, [...(statuses.get(x.id) ?? []), x.status])
    for (const item of items) expect(statuses.get(item.id)?.filter((x) => x === 'created')).toHaveLength(1)
    const conflicts = replies.at(-1)?.body.results.map((x: { status: string }) => x.status)
    // Depending on the order the batches were written in, the other payload came first or second.
    expect(conflicts.every((x: string) => x === 'conflict' || x === 'created')).toBe(true)
    const { kept, full } = await bothIndicators(h, s)
    expect(kept.n.received).toBe(120)
    expect(kept.n.flagged.conflict).toBe(10)
    expect(kept).toEqual(full)
    const verify = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify`, { token: s.evaluator.token })
    expect(verify.body).toMatchObject({ ok: true, length: 120, firstBadSeq: null })
  })

  it('should move a response between valid and excluded when an evaluator reviews it, audited and equal to a recomputation', async () => {
    const fast = responseItem(h, s, { startedAt: new Date(h.clock.now().getTime() - 3000).toISOString() })
    // Rated on the basis (a random `na` would make it missing_basis whatever the review says).
    fast.answers = { ...fast.answers, q_overall: 5 }
    await sync(h, [fast, responseItem(h, s), responseItem(h, s)])
    const before = (await bothIndicators(h, s)).kept
    expect(before.n.excluded.speeding).toBe(1)

    const path = `/api/v1/campaigns/${s.campaignId}/responses/${fast.id}/review`
    const include = await h.call('PATCH', path, { token: s.evaluator.token, body: { action: 'include', reason: '电话回访确认属实' } })
    expect(include.status).toBe(200)
    expect(include.body).toMatchObject({ id: fast.id, review: 'include', exclusion: null, flags: ['speeding'] })
    let both = await bothIndicators(h, s)
    expect(both.kept).toEqual(both.full)
    expect(both.kept.n.excluded.speeding).toBe(0)
    expect(both.kept.n.valid).toBe(before.n.valid + 1)

    h.clock.advance(60_000)
    const exclude = await h.call('PATCH', path, { token: s.evaluator.token, body: { action: 'exclude', reason: '同一人重复填写' } })
    expect(exclude.body).toMatchObject({ exclusion: 'evaluator_excluded', review: null })
    both = await bothIndicators(h, s)
    expect(both.kept).toEqual(both.full)
    expect(both.kept.n.excluded.evaluator_excluded).toBe(1)

    await h.call('PATCH', path, { token: s.evaluator.token, body: { action: 'reset', reason: '撤销' } })
    both = await bothIndicators(h, s)
    expect(both.kept).toEqual(both.full)
    expect(both.kept).toEqual(before)

    const audit = await h.db.db.selectFrom('response_reviews').selectAll().where('response_id', '=', fast.id).orderBy('at').execute()
    expect(audit.map((a) => [a.action, a.user_id, a.reason])).toEqual([
      ['include', s.evaluator.id, '电话回访确认属实'],
      ['exclude', s.evaluator.id, '同一人重复填写'],
      ['reset', s.evaluator.id, '撤销'],
    ])
    expect(audit[1]?.at).toBe(new Date(Date.parse(audit[0]?.at ?? '') + 60_000).toISOString())
  })

  it('should refuse a review without a reason, of an unknown response, or by a worker', async () => {
    const item = responseItem(h, s)
    await sync(h, [item])
    const path = `/api/v1/campaigns/${s.campaignId}/responses/${item.id}/review`
    expect((await h.call('PATCH', path, { token: s.evaluator.token, body: { action: 'exclude', reason: ' ' } })).status).toBe(400)
    const unknown = await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}/responses/${crypto.randomUUID()}/review`, {
      token: s.evaluator.token,
      body: { action: 'exclude', reason: 'x' },
    })
    expect(unknown.status).toBe(404)
    const worker = await h.staff('worker', 'w-review', s.communityIds)
    expect((await h.call('PATCH', path, { token: worker.token, body: { action: 'exclude', reason: 'x' } })).status).toBe(403)
  })

  it('should list flagged responses for review', async () => {
    const fast = responseItem(h, s, { startedAt: new Date(h.clock.now().getTime() - 3000).toISOString() })
    await sync(h, [fast, responseItem(h, s)])
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/responses`, { token: s.evaluator.token })
    expect(r.status).toBe(200)
    expect(r.body.map((x: { id: string }) => x.id)).toEqual([fast.id])
    expect(r.body[0]).toMatchObject({ flags: ['speeding'], exclusion: null, review: null, answers: fast.answers })
  })

  it('should let evaluators, admins and read-only tokens read the indicator, and nobody else', async () => {
    await sync(h, [responseItem(h, s)])
    const path = `/api/v1/campaigns/${s.campaignId}/indicator`
    const token = await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'stats' } })
    expect((await h.call('GET', path, { token: token.body.token })).status).toBe(200)
    expect((await h.call('GET', path, { token: s.admin.token })).status).toBe(200)
    const worker = await h.staff('worker', 'w-ind', s.communityIds)
    expect((await h.call('GET', path, { token: worker.token })).status).toBe(403)
    const anon = await h.call('GET', path)
    expect(anon.status).toBe(401)
    expect(anon.body.code).toBe('unauthenticated')
    expect((await h.call('GET', `/api/v1/campaigns/${crypto.randomUUID()}/indicator`, { token: s.admin.token })).status).toBe(404)
  })

  describe('evidence chain', () => {
    it('should verify an untouched chain and find the first tampered response', async () => {
      const items = Array.from({ length: 30 }, () => responseItem(h, s))
      await sync(h, items.slice(0, 20))
      await sync(h, [...items.slice(10, 20), ...items.slice(20)])
      const verify = () => h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify`, { token: s.evaluator.token })
      expect((await verify()).body).toMatchObject({ ok: true, length: 30, firstBadSeq: null })

      const victim = items[17]?.id ?? ''
      const entry = await h.db.db.selectFrom('evidence_log').select('seq').where('response_id', '=', victim).executeTakeFirstOrThrow()
      const original = await h.db.db.selectFrom('responses').select('answers_json').where('id', '=', victim).executeTakeFirstOrThrow()
      const answers = JSON.parse(original.answers_json)
      await h.db.db
        .updateTable('responses')
        .set({ answers_json: JSON.stringify({ ...answers, q_overall: answers.q_overall === 5 ? 4 : 5 }) })
        .where('id', '=', victim)
        .execute()
      expect((await verify()).body).toMatchObject({ ok: false, length: 30, firstBadSeq: Number(entry.seq) })

      // Restored, the chain verifies again; a forged log entry is found too.
      await h.db.db.updateTable('responses').set({ answers_json: original.answers_json }).where('id', '=', victim).execute()
      expect((await verify()).body.ok).toBe(true)
      await h.db.db
        .updateTable('evidence_log')
        .set({ content_hash: 'f'.repeat(64) })
        .where('seq', '=', 25)
        .where('campaign_id', '=', s.campaignId)
        .execute()
      expect((await verify()).body).toMatchObject({ ok: false, length: 30, firstBadSeq: 25 })
    })

    it('should notice a deleted response and a log cut short', async () => {
      const items = Array.from({ length: 5 }, () => responseItem(h, s))
      await sync(h, items)
      const verify = () => h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify`, { token: s.evaluator.token })
      await h.db.db.deleteFrom('evidence_log').where('seq', '=', 5).where('campaign_id', '=', s.campaignId).execute()
      expect((await verify()).body).toMatchObject({ ok: false, length: 4, firstBadSeq: 5 })
      await h.db.db
        .deleteFrom('responses')
        .where('id', '=', items[1]?.id ?? '')
        .execute()
      expect((await verify()).body).toMatchObject({ ok: false, firstBadSeq: 2 })
    })

    it('should keep one unbroken chain when a conflict flag and reviews change a response afterwards', async () => {
      const item = responseItem(h, s)
      await sync(h, [item])
      await sync(h, [{ ...item, answers: changedAnswers(item.answers) }])
      await h.call('PATCH', `/api/v1/campaigns/${s.campaignId}/responses/${item.id}/review`, {
        token: s.evaluator.token,
        body: { action: 'exclude', reason: '冲突' },
      })
      const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify`, { token: s.evaluator.token })
      expect(r.body).toMatchObject({ ok: true, length: 1, firstBadSeq: null })
      const log = await h.db.db.selectFrom('evidence_log').select('response_id').where('campaign_id', '=', s.campaignId).execute()
      expect(log.map((l) => l.response_id)).toEqual([item.id])
    })
  })
})
