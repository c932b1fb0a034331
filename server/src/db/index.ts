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
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  }
  await migrate(db)
  return { db, dialect, close: () => db.destroy() }
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations
  }
}

/** Forward-only: migrations are never edited once landed; a change is a new numbered file. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: new StaticProvider() }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`)
  }
}
