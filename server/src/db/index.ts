import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { migrations } from './migrations/index.ts'
import type { Database } from './tables.ts'

export type Dialect = 'sqlite' | 'postgres'
export interface Db {
  db: Kysely<Database>
  dialect: Dialect
  close(): Promise<void>
}

// pg returns int8 (COUNT, SUM, bigint columns) as strings to be safe beyond 2^53; our counts never get there.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10))
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v))

/** Opens PostgreSQL when `databaseUrl` is set, else the SQLite file (WAL), and runs pending migrations. */
export async function openDb(opts: { databaseUrl?: string | undefined; sqlitePath: string; poolSize?: number }): Promise<Db> {
  let db: Kysely<Database>
  let dialect: Dialect
  if (opts.databaseUrl) {
    dialect = 'postgres'
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 }) }),
    })
  } else {
    dialect = 'sqlite'
    if (opts.sqlitePath !== ':memory:') mkdirSync(dirname(opts.sqlitePath), { recursive: true })
    const sqlite = new SQLite(opts.sqlitePath)
    sqlite.pragma('journal_mode = WAL')
    // NORMAL is durable in WAL mode except on power loss of the server; acknowledged answers survive a process crash.
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('wal_autocheckpoint = 10000')
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) })
  }
  await migrate(db)
  return { db, dialect, close: () => db.destroy() }
}

/**
 * Kysely's SQLite driver prepares every query anew; ingest runs the same few multi-row statements
 * thousands of times, and re-parsing them was a measurable share of its time. Statements are reusable
 * in better-sqlite3 (Kysely's connection mutex runs one at a time), so keep the recent ones.
 * Only `all`/`run` are used by Kysely outside streaming, and nothing here streams.
 */
function cachingStatements(sqlite: SQLite.Database, max = 256) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (stmt) {
        // Map keeps insertion order: re-insert to mark as recently used.
        cache.delete(sql)
      } else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= max) cache.delete(cache.keys().next().value as string)
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations
  }
}

/**
 * Forward-only: migrations are never edited once landed; a change is a new numbered file. Unordered
 * migrations are allowed because changes land in parallel: a database that already ran 0007 must still
 * run a 0006 that landed after it (each migration touches only its own tables).
 */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: new StaticProvider(), allowUnorderedMigrations: true }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`)
  }
}
