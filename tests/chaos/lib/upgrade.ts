import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { createTestDatabase } from '../../support/pg.ts'
import { ROOT } from '../../support/server.ts'
import { responseMaker } from './devices.ts'
import { Cluster } from './scaleout.ts'
import { type DbReader, pgReader, Staff, sqliteReader } from './verify.ts'

// The upgrade check: the previous release (by default the commit before the last schema change)
// runs on a fresh database and is given data; it stops; today's release starts on that database
// (its migrations run) and must have lost nothing.

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

/**
 * Commits with the schema before the last change to the migrations, newest first: the parent of that
 * change and its ancestors with the same migrations. A release is a commit that starts; the harness
 * takes the first of these that does (main may hold a commit that never built, landed between two
 * others). Empty when the history is not here (a shallow clone).
 */
export function previousSchemaRefs(max = 10): string[] {
  try {
    const last = git('log', '-1', '--format=%H', '--', 'server/src/db/migrations')
    if (!last) return []
    const parent = git('rev-parse', `${last}^`)
    return git('rev-list', '--first-parent', `-n${max}`, parent)
      .split('\n')
      .filter((c) => spawnSync('git', ['diff', '--quiet', c, parent, '--', 'server/src/db/migrations'], { cwd: ROOT }).status === 0)
  } catch {
    return []
  }
}

/** Links each entry of `from` (a pnpm node_modules) into `to`, except `skip`. */
function linkModules(from: string, to: string, skip: Set<string> = new Set()): void {
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    if (skip.has(name) || name.startsWith('.')) continue
    symlinkSync(realpathSync(join(from, name)), join(to, name))
  }
}

/**
 * `server/` and `shared/` of `ref` in a temporary folder, wired to this checkout's installed
 * packages (the previous release's own dependencies are assumed those of today: true while the
 * lockfile's server and shared entries are unchanged, which the check prints).
 */
