// `pnpm migrate:sqlite-to-pg <minyi.sqlite> <postgres://…/empty-database>`: moves a minyi database from
// SQLite to PostgreSQL with every row (campaigns, responses, evidence chain, aggregates, staff,
// sessions, tokens…). The target must be an empty database: the server's own migrations create the
// schema there first, then each table is copied in creation order (parents before children) in ONE
// transaction, so a failure leaves the target empty. Row counts are compared table by table.
// Copy from a stopped server's file or from `pnpm backup:sqlite` output, never from a live file.
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import pg from 'pg'
import { openDb } from '../server/src/db/index.ts'

type Row = Record<string, unknown>
type Sqlite = {
  prepare(sql: string): { all(...p: unknown[]): Row[]; iterate(): IterableIterator<Row>; pluck(): { get(): unknown } }
  close(): void
}
const Database = createRequire(new URL('../server/package.json', import.meta.url))('better-sqlite3') as new (
  p: string,
  o: { readonly: boolean; fileMustExist: boolean },
) => Sqlite

const [source, target] = process.argv.slice(2).filter((a) => a !== '--')
if (!source || !target?.startsWith('postgres')) {
  console.error('usage: pnpm migrate:sqlite-to-pg <minyi.sqlite> <postgres://…/empty-database>')
  process.exit(2)
}

const started = performance.now()
// The server's migrations make today's schema on PostgreSQL (and bring the SQLite file up to date is
// NOT done here: open it once with today's server first if it is older).
const made = await openDb({ databaseUrl: target, sqlitePath: '' })
await made.close()

const lite = new Database(resolve(source), { readonly: true, fileMustExist: true })
const client = new pg.Client({ connectionString: target })
await client.connect()
let copied = 0
const report: string[] = []
try {
  // Creation order: a table is created after the tables it references.
  const tables = (
    lite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by rowid",
      )
      .all() as {
      name: string
    }[]
  ).map((t) => t.name)
  const pgTables = new Set(
    (await client.query("select table_name from information_schema.tables where table_schema = 'public'")).rows.map(
      (r) => r.table_name as string,
    ),
  )
  await client.query('begin')
  for (const table of tables) {
    if (!pgTables.has(table))
      throw new Error(`table ${table} is in the SQLite file but not in today's schema: open the file with today's server first`)
    const existing = Number((await client.query(`select count(*) from ${table}`)).rows[0].count)
    if (existing > 0) throw new Error(`target table ${table} already has ${existing} rows: use an empty database`)
    const pgColumns = new Set(
      (await client.query('select column_name from information_schema.columns where table_name = $1', [table])).rows.map(
        (r) => r.column_name as string,
      ),
    )
    const liteColumns = (lite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name)
    const missing = liteColumns.filter((c) => !pgColumns.has(c))
    if (missing.length > 0) throw new Error(`${table}: columns ${missing.join(', ')} missing on PostgreSQL`)
    let rows = lite.prepare(`select * from ${table}`).all()
    // A table that references itself (org_units.parent_id): parents first.
    if (liteColumns.includes('parent_id') && liteColumns.includes('id')) rows = parentsFirst(rows)
    const chunk = Math.max(1, Math.floor(30_000 / liteColumns.length))
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk)
      const values: unknown[] = []
      const tuples = part.map((row) => `(${liteColumns.map((c) => `$${values.push(row[c] ?? null)}`).join(', ')})`)
      await client.query(`insert into ${table} (${liteColumns.join(', ')}) values ${tuples.join(', ')}`, values)
    }
    const after = Number((await client.query(`select count(*) from ${table}`)).rows[0].count)
    if (after !== rows.length) throw new Error(`${table}: ${rows.length} rows read, ${after} on PostgreSQL`)
    copied += rows.length
    report.push(`${table} ${rows.length}`)
  }
  await client.query('commit')
  console.log(report.join(', '))
  console.log(`sqlite-to-pg: ${tables.length} tables, ${copied} rows copied in ${((performance.now() - started) / 1000).toFixed(1)} s`)
} catch (err) {
  await client.query('rollback').catch(() => undefined)
  console.error(`sqlite-to-pg: nothing copied: ${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await client.end()
  lite.close()
}

function parentsFirst(rows: Row[]): Row[] {
  const out: Row[] = []
  const placed = new Set<unknown>()
  let left = rows
  while (left.length > 0) {
    const next = left.filter((r) => r.parent_id === null || placed.has(r.parent_id))
    if (next.length === 0) throw new Error('a parent_id points to no row')
    for (const r of next) {
      out.push(r)
      placed.add(r.id)
    }
    left = left.filter((r) => !placed.has(r.id))
  }
  return out
}
