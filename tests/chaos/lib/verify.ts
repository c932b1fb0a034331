import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import pg from 'pg'
import type { Target } from './devices.ts'

// Talking to a running server as staff, and the end-of-run checks every harness makes: each sent
// response stored exactly once, the kept aggregates equal a full recomputation, the chain verifies.

export class Staff {
  private constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  static async login(base: string, password = 'admin-test-password', login = 'admin'): Promise<Staff> {
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    })
    if (!r.ok) throw new Error(`login: ${r.status} ${await r.text()}`)
    const { token } = (await r.json()) as { token: string }
    return new Staff(base, token)
  }

  /** A `fetch` that presents this session's bearer token (a worker's phone signed in). */
  get fetch(): typeof fetch {
    return (input, init = {}) => {
      const headers = new Headers(init.headers)
      headers.set('authorization', `Bearer ${this.token}`)
      return fetch(input, { ...init, headers })
    }
  }

  /** The same session, asked of another server (a restored or migrated copy of the database). */
  at(base: string): Staff {
    return new Staff(base, this.token)
  }

  async get<T = unknown>(path: string, base = this.base): Promise<T> {
    const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${this.token}` } })
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`)
    return (await r.json()) as T
  }

  async send<T = unknown>(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown): Promise<T> {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
    return (r.status === 204 ? null : await r.json()) as T
  }

  /** The demo's open campaign (this year's; last year's is closed) as residents' phones address it. */
  async target(): Promise<Target> {
    const campaign = (await this.get<{ id: string; status: string }[]>('/api/v1/campaigns')).find((c) => c.status === 'open')
    if (!campaign) throw new Error('no open campaign: the server was started with --no-demo?')
    const detail = await this.get<{ id: string; questionnaire: { version: number }; communities: { id: string }[] }>(
      `/api/v1/campaigns/${campaign.id}`,
    )
    return { campaignId: detail.id, version: detail.questionnaire.version, communityIds: detail.communities.map((c) => c.id) }
  }
}

/** Reads the database the server wrote, without going through the server. */
export interface DbReader {
  rows<T>(sql: string): Promise<T[]>
  close(): Promise<void>
}

export function sqliteReader(path: string): DbReader {
  type Sqlite = { prepare(sql: string): { all(): unknown[] }; close(): void }
  const Database = createRequire(new URL('../../../server/package.json', import.meta.url))('better-sqlite3') as new (
    p: string,
    o: { readonly: boolean },
  ) => Sqlite
  const db = new Database(path, { readonly: true })
  return {
    rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
    close: async () => db.close(),
  }
}

export function pgReader(url: string): DbReader {
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  return {
    rows: async <T>(sql: string) => (await pool.query(sql)).rows as T[],
    close: () => pool.end(),
  }
}

export interface RunCheck {
  sent: number
  stored: number
  lost: number
  duplicated: number
  /** Rows the campaign holds that no device sent. */
  unexpected: number
  conflicts: number
  chain: { ok: boolean; length: number }
  aggregatesEqualRecompute: boolean
  problems: string[]
}

const UUID = /^[0-9a-f-]{36}$/

/**
 * Every sent id stored exactly once (one response row, one evidence entry, no conflict copy), no row
 * nobody sent, the indicator from the kept aggregates deep-equal to `?recompute=1`, and the evidence
 * chain verifying over exactly the stored responses.
 */
export async function checkRun(staff: Staff, reader: DbReader, campaignId: string, sentIds: string[]): Promise<RunCheck> {
  if (!UUID.test(campaignId)) throw new Error(`bad campaign id ${campaignId}`)
  const problems: string[] = []
  const rows = await reader.rows<{ id: string }>(`select id from responses where campaign_id = '${campaignId}'`)
  const evidence = await reader.rows<{ response_id: string; n: number }>(
    `select response_id, count(*) as n from evidence_log where campaign_id = '${campaignId}' group by response_id`,
  )
  const conflicts = await reader.rows<{ n: number }>(`select count(*) as n from conflicts where campaign_id = '${campaignId}'`)
  const rowCount = new Map<string, number>()
  for (const r of rows) rowCount.set(r.id, (rowCount.get(r.id) ?? 0) + 1)
  const evidenceCount = new Map(evidence.map((e) => [e.response_id, Number(e.n)]))
  const sent = new Set(sentIds)
  if (sent.size !== sentIds.length) problems.push(`devices made ${sentIds.length - sent.size} ids twice`)
  let stored = 0
  let duplicated = 0
  for (const id of sent) {
    const n = rowCount.get(id) ?? 0
    if (n > 0) stored++
    if (n > 1) duplicated += n - 1
    const e = evidenceCount.get(id) ?? 0
    if (n > 0 && e !== 1) {
      duplicated += Math.max(0, e - 1)
      if (e === 0) problems.push(`response ${id} has no evidence entry`)
    }
  }
  const unexpected = [...rowCount.keys()].filter((id) => !sent.has(id)).length
  const conflictCount = Number(conflicts[0]?.n ?? 0)
  duplicated += conflictCount
  const chain = await staff.get<{ ok: boolean; length: number }>(`/api/v1/campaigns/${campaignId}/log/verify`)
  const kept = await staff.get(`/api/v1/campaigns/${campaignId}/indicator`)
  const recomputed = await staff.get(`/api/v1/campaigns/${campaignId}/indicator?recompute=1`)
  const aggregatesEqualRecompute = isDeepStrictEqual(kept, recomputed)
  const lost = sent.size - stored
  if (lost > 0) problems.push(`${lost} sent responses are not stored`)
  if (duplicated > 0) problems.push(`${duplicated} duplicates (extra rows, evidence entries or conflict copies)`)
  if (unexpected > 0) problems.push(`${unexpected} stored responses no device sent`)
  if (!chain.ok) problems.push(`evidence chain does not verify: ${JSON.stringify(chain)}`)
  if (chain.length !== rows.length) problems.push(`evidence chain has ${chain.length} entries for ${rows.length} responses`)
  if (!aggregatesEqualRecompute) problems.push('indicator from the kept aggregates differs from the full recomputation')
  return {
    sent: sent.size,
    stored,
    lost,
    duplicated,
    unexpected,
    conflicts: conflictCount,
    chain: { ok: chain.ok, length: chain.length },
    aggregatesEqualRecompute,
    problems,
  }
}

/** Each sent visit stored exactly once (one `visits` row), and none that no phone sent. */
export async function checkVisits(reader: DbReader, campaignId: string, sentIds: string[]) {
  if (!UUID.test(campaignId)) throw new Error(`bad campaign id ${campaignId}`)
  const rows = await reader.rows<{ id: string }>(`select id from visits where campaign_id = '${campaignId}'`)
  const stored = new Set(rows.map((r) => r.id))
  const sent = new Set(sentIds)
  return {
    sent: sent.size,
    stored: [...sent].filter((id) => stored.has(id)).length,
    lost: [...sent].filter((id) => !stored.has(id)).length,
    duplicated: rows.length - stored.size,
    unexpected: [...stored].filter((id) => !sent.has(id)).length,
  }
}
