/**
 * `pnpm bench:outbox` (PRODUCT.md quality bars, worker outbox), in real Chromium against the real server:
 * - app saves: 1,000 door interviews saved one by one through the worker app's own save path
 *   (`saveWorkerItems`: the questionnaire, its visit and the register line in one strict transaction);
 * - raw saves: 1,000 single-record IndexedDB transactions with durability 'strict' written directly
 *   (the browser's own limit on this machine), in blocks of ten alternating with the app's, so both
 *   meet the same load on a shared machine;
 * - flush: 10,000 queued door questionnaires sent to the local server by the app's sync engine.
 * The page is built by Vite from tests/bench/outbox-page (the app's modules, no test hooks in the app)
 * and served by the real server. Bars: ratio <= 2, flush <= 10 s. Last line:
 * `outbox: <a> ms app saves, <b> ms raw saves, ratio <r>, <c> ms flush of 10000`.
 */
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { adminToken } from '../e2e/client-support.ts'
import { launchBrowser } from '../support/browser.ts'
import { ROOT } from '../support/server.ts'
import { startBuiltServer } from './lib/server.ts'

const SAVES = 1000
const FLUSH = 10_000

// Vite is the client's dependency: load the client's own copy.
const vite = (await import(pathToFileURL(createRequire(join(ROOT, 'client/package.json')).resolve('vite')).href)) as {
  build: (config: Record<string, unknown>) => Promise<unknown>
}
const dist = mkdtempSync(join(tmpdir(), 'minyi-bench-page-'))
await vite.build({
  root: join(ROOT, 'tests/bench/outbox-page'),
  configFile: false,
  logLevel: 'warn',
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: { outDir: dist, emptyOutDir: true, target: 'es2020' },
})

// The server as `pnpm start` runs it (the esbuild bundle on plain Node), like the ingest benchmark.
const server = await startBuiltServer({ env: { CLIENT_DIST: dist, RATE_LIMIT_ANON: '0' } })
const browser = await launchBrowser()
try {
  const admin = await adminToken(server.url)
  const auth = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as { id: string; version: number; token: string; expiresAt: string; user: { id: string } }
  }
  const district = await post('/org-units', { kind: 'district', code: 'bench-d', name: '区' })
  const street = await post('/org-units', { kind: 'street', parentId: district.id, code: 'bench-s', name: '街道' })
  const community = await post('/org-units', { kind: 'community', parentId: street.id, code: 'bench-c', name: '社区' })
  const campaign = await post('/campaigns', {
    title: 'outbox bench',
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    communityIds: [community.id],
  })
  const published = await post(`/campaigns/${campaign.id}/questionnaire/publish`, {})
  await post('/staff', { name: '调查员', login: 'bench', role: 'worker', communityIds: [community.id], password: 'bench-password' })
  const login = await post('/auth/login', { login: 'bench', password: 'bench-password' })
  const detail = (await (await fetch(`${server.url}/api/v1/campaigns/${campaign.id}`, { headers: auth })).json()) as {
    questionnaire: { questions: { id: string; type: string }[] }
  }
  const answers: Record<string, unknown> = {}
  for (const q of detail.questionnaire.questions) if (q.type === 'rating') answers[q.id] = 4
  const setup = {
    worker: { id: login.user.id, token: login.token, expiresAt: login.expiresAt },
    campaignId: campaign.id,
    communityId: community.id,
    version: published.version,
    answers,
  }

  const page = await (await browser.newContext()).newPage()
  await page.goto(`${server.url}/`)
  await page.waitForFunction(() => 'bench' in window)
  type Bench = {
    saves: (s: typeof setup, n: number, record: unknown) => Promise<{ app: number; raw: number }>
    flush: (s: typeof setup, n: number) => Promise<{ ms: number; remaining: number; acknowledged: number }>
  }
  const { app, raw } = await page.evaluate(([s, n, a]) => (window as unknown as { bench: Bench }).bench.saves(s, n, a), [
    setup,
    SAVES,
    answers,
  ] as const)
  const flush = await page.evaluate(([s, n]) => (window as unknown as { bench: Bench }).bench.flush(s, n), [setup, FLUSH] as const)
  if (flush.remaining !== 0 || flush.acknowledged !== FLUSH)
    throw new Error(`flush left ${flush.remaining} queued, ${flush.acknowledged} acknowledged`)
  const stored = (await (await fetch(`${server.url}/api/v1/campaigns/${campaign.id}/progress`, { headers: auth })).json()) as {
    received: number
  }[]
  console.log(`stored on the server: ${stored[0]?.received} responses (expected ${FLUSH})`)
  console.log(`bars: ratio <= 2, flush <= 10000 ms; machine load ${loadavg()[0]?.toFixed(1)}`)
  console.log(
    `outbox: ${Math.round(app)} ms app saves, ${Math.round(raw)} ms raw saves, ratio ${(app / raw).toFixed(2)}, ${Math.round(flush.ms)} ms flush of ${FLUSH}`,
  )
} finally {
  await browser.close()
  await server.stop()
}
