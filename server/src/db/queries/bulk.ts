import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { Database } from '../tables.ts'

/**
 * Multi-row INSERTs for the ingest hot path, as SQL text built once per (statement, row count) and run
 * through Kysely's executor. Building these through the query builder cost more than the database
 * work itself at ingest rates (an AST of thousands of value nodes per batch), and a different row
 * count every batch defeated the prepared-statement cache. So a batch is split into chunks whose
 * sizes are powers of two (100 = 64 + 32 + 4): a handful of distinct statements, all cached.
 */

type Style = 'qmark' | 'dollar'
const styles = new WeakMap<object, Style>()
const texts = new Map<string, string>()

/** `?` (SQLite) or `$n` (PostgreSQL): asked of the dialect's own compiler once per Kysely instance. */
export function styleOf(db: Kysely<Database>): Style {
  let style = styles.get(db)
  if (!style) {
    style = sql`select ${1}`.compile(db).sql.includes('$1') ? 'dollar' : 'qmark'
    styles.set(db, style)
  }
  return style
}

export interface BulkStatement {
  /** A stable name for the text cache. */
  name: string
  table: string
  columns: readonly string[]
  /** Appended after VALUES, e.g. an ON CONFLICT clause. */
  suffix?: string
}

function text(stmt: BulkStatement, rows: number, style: Style): string {
  const key = `${stmt.name}|${rows}|${style}`
  let t = texts.get(key)
  if (!t) {
    const width = stmt.columns.length
    const tuples: string[] = []
    for (let r = 0; r < rows; r++) {
      const marks: string[] = []
      for (let c = 0; c < width; c++) marks.push(style === 'dollar' ? `$${r * width + c + 1}` : '?')
      tuples.push(`(${marks.join(', ')})`)
    }
    t = `insert into ${stmt.table} (${stmt.columns.join(', ')}) values ${tuples.join(', ')}${stmt.suffix ? ` ${stmt.suffix}` : ''}`
    texts.set(key, t)
  }
  return t
}

/** Inserts `rows` (values in column order) in power-of-two chunks of at most `max` rows. */
export async function bulkInsert(
  db: Kysely<Database>,
  stmt: BulkStatement,
  rows: readonly (readonly unknown[])[],
  max = 64,
): Promise<void> {
  const style = styleOf(db)
  let at = 0
  while (at < rows.length) {
    let size = max
    while (size > rows.length - at) size >>= 1
    const params: unknown[] = []
    for (let r = at; r < at + size; r++) for (const v of rows[r] ?? []) params.push(v)
    await db.executeQuery(CompiledQuery.raw(text(stmt, size, style), params))
    at += size
  }
}

/** A statement whose text never changes, written once per placeholder style (`?` / `$n`). */
export interface FixedStatement {
  qmark: string
  dollar: string
}

/** The same text in both styles: `?` placeholders numbered `$1…` in order for PostgreSQL. */
export function fixed(qmarkText: string): FixedStatement {
  let n = 0
  return { qmark: qmarkText, dollar: qmarkText.replace(/\?/g, () => `$${++n}`) }
}

/**
 * Runs a fixed statement through Kysely's executor (its connection, transaction and the prepared-statement
 * cache) without building a query: on the ingest path, once per call, the builder's work for a small
 * upsert cost more CPU than the database's.
 */
export async function runFixed<R>(db: Kysely<Database>, stmt: FixedStatement, params: readonly unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(stmt[styleOf(db)], [...params]))).rows
}