export function checkoutRelease(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'minyi-release-'))
  const archive = spawnSync('sh', ['-c', `git archive ${ref} server shared package.json | tar -x -C "${dir}"`], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr}`)
  linkModules(join(ROOT, 'shared/node_modules'), join(dir, 'shared/node_modules'))
  linkModules(join(ROOT, 'server/node_modules'), join(dir, 'server/node_modules'), new Set(['@minyi']))
  // @minyi/shared is the release's own shared/; other @minyi/* aliases are today's packages.
  const scope = join(ROOT, 'server/node_modules/@minyi')
  linkModules(scope, join(dir, 'server/node_modules/@minyi'), new Set(['shared']))
  symlinkSync(join(dir, 'shared'), join(dir, 'server/node_modules/@minyi/shared'))
  if (!existsSync(join(dir, 'server/src/index.ts'))) throw new Error(`${ref} has no server/src/index.ts`)
  return dir
}

export interface UpgradeResult {
  db: 'sqlite' | 'postgres'
  from: string
  responses: number
  tables: { table: string; before: number; after: number }[]
  lost: number
  chainBefore: number
  chainAfter: number
  indicatorSameAsBefore: boolean
  problems: string[]
}

async function tableCounts(reader: DbReader, dialect: 'sqlite' | 'postgres'): Promise<Map<string, number>> {
  const names =
    dialect === 'sqlite'
      ? await reader.rows<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      : await reader.rows<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public'")
  const out = new Map<string, number>()
  for (const { name } of names) out.set(name, Number((await reader.rows<{ n: number }>(`select count(*) as n from ${name}`))[0]?.n ?? 0))
  return out
}

/**
 * Runs the previous release (`from`) on a fresh database, gives it responses, a review and household
 * codes, stops it, starts today's release on the same database and checks: every table keeps its
 * rows, every response is there, the chain verifies with the same length, the kept aggregates equal a
 * full recomputation, the old session still works, and new responses are taken and chained.
 */
export async function runUpgrade(opts: {
  db: 'sqlite' | 'postgres'
  /** The previous release, or candidates newest first (the first that starts is used). */
  from: string | string[]
  responses?: number
  log?: (l: string) => void
}) {
  const log = opts.log ?? (() => undefined)
  const problems: string[] = []
  const candidates = typeof opts.from === 'string' ? [opts.from] : opts.from
  let releaseDir = ''
  let from = ''
  let pgDb: Awaited<ReturnType<typeof createTestDatabase>> | null = null
  let sqlitePath = ''
  let cluster: Cluster | null = null
  // One installation keeps one key directory across releases (docs/DEPLOY.md): both releases use it, so
  // the heads the previous release signed still verify under today's.
  const keyDir = mkdtempSync(join(tmpdir(), 'minyi-upgrade-keys-'))
  const where = () => ({ ...(pgDb ? { databaseUrl: pgDb.url, instances: 1 } : { sqlitePath }), env: { KEY_DIR: keyDir } })
  const reader = () => (pgDb ? pgReader(pgDb.url) : sqliteReader(sqlitePath))
  try {
    // 1. The previous release makes the database and takes data.
    for (const ref of candidates) {
      releaseDir = checkoutRelease(ref)
      pgDb = opts.db === 'postgres' ? await createTestDatabase('minyi_upgrade') : null
      sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-upgrade-')), 'minyi.sqlite')
      try {
        cluster = await Cluster.start({ ...where(), serverDir: join(releaseDir, 'server') })
        from = ref
        break
      } catch (err) {
        log(
          `upgrade[${opts.db}]: ${ref.slice(0, 10)} does not start, trying the commit before it: ${
            String(err)
              .split('\n')
              .find((l) => l.includes('Error')) ?? ''
          }`,
        )
        await pgDb?.drop()
        pgDb = null
        rmSync(releaseDir, { recursive: true, force: true })
        releaseDir = ''
      }
    }
    if (!cluster) throw new Error(`none of ${candidates.length} previous commits starts`)
    const staff = await Staff.login(cluster.url)
    const target = await staff.target()
    const make = responseMaker(target, 61)
    const n = opts.responses ?? 300
    const ids: string[] = []
    for (let i = 0; i < n; i += 50) {
      const items = Array.from({ length: Math.min(50, n - i) }, () => make())
      await staff.send('POST', '/api/v1/sync', { deviceId: 'upgrade-device', appVersion: 'upgrade', outboxSize: 0, items })
      ids.push(...items.map((x) => x.id))
    }
    await staff.send('PATCH', `/api/v1/campaigns/${target.campaignId}/responses/${ids[0]}/review`, {
      action: 'exclude',
      reason: 'upgrade check: a reviewed response',
    })
    await staff.send('POST', `/api/v1/campaigns/${target.campaignId}/household-codes`, { communityId: target.communityIds[0], count: 5 })
    const chainBefore = (await staff.get<{ ok: boolean; length: number }>(`/api/v1/campaigns/${target.campaignId}/log/verify`)).length
    const indicatorBefore = await staff.get(`/api/v1/campaigns/${target.campaignId}/indicator`)
    await cluster.stop()
    let r = reader()
    const before = await tableCounts(r, opts.db).finally(() => r.close())
    log(`upgrade[${opts.db}]: ${from.slice(0, 10)} made ${before.size} tables, ${n} responses, chain ${chainBefore}`)

    // 2. Today's release on the same database.
    cluster = await Cluster.start(where())
    const now = staff.at(cluster.url)
    const verify = await now.get<{ ok: boolean; length: number }>(`/api/v1/campaigns/${target.campaignId}/log/verify`)
    const kept = await now.get(`/api/v1/campaigns/${target.campaignId}/indicator`)
    const full = await now.get(`/api/v1/campaigns/${target.campaignId}/indicator?recompute=1`)
    r = reader()
    const after = await tableCounts(r, opts.db)
    const stored = new Set(
      (await r.rows<{ id: string }>(`select id from responses where campaign_id = '${target.campaignId}'`).finally(() => r.close())).map(
        (x) => x.id,
      ),
    )
    const lost = ids.filter((id) => !stored.has(id)).length
    const tables = [...before].map(([table, b]) => ({ table, before: b, after: after.get(table) ?? -1 }))
    // rate_limits is pruned by design; every other table keeps every row.
    for (const t of tables)
      if (t.table !== 'rate_limits' && t.after < t.before) problems.push(`${t.table}: ${t.before} rows before, ${t.after} after`)
    if (lost > 0) problems.push(`${lost} responses lost`)
    if (!verify.ok || verify.length !== chainBefore) problems.push(`chain after upgrade: ${JSON.stringify(verify)}, before ${chainBefore}`)
    if (!isDeepStrictEqual(kept, full)) problems.push('kept aggregates differ from the recomputation after the upgrade')

    // 3. It goes on working: new responses are taken and chained after the old ones.
    const more = Array.from({ length: 20 }, () => make())
    await fetch(`${cluster.url}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'upgrade-device-2', appVersion: 'upgrade', outboxSize: 0, items: more }),
    })
    const verify2 = await now.get<{ ok: boolean; length: number }>(`/api/v1/campaigns/${target.campaignId}/log/verify`)
    if (!verify2.ok || verify2.length !== chainBefore + more.length) problems.push(`chain after new responses: ${JSON.stringify(verify2)}`)
    return {
      db: opts.db,
      from,
      responses: n,
      tables,
      lost,
      chainBefore,
      chainAfter: verify.length,
      indicatorSameAsBefore: isDeepStrictEqual(kept, indicatorBefore),
      problems,
    } satisfies UpgradeResult
  } finally {
    await cluster?.stop()
    await pgDb?.drop()
    if (releaseDir) rmSync(releaseDir, { recursive: true, force: true })
  }
}
