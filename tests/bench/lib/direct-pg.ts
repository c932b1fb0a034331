import pg from 'pg'
import type { BenchItem } from './data.ts'
import { chainOf, computeBatch } from './direct-batch.ts'

// The benchmarks' "straight into PostgreSQL" writer: the same rows and the same aggregate merge as the
// server on PostgreSQL, through node-postgres with named (prepared) multi-row statements, from this
// one process: no HTTP, no validation, no query builder. Each batch is one transaction that takes
// the chain head's row lock, as the server's does.

const KEY = ['campaign_id', 'community_id', 'channel', 'worker_id', 'flags_key', 'exclusion_key', 'basis_key', 'review_key']
const RESPONSE_COLUMNS = [
  'id',
  'campaign_id',
  'questionnaire_version',
  'community_id',
  'channel',
  'device_id',
  'started_at',
  'submitted_at',
  'received_at',
  'answers_json',
  'flags',
  'exclusion',
  'content_hash',
  'test',
]
const EVIDENCE_COLUMNS = ['campaign_id', 'seq', 'response_id', 'content_hash', 'prev_hash', 'hash', 'at']
// The same merge as server/src/db/queries/aggregates.ts (MERGE): the sum happens under the row lock.
const MERGE_SUFFIX = `on conflict (${KEY.join(', ')}) do update set counts_json = (
  select coalesce(jsonb_object_agg(m, c), '{}'::jsonb)::text from (
    select m, sum(c) as c from (
      select key as m, value::bigint as c from jsonb_each_text(aggregate_cells.counts_json::jsonb)
      union all
      select key as m, value::bigint as c from jsonb_each_text(excluded.counts_json::jsonb)
    ) d group by m having sum(c) <> 0
  ) s)`

function insertText(table: string, columns: string[], rows: number, suffix = ''): string {
  const tuples: string[] = []
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
  return `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')} ${suffix}`
}

async function writeBatch(client: pg.PoolClient, batch: BenchItem[], deviceId: string): Promise<void> {
  const campaignId = batch[0]?.campaignId ?? ''
  const receivedAt = new Date().toISOString()
  const { rows, tally } = computeBatch(batch, deviceId, receivedAt)
  const n = rows.length
  await client.query('begin')
  try {
    await client.query({
      name: `direct_responses_${n}`,
      text: insertText('responses', RESPONSE_COLUMNS, n),
      values: rows.flatMap((r) => [
        r.id,
        r.campaignId,
        r.version,
        r.communityId,
        r.channel,
        r.deviceId,
        r.startedAt,
        r.submittedAt,
        r.receivedAt,
        r.answersJson,
        r.flagsKey,
        r.exclusion,
        r.contentHash,
        0,
      ]),
    })
    const head = (
      await client.query({
        name: 'direct_head_lock',
        text: 'update evidence_heads set seq = seq where campaign_id = $1 returning seq, hash',
        values: [campaignId],
      })
    ).rows[0] as { seq: number; hash: string }
    const chain = chainOf(rows, { seq: Number(head.seq), hash: head.hash })
    await client.query({
      name: `direct_evidence_${n}`,
      text: insertText('evidence_log', EVIDENCE_COLUMNS, n),
      values: chain.flatMap((e) => [campaignId, e.seq, e.responseId, e.contentHash, e.prev, e.hash, receivedAt]),
    })
    const last = chain.at(-1)!
    await client.query({
      name: 'direct_head_write',
      text: 'update evidence_heads set seq = $2, hash = $3 where campaign_id = $1',
      values: [campaignId, last.seq, last.hash],
    })
    const cells = Object.keys(tally.cells)
      .sort()
      .map((k) => tally.cells[k]!)
    await client.query({
      text: insertText('aggregate_cells', [...KEY, 'counts_json'], cells.length, MERGE_SUFFIX),
      values: cells.flatMap((c) => [
        campaignId,
        c.communityId,
        c.channel,
        c.workerId,
        c.flagsKey,
        c.exclusionKey,
        c.basisKey,
        c.reviewKey,
        JSON.stringify(c.counts),
      ]),
    })
    const communities = [...new Set(rows.map((r) => r.communityId))].sort()
    await client.query({
      text: `${insertText('community_activity', ['campaign_id', 'community_id', 'last_received_at'], communities.length)}
        on conflict (campaign_id, community_id) do update set last_received_at = greatest(community_activity.last_received_at, excluded.last_received_at)`,
      values: communities.flatMap((c) => [campaignId, c, receivedAt]),
    })
    await client.query('commit')
  } catch (err) {
    await client.query('rollback')
    throw err
  }
}

/**
 * Writes `items` in batches of `batch` into the database at `url` (already migrated), `connections`
 * transactions at a time from this one process. Returns responses per second.
 */
export async function directPg(url: string, items: BenchItem[], batch: number, connections: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections })
  try {
    const campaignId = items[0]?.campaignId ?? ''
    await pool.query(`insert into evidence_heads (campaign_id, seq, hash) values ($1, 0, $2) on conflict (campaign_id) do nothing`, [
      campaignId,
      '0'.repeat(64),
    ])
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = await pool.connect()
        try {
          for (;;) {
            const i = next++ * batch
            if (i >= items.length) return
            await writeBatch(client, items.slice(i, i + batch), `bench-device-${i / batch}`)
          }
        } finally {
          client.release()
        }
      }),
    )
    return items.length / ((performance.now() - started) / 1000)
  } finally {
    await pool.end()
  }
}
