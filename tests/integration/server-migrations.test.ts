import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../server/src/db/index.ts'
import { listAggregateCells } from '../../server/src/db/queries/aggregates.ts'
import { DAY, DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { bothIndicators, type CampaignSetup, responseItem, rng, setupCampaign, sync } from './server-harness.ts'

// Forward-only migrations that rewrite kept data, run on data written before them.

describe.each(DIALECTS)('migration 0006 (worker cells) on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 2 })
  })
  afterEach(async () => {
    await h.close()
  })

  it('should split door cells by worker and count their check figures when run on cells kept before it', async () => {
    const random = rng(11)
    const workers = [await h.staff('worker', 'mig-w1', s.communityIds), await h.staff('worker', 'mig-w2', s.communityIds)]
    for (let day = 0; day < 3; day++) {
      await sync(
        h,
        Array.from({ length: 20 }, () => responseItem(h, s, {}, random)),
        { deviceId: 'device-qr-1' },
      )
      for (const [i, w] of workers.entries()) {
        const items = Array.from({ length: 15 }, (_, k) =>
          responseItem(h, s, { channel: k % 4 === 0 ? 'paper' : 'door', communityId: s.communityIds[(i + k) % 2] }, random),
        )
        const r = await sync(h, items, { token: w.token, deviceId: `device-w${i}` })
        expect(r.body.results.every((x: { status: string }) => x.status === 'created')).toBe(true)
      }
      h.clock.advance(DAY)
    }
    const sortCells = (cells: Awaited<ReturnType<typeof listAggregateCells>>) =>
      cells.map((c) => ({ ...c, counts: JSON.parse(c.counts) })).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    const after = sortCells(await listAggregateCells(h.db.db, s.campaignId))
    expect(after.some((c) => c.channel === 'door' && c.workerId === workers[0]?.id && c.counts['sd:n'] > 0)).toBe(true)
    const { kept: before } = await bothIndicators(h, s)

    // The table as migrations 0003–0005 left it: no worker, door cells without the check's counts.
    const old = new Map<string, { key: string[]; counts: Record<string, number> }>()
    for (const c of after) {
      const key = [s.campaignId, c.communityId, c.channel, c.flagsKey, c.exclusionKey, c.basisKey, c.reviewKey]
      const into = old.get(key.join('|')) ?? { key, counts: {} }
      for (const [m, n] of Object.entries(c.counts as Record<string, number>))
        if (!m.startsWith('sd:') && !m.startsWith('dur:')) into.counts[m] = (into.counts[m] ?? 0) + n
      old.set(key.join('|'), into)
    }
    // biome-ignore lint/suspicious/noExplicitAny: the old table and kysely's own table are not in the current types
    const db = h.db.db as any
    await db.schema.dropTable('aggregate_cells').execute()
    let table = db.schema.createTable('aggregate_cells')
    for (const c of ['campaign_id', 'community_id', 'channel', 'flags_key', 'exclusion_key', 'basis_key', 'review_key', 'counts_json'])
      table = table.addColumn(c, 'text', (col: { notNull(): unknown }) => col.notNull())
    await table
      .addPrimaryKeyConstraint('aggregate_cells_pk', [
        'campaign_id',
        'community_id',
        'channel',
        'flags_key',
        'exclusion_key',
        'basis_key',
        'review_key',
      ])
      .execute()
    for (const { key, counts } of old.values()) {
      const [campaign_id, community_id, channel, flags_key, exclusion_key, basis_key, review_key] = key
      await db
        .insertInto('aggregate_cells')
        .values({
          campaign_id,
          community_id,
          channel,
          flags_key,
          exclusion_key,
          basis_key,
          review_key,
          counts_json: JSON.stringify(counts),
        })
        .execute()
    }
    await db.deleteFrom('kysely_migration').where('name', '=', '0006-worker-cells').execute()

    await migrate(db)
    expect(sortCells(await listAggregateCells(h.db.db, s.campaignId))).toEqual(after)
    const { kept, full } = await bothIndicators(h, s)
    expect(kept).toEqual(before)
    expect(kept).toEqual(full)
  })
})
