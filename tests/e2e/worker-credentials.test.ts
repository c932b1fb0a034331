import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, stablePort, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'
import {
  createWorker,
  demoField,
  type Field,
  goHome,
  rowsOf,
  signIn,
  storedResponses,
  visitHousehold,
  waitWorkerOfflineReady,
} from './worker-support.ts'

/**
 * Issue 9 §8, second and third scenarios (PRODUCT.md C3 credentials): the token revoked while the phone
 * is offline loses nothing and a new sign-in sends everything; on one phone, worker A's offline items
 * are sent only under A's token — not while B is signed in — and the server attributes each to its worker.
 */
describe.skipIf(!hasBrowser)('worker credentials on a shared phone in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let port: number
  let sqlitePath: string
  let admin: string
  let field: Field
  const ids: Record<string, string> = {}

  const restart = async () => {
    server = await startServer({ port, sqlitePath })
  }
  const queuedCount = async (page: Page) =>
    Number((await page.getByTestId('count-queued').locator('.van-cell__value').textContent())?.trim())
  const byWorker = async () => {
    const rows = await storedResponses(sqlitePath, field.campaignId)
    return Object.fromEntries(Object.entries(ids).map(([login, id]) => [login, rows.filter((r) => r.worker_id === id).length]))
  }

  beforeAll(async () => {
    port = await stablePort()
    sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-e2e-')), 'e2e.sqlite')
    server = await startServer({ port, sqlitePath })
    admin = await adminToken(server.url)
    field = await demoField(server.url, admin)
    for (const [login, name] of [
      ['liqiang', '李强'],
      ['worker_a', '甲'],
      ['worker_b', '乙'],
    ] as const)
      ids[login] = await createWorker(server.url, admin, field, login, name)
    browser = await launchBrowser()
  })
  // A failed test may leave the server stopped: each starts with it up.
  beforeEach(async () => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) await restart()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should keep everything when the token is revoked while offline, and send it after signing in again', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(`${server.url}/w`)
    await signIn(page, 'liqiang')
    await waitWorkerOfflineReady(page)
    await server.stop()
    await page.getByTestId('start-door').click()
    for (let i = 0; i < 3; i++)
      await visitHousehold(page, { community: field.communities[0]!.name, door: `8号楼${i}01`, outcome: 'completed' })
    await goHome(page)

    // While the phone cannot reach it, the server comes back on another port and an admin revokes the
    // worker's sessions there (a lost phone); then the phone's own origin returns.
    const elsewhere = await startServer({ port: await stablePort(), sqlitePath })
    const revoke = await fetch(`${elsewhere.url}/api/v1/staff/${ids.liqiang}/sessions/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await adminToken(elsewhere.url)}` },
    })
    expect(revoke.status).toBe(200)
    await elsewhere.stop()
    await restart()

    await page.getByTestId('send-now').click()
    await page.getByTestId('sign-in-needed').waitFor({ timeout: 20_000 })
    expect(await queuedCount(page)).toBe(6)
    expect(await rowsOf(page, 'outbox')).toHaveLength(6)
    expect((await byWorker()).liqiang).toBe(0)

    await page.getByTestId('sign-in-again').click()
    expect(await page.getByLabel('账号').inputValue()).toBe('liqiang')
    await signIn(page, 'liqiang')
    await expect.poll(() => queuedCount(page), { timeout: 30_000 }).toBe(0)
    expect((await byWorker()).liqiang).toBe(3)
    await context.close()
  }, 300_000)

  it('should send worker A’s items only under A’s token, never while B is signed in on the same phone', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(`${server.url}/w`)
    await signIn(page, 'worker_a')
    await waitWorkerOfflineReady(page)
    await server.stop()
    await page.getByTestId('start-door').click()
    for (let i = 0; i < 3; i++) await visitHousehold(page, { community: field.communities[1]!.name, door: `甲${i}`, outcome: 'completed' })
    await goHome(page)

    // Signing out with unsent items warns, and keeps them.
    await page.getByTestId('sign-out').click()
    await page.getByTestId('sign-out-warning').waitFor()
    await page.getByTestId('sign-out-confirm').click()
    await page.getByLabel('账号').waitFor()
    expect(await rowsOf(page, 'outbox')).toHaveLength(6)

    // Worker B arrives with an enrolment QR code from the console (one-time, 24 h).
    await restart()
    const made = await fetch(`${server.url}/api/v1/staff/${ids.worker_b}/enrolment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    })
    const { url } = (await made.json()) as { url: string }
    await page.goto(url)
    await page.getByTestId('worker-name').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('worker-name').textContent()).toContain('乙')
    expect(page.url()).not.toContain('#')
    await page.getByTestId('start-door').click()
    for (let i = 0; i < 2; i++) await visitHousehold(page, { community: field.communities[1]!.name, door: `乙${i}`, outcome: 'completed' })
    await goHome(page)
    await expect.poll(() => queuedCount(page), { timeout: 30_000 }).toBe(0)
    expect(await byWorker()).toMatchObject({ worker_a: 0, worker_b: 2 })
    const waiting = await rowsOf<{ owner: string }>(page, 'outbox')
    expect(waiting.map((r) => r.owner)).toEqual(Array(6).fill(ids.worker_a))

    // A signs in again (the phone lists A with their waiting items) and A's go, under A's id.
    await page.getByTestId('sign-out').click()
    await page.getByTestId('phone-worker').filter({ hasText: '甲' }).click()
    await signIn(page, 'worker_a')
    await expect.poll(async () => (await rowsOf(page, 'outbox')).length, { timeout: 30_000 }).toBe(0)
    expect(await byWorker()).toMatchObject({ worker_a: 3, worker_b: 2 })
    await context.close()
  }, 300_000)
})
