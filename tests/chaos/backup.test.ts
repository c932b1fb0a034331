import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createTestDatabase, hasPg } from '../support/pg.ts'
import { Cluster } from './lib/scaleout.ts'
import { checkRun, type DbReader, pgReader, Staff, sqliteReader } from './lib/verify.ts'
import { keepWriting, run, runScript } from './lib/writers.ts'

// Backups taken while residents keep sending, restored, and checked as an auditor would: every
// response in the copy was acknowledged, exactly once, the chain verifies over exactly those rows,
// and the kept aggregates equal a full recomputation. Commands as docs/DEPLOY.md gives them.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Checks a restored copy served by `restored`; returns its response count and indicator. */
async function checkCopy(staff: Staff, reader: DbReader, campaignId: string, acked: Set<string>) {
  const ids = (await reader.rows<{ id: string }>(`select id from responses where campaign_id = '${campaignId}'`)).map((r) => r.id)
  expect(ids.filter((id) => !acked.has(id))).toEqual([])
  const check = await checkRun(staff, reader, campaignId, ids)
  expect(check.problems).toEqual([])
  expect(check.chain).toEqual({ ok: true, length: ids.length })
  return { count: ids.length, indicator: await staff.get(`/api/v1/campaigns/${campaignId}/indicator`) }
}

describe('backups while writes go on', () => {
  it('should restore a consistent SQLite online backup and move it to PostgreSQL with every row', async () => {
    const live = await Cluster.start({})
    const writers = keepWriting(live.url, await (await Staff.login(live.url)).target())
    const staff = await Staff.login(live.url)
    const { campaignId } = await staff.target()
    const backup = join(mkdtempSync(join(tmpdir(), 'minyi-backup-')), 'backup.sqlite')
    let restored: Cluster | null = null
    let onPg: Cluster | null = null
    const pgDb = hasPg ? await createTestDatabase('minyi_migrated') : null
    try {
      await sleep(1500)
      const before = writers.acked.length
      const out = await runScript('scripts/backup-sqlite.ts', [join(live.dir, 'minyi.sqlite'), backup])
      expect(out).toMatch(/^backup: .* integrity ok/m)
      await sleep(1000)
      await writers.stop()
      const acked = new Set(writers.acked)

      restored = await Cluster.start({ sqlitePath: backup })
      const reader = sqliteReader(backup)
      const copy = await checkCopy(staff.at(restored.url), reader, campaignId, acked).finally(() => reader.close())
      // Taken mid-write: it holds what was acknowledged before it started, and less than the end.
      expect(copy.count).toBeGreaterThanOrEqual(before)
      expect(copy.count).toBeLessThan(acked.size)

      if (pgDb) {
        await restored.stop()
        const moved = await runScript('scripts/sqlite-to-pg.ts', [backup, pgDb.url])
        expect(moved).toMatch(/^sqlite-to-pg: \d+ tables, \d+ rows copied/m)
        onPg = await Cluster.start({ databaseUrl: pgDb.url, instances: 1 })
        const pgCheck = pgReader(pgDb.url)
        // The same staff session (sessions moved too), the same responses, chain and indicator.
        const moved2 = await checkCopy(staff.at(onPg.url), pgCheck, campaignId, acked).finally(() => pgCheck.close())
        expect(moved2.count).toBe(copy.count)
        expect(isDeepStrictEqual(moved2.indicator, copy.indicator)).toBe(true)
      }
    } finally {
      await writers.stop()
      await live.stop()
      await restored?.stop()
      await onPg?.stop()
      await pgDb?.drop()
    }
  }, 120_000)

  it.skipIf(!hasPg)(
    'should restore a pg_dump taken while two instances ingest',
    async () => {
      const db = await createTestDatabase('minyi_dumped')
      const copyDb = await createTestDatabase('minyi_restored')
      const live = await Cluster.start({ databaseUrl: db.url })
      let restored: Cluster | null = null
      const staff = await Staff.login(live.url)
      const target = await staff.target()
      const writers = keepWriting(live.url, target)
      const dump = join(mkdtempSync(join(tmpdir(), 'minyi-dump-')), 'minyi.dump')
      try {
        await sleep(1500)
        const before = writers.acked.length
        await run('pg_dump', ['--format=custom', `--file=${dump}`, db.url])
        await sleep(1000)
        await writers.stop()
        await run('pg_restore', ['--no-owner', `--dbname=${copyDb.url}`, dump])
        restored = await Cluster.start({ databaseUrl: copyDb.url, instances: 1 })
        const reader = pgReader(copyDb.url)
        const copy = await checkCopy(staff.at(restored.url), reader, target.campaignId, new Set(writers.acked)).finally(() =>
          reader.close(),
        )
        expect(copy.count).toBeGreaterThanOrEqual(before)
        expect(copy.count).toBeLessThan(writers.acked.length)
      } finally {
        await writers.stop()
        await live.stop()
        await restored?.stop()
        await db.drop()
        await copyDb.drop()
      }
    },
    120_000,
  )
})
