import { mkdtempSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, stablePort, startServer } from '../support/server.ts'
import {
  adminToken,
  answerRatings,
  campaignIdOf,
  countStore,
  received,
  startQuestionnaire,
  submit,
  waitForResidentPath,
  waitUntilOfflineReady,
} from './client-support.ts'

/**
 * The resident PWA against the real server in Chromium: online submit, a real outage (the server
 * process stopped, so the service worker's own fetches fail too — `context.setOffline` would not
 * reach them, playwright#2311), and the server killed with SIGKILL mid-flush.
 */
describe.skipIf(!hasBrowser)('resident questionnaire sync in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let port: number
  let sqlitePath: string
  let path: string
  let admin: string
  let campaignId: string

  const restart = async () => {
    server = await startServer({ port, sqlitePath })
    admin = await adminToken(server.url)
  }

  beforeAll(async () => {
    port = await stablePort()
    sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-e2e-')), 'e2e.sqlite')
    server = await startServer({ port, sqlitePath })
    path = await waitForResidentPath(server)
    admin = await adminToken(server.url)
    campaignId = await campaignIdOf(server.url, path)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function phone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    return { context, page }
  }

  /** One visit online (so the app is cached), then the server stopped for real and `n` answers queued. */
  async function queueWhileServerDown(n: number): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await phone()
    await page.goto(server.url + path)
    await waitUntilOfflineReady(page)
    await server.stop()
    await page.reload()
    await startQuestionnaire(page)
    for (let i = 0; i < n; i++) {
      await answerRatings(page)
      expect(await submit(page)).toBe('已保存，联网后自动发送')
      await page.getByRole('button', { name: /再填一份/ }).click()
    }
    expect(await countStore(page, 'outbox')).toBe(n)
    return { context, page }
  }

  it('should count an online submit in the indicator when the resident submits', async () => {
    const before = await received(server.url, admin, campaignId)
    const { context, page } = await phone()
    await page.goto(server.url + path)
    await startQuestionnaire(page)
    await answerRatings(page)
    expect(await submit(page)).toBe('已发送')
    expect(await countStore(page, 'outbox')).toBe(0)
    expect(await received(server.url, admin, campaignId)).toBe(before + 1)
    await context.close()
  }, 60_000)

  it('should keep 5 offline answers through a reload and store each once when the server returns', async () => {
    const before = await received(server.url, admin, campaignId)
    const { context, page } = await queueWhileServerDown(5)

    // Still offline: the reloaded page comes from the service worker, the outbox from IndexedDB.
    await page.reload()
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    expect(await countStore(page, 'outbox')).toBe(5)
    await expect(page.getByTestId('queued-count').count()).resolves.toBe(0) // the survey page shows no stale banner

    await restart()
    // The browser never saw the outage; tell it the network is back (fires `online` in the page).
    await context.setOffline(true)
    await context.setOffline(false)
    await expect.poll(() => countStore(page, 'outbox'), { timeout: 60_000 }).toBe(0)
    expect(await received(server.url, admin, campaignId)).toBe(before + 5)
    await context.close()
  }, 120_000)

  it('should store every response once when the server is killed with SIGKILL during a flush', async () => {
    const before = await received(server.url, admin, campaignId)
    const { context, page } = await queueWhileServerDown(3)

    // The first flush after the restart reaches the server, which stores the batch and is then
    // killed before the answer gets back: the worst case, a lost acknowledgement. The route is in
    // place before the restart so that no trigger (backoff timer, Background Sync) slips past it.
    let up = false
    let killed: 'after-store' | 'mid-request' | null = null
    const kill = (how: 'after-store' | 'mid-request') => {
      if (killed) return
      killed = how
      void server.stop('SIGKILL')
    }
    await context.route('**/api/v1/sync', async (route) => {
      if (!up) return route.abort('connectionrefused')
      if (killed) return route.continue()
      await route.fetch().catch(() => null)
      kill('after-store')
      await route.abort('connectionreset')
    })
    // Service-worker fetches may bypass context.route: kill on sight, mid-request.
    context.on('request', (r) => {
      if (up && r.serviceWorker() && r.url().endsWith('/api/v1/sync')) kill('mid-request')
    })
    await restart()
    up = true
    for (let i = 0; i < 15 && !killed; i++) {
      await context.setOffline(true)
      await context.setOffline(false)
      await new Promise((r) => setTimeout(r, 2_000))
    }
    expect(killed).not.toBeNull()
    await expect.poll(() => server.proc.signalCode, { timeout: 10_000 }).toBe('SIGKILL')
    // Stored but never acknowledged: the phone must still hold all three.
    if (killed === 'after-store') expect(await countStore(page, 'outbox')).toBe(3)

    await restart()
    await context.setOffline(true)
    await context.setOffline(false)
    await expect.poll(() => countStore(page, 'outbox'), { timeout: 60_000 }).toBe(0)
    expect(await received(server.url, admin, campaignId)).toBe(before + 3)
    await context.close()
  }, 120_000)

  it('should let the service worker send the outbox with no page open when Background Sync fires', async () => {
    const before = await received(server.url, admin, campaignId)
    const { context, page } = await queueWhileServerDown(2)

    // A blank tab keeps a DevTools session to fire the sync event; the app's page is closed.
    const blank = await context.newPage()
    const cdp = await context.newCDPSession(blank)
    const registrations: { registrationId: string; scopeURL: string }[] = []
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations))
    await cdp.send('ServiceWorker.enable')
    await expect.poll(() => registrations.length, { timeout: 10_000 }).toBeGreaterThan(0)
    await page.close()

    await restart()
    const reg = registrations.find((r) => r.scopeURL.startsWith(server.url))!
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: server.url,
      registrationId: reg.registrationId,
      tag: 'minyi-outbox',
      lastChance: false,
    })
    await expect.poll(() => received(server.url, admin, campaignId), { timeout: 30_000 }).toBe(before + 2)
    // Read the outbox from a same-origin page that runs none of the app's code.
    await blank.goto(`${server.url}/manifest.webmanifest`)
    await expect.poll(() => countStore(blank, 'outbox'), { timeout: 10_000 }).toBe(0)
    await context.close()
  }, 120_000)

  it('should queue and later send from the open page when no service worker can run', async () => {
    const before = await received(server.url, admin, campaignId)
    // WeChat's in-app browser on iOS has no service worker: IndexedDB and the open page must do.
    const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' })
    const page = await context.newPage()
    await page.goto(server.url + path)
    await startQuestionnaire(page)
    await server.stop()
    await answerRatings(page)
    expect(await submit(page)).toBe('已保存，联网后自动发送')
    expect(await countStore(page, 'outbox')).toBe(1)
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull()

    await restart()
    await context.setOffline(true)
    await context.setOffline(false)
    await expect.poll(() => countStore(page, 'outbox'), { timeout: 60_000 }).toBe(0)
    await expect(page.getByTestId('result').textContent()).resolves.toBe('已发送')
    expect(await received(server.url, admin, campaignId)).toBe(before + 1)
    await context.close()
  }, 120_000)

  it('should store each response once when the exported file is imported and the phone later syncs too', async () => {
    const before = await received(server.url, admin, campaignId)
    const { context, page } = await queueWhileServerDown(2)
    // Last resort of C2: the resident hands the exported file to a worker, who imports it.
    await page.goto(server.url)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未发送的答卷' }).click()])
    const file = await readFile((await download.path())!, 'utf8')
    expect(JSON.parse(file)).toMatchObject({ format: 'minyi-outbox', version: 1 })

    await restart()
    const res = await fetch(`${server.url}/api/v1/sync/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, origin: server.url },
      body: file,
    })
    expect(res.status).toBe(200)
    const { results } = (await res.json()) as { results: { status: string }[] }
    // 'duplicate' too: a backoff timer or Background Sync may have beaten the import to it.
    expect(results).toHaveLength(2)
    for (const r of results) expect(['created', 'duplicate']).toContain(r.status)
    expect(await received(server.url, admin, campaignId)).toBe(before + 2)

    // The phone still holds both and sends them when it is online again: duplicates, removed, not re-counted.
    await context.setOffline(true)
    await context.setOffline(false)
    await expect.poll(() => countStore(page, 'outbox'), { timeout: 60_000 }).toBe(0)
    expect(await received(server.url, admin, campaignId)).toBe(before + 2)
    await context.close()
  }, 120_000)
})
