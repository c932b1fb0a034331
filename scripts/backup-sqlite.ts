// `pnpm backup:sqlite <live.sqlite> <backup.sqlite>`: a consistent copy of the server's SQLite file
// while the server keeps writing, through SQLite's online backup API (better-sqlite3 `backup()`),
// never a file copy (a copy of a WAL database taken mid-write can miss or tear the last commits).
// The copy is one self-contained file (no -wal). To restore: stop the server, put the copy at
// SQLITE_PATH (remove any old -wal and -shm files beside it), start the server. See docs/DEPLOY.md.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

type Sqlite = {
  backup(dest: string, opts: { progress: (p: { totalPages: number; remainingPages: number }) => number }): Promise<{ totalPages: number }>
  prepare(sql: string): { get(): unknown; pluck(): { get(): unknown } }
  pragma(s: string, o?: { simple: boolean }): unknown
  close(): void
}
const Database = createRequire(new URL('../server/package.json', import.meta.url))('better-sqlite3') as new (
  p: string,
  o?: { readonly?: boolean; fileMustExist?: boolean },
) => Sqlite

const [source, dest] = process.argv.slice(2).filter((a) => a !== '--')
if (!source || !dest) {
  console.error('usage: pnpm backup:sqlite <live.sqlite> <backup.sqlite>')
  process.exit(2)
}
if (existsSync(dest)) {
  console.error(`${dest} exists: refusing to overwrite a backup`)
  process.exit(2)
}
const started = performance.now()
const db = new Database(resolve(source), { fileMustExist: true })
// The server may hold the write lock for a moment: wait rather than fail.
db.pragma('busy_timeout = 10000')
// After the first step, copy every remaining page in ONE step: that step reads one snapshot (WAL
// readers never block the writer), so the copy is the database as of one commit. Small steps would
// restart each time the server commits and might never finish under steady writes.
const { totalPages } = await db.backup(resolve(dest), { progress: () => 0x7fffffff })
db.close()

const copy = new Database(resolve(dest), { readonly: true })
const integrity = copy.pragma('integrity_check', { simple: true })
const responses = copy.prepare('select count(*) from responses').pluck().get()
const evidence = copy.prepare('select count(*) from evidence_log').pluck().get()
copy.close()
if (integrity !== 'ok') {
  console.error(`backup: integrity_check says ${String(integrity)}`)
  process.exit(1)
}
console.log(
  `backup: ${dest}, ${totalPages} pages, ${responses} responses, ${evidence} evidence entries, integrity ok, ${((performance.now() - started) / 1000).toFixed(1)} s`,
)
