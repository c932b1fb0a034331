/**
 * `pnpm bench report [--n 100000] [--pg]`: how long `GET /api/v1/campaigns/:id/report.docx` takes and how
 * big the document is — for the demo's seeded campaign (last year's synthetic sample) and for a campaign
 * of `--n` QR answers over 12 communities, sent through POST /api/v1/sync in batches of 100. In-process
 * (the app's own request handler), on a fresh SQLite file or PostgreSQL database; the first call also
 * pays for loading docx, echarts and resvg, so each figure is the median of 3 calls after it, wall and CPU.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listCampaignSummaries } from '../../server/src/services/campaigns.ts'
import { seedDemo } from '../../server/src/services/demo/index.ts'
import { startApp } from '../integration/auth-harness.ts'
import { responseItem, rng, setupCampaign, sync } from '../integration/server-harness.ts'

const args = process.argv.slice(2)
const n = Number(args[args.indexOf('--n') + 1]) || 100_000
const dialect = args.includes('--pg') ? 'postgres' : 'sqlite'

const h = await startApp(dialect, { SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'minyi-report-bench-')), 'b.sqlite') })
const admin = await h.staff('admin', 'bench-admin')

/** Wall time, and the process's CPU time (steadier on a shared machine: the wall includes waiting for a core). */
async function time(campaignId: string): Promise<{ ms: number; cpu: number; kb: number; first: number }> {
  const once = async () => {
    const t = performance.now()
    const c = process.cpuUsage()
    const res = await h.app.request(`/api/v1/campaigns/${campaignId}/report.docx`, { headers: { authorization: `Bearer ${admin.token}` } })
    const bytes = (await res.arrayBuffer()).byteLength
    if (res.status !== 200) throw new Error(`report: ${res.status}`)
    const used = process.cpuUsage(c)
    return { ms: performance.now() - t, cpu: (used.user + used.system) / 1000, bytes }
  }
  const first = await once()
  const runs = [await once(), await once(), await once()].sort((a, b) => a.ms - b.ms)
  const mid = runs[1] ?? first
  const cpu = runs.map((r) => r.cpu).sort((a, b) => a - b)[1] ?? first.cpu
  return { ms: Math.round(mid.ms), cpu: Math.round(cpu), kb: Math.round(mid.bytes / 1024), first: Math.round(first.ms) }
}

await seedDemo(h.deps)
const campaigns = await listCampaignSummaries(h.deps)
const demo = campaigns.find((c) => c.status === 'closed') ?? campaigns[0]
if (!demo) throw new Error('no demo campaign')
const ind = (await h.call('GET', `/api/v1/campaigns/${demo.id}/indicator`, { token: admin.token })).body
const d = await time(demo.id)
console.log(`demo campaign (${ind.n.received} responses): ${d.ms} ms wall, ${d.cpu} ms cpu (first call ${d.first} ms), ${d.kb} KB`)

const s = await setupCampaign(h, { communities: 12 })
const random = rng(100)
const t0 = performance.now()
for (let i = 0; i < n; i += 100) {
  const items = Array.from({ length: Math.min(100, n - i) }, (_, k) =>
    responseItem(
      h,
      s,
      { communityId: s.communityIds[(i + k) % 12], answers: { ...responseItem(h, s, {}, random).answers, q_improve: ['employment'] } },
      random,
    ),
  )
  const r = await sync(h, items, { deviceId: `bench-device-${i}` })
  if (r.status !== 200) throw new Error(`sync ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
}
console.log(`ingested ${n} in ${Math.round(performance.now() - t0)} ms`)
const big = await time(s.campaignId)
console.log(`report.docx: ${big.ms} ms wall, ${big.cpu} ms cpu for ${n} responses on ${dialect} (first call ${big.first} ms), ${big.kb} KB`)
await h.close()
