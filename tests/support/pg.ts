import pg from 'pg'

/** The machine's PostgreSQL (trust auth). Each suite gets a fresh database, dropped afterwards. */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

export const hasPg = await pgAvailable()
if (!hasPg) {
  const msg = `\n!!! PostgreSQL not reachable at ${PG_ADMIN_URL}: PostgreSQL suites are SKIPPED\n`
  if (process.env.REQUIRE_PG === '1') throw new Error(msg)
  console.warn(msg)
}

export async function createTestDatabase(prefix = 'minyi_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL })
      await c.connect()
      try {
        await backendsGone(c, name)
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
    },
  }
}

/**
 * pg's pool resolves `end()` once it has sent Terminate, before the server has closed those backends; a
 * DROP DATABASE … WITH (FORCE) in that gap kills them, and the dying client throws an uncaught error
 * (57P01) that fails the whole run. Wait up to a second for the suite's own connections to go.
 */
async function backendsGone(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])
    if (rows[0].n === 0) return
    await new Promise((r) => setTimeout(r, 20))
  }
}
