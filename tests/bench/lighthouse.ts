/**
 * `pnpm bench:lighthouse`: Lighthouse 12.2.3 (mobile preset: Moto G Power viewport, simulated slow
 * 4G and 4x CPU slowdown) with the system Chromium against a questionnaire page of the demo
 * campaign, served by the real server (`pnpm start` on a fresh SQLite file, on a free port).
 * Bars (PRODUCT.md): performance >= 95, accessibility 100, best practices 100.
 * Prints what cost points, then the last line `lighthouse: performance <p>, accessibility <a>, best-practices <b>`.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../support/server.ts'

const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const require = createRequire(import.meta.url)
const cli = join(require.resolve('lighthouse/package.json'), '..', 'cli', 'index.js')

/** The resident link: printed by the server on start, else asked of the API as admin. */
async function residentLink(url: string, output: string): Promise<string> {
  const printed = /\/s\/[A-Za-z0-9_-]+/.exec(output)?.[0]
  if (printed) return printed
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
  })
  const { token } = (await login.json()) as { token: string }
  const auth = { authorization: `Bearer ${token}` }
  const campaigns = (await (await fetch(`${url}/api/v1/campaigns`, { headers: auth })).json()) as { id: string }[]
  const links = (await (await fetch(`${url}/api/v1/campaigns/${campaigns[0]!.id}/links`, { headers: auth })).json()) as { url: string }[]
  return new URL(links[0]!.url, url).pathname
}

/**
 * How the server sends the entry chunk. (Called twice on failure: undici may reuse a keep-alive
 * socket the server closed during the long Lighthouse run, "other side closed".)
 */
async function entryEncoding(page: string): Promise<string> {
  const html = await (await fetch(page)).text()
  const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1]
  if (!entry) return 'no entry script found'
  const res = await fetch(new URL(entry, page), { headers: { 'accept-encoding': 'gzip, br' } })
  await res.arrayBuffer()
  return res.headers.get('content-encoding') ?? 'none (uncompressed)'
}

const server = await startServer()
try {
  // Give the seeding a moment to print the link.
  await new Promise((r) => setTimeout(r, 500))
  const path = await residentLink(server.url, server.output())
  const target = `${server.url}${path}`
  const out = join(mkdtempSync(join(tmpdir(), 'minyi-lh-')), 'report.json')
  console.log(`lighthouse ${target}`)
  const run = spawnSync(
    process.execPath,
    [
      cli,
      target,
      '--only-categories=performance,accessibility,best-practices',
      '--output=json',
      `--output-path=${out}`,
      '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run',
    ],
    { env: { ...process.env, CHROME_PATH }, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 },
  )
  if (run.status !== 0) throw new Error(`lighthouse exited with ${run.status}`)
  type Audit = {
    id: string
    title: string
    score: number | null
    scoreDisplayMode: string
    displayValue?: string
    details?: { items?: unknown[] }
  }
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    categories: Record<string, { score: number; auditRefs: { id: string; weight: number }[] }>
    audits: Record<string, Audit>
  }
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100)
  for (const [id, cat] of Object.entries(report.categories)) {
    for (const ref of cat.auditRefs) {
      const a = report.audits[ref.id]
      if (a && a.score !== null && a.score < 1 && ref.weight > 0) {
        console.log(`  ${id}: ${a.id} ${a.score} ${a.displayValue ?? ''} — ${a.title}`)
        // What exactly lost the points (e.g. which issue Chrome logged), so a drop can be acted on.
        if (a.details?.items?.length) console.log(`    ${JSON.stringify(a.details.items).slice(0, 600)}`)
      }
    }
  }
  for (const id of [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'speed-index',
  ]) {
    console.log(`  ${id}: ${report.audits[id]?.displayValue ?? '?'}`)
  }
  // The figure depends on it (docs/PERFORMANCE.md): say whether the server compressed the entry chunk.
  console.log(`  entry chunk content-encoding: ${await entryEncoding(target).catch(() => entryEncoding(target))}`)
  console.log(
    `lighthouse: performance ${score('performance')}, accessibility ${score('accessibility')}, best-practices ${score('best-practices')}`,
  )
} finally {
  await server.stop()
}
