import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchPhoneProfile, watchCsp } from '../support/browser.ts'
import { type RunningServer, stablePort, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'
import {
  createWorker,
  demoField,
  type Field,
  fieldwork,
  type Outcome,
  rowsOf,
  signIn,
  storedResponses,
  visitHousehold,
  waitWorkerOfflineReady,
} from './worker-support.ts'

/**
 * PRODUCT.md C3 / issue 9 §8, first scenario: a worker signs in, the server goes down for real (the
 * process stopped, so the service worker's fetches fail too), the worker completes 30 door-to-door
 * questionnaires and 5 other visits across 2 communities; the browser is closed and opened again on the
 * same profile with the server still down, and the app opens with its queue; the server comes back and
 * everything arrives exactly once, under the worker's id, and the home's quota progress matches.
 */
describe.skipIf(!hasBrowser)('worker app offline for days in Chromium', () => {
  let server: RunningServer
  let port: number
  let sqlitePath: string
  let admin: string
  let field: Field
  let workerId: string
  const profile = mkdtempSync(join(tmpdir(), 'minyi-phone-'))
  let context: BrowserContext | null = null

  beforeAll(async () => {
    port = await stablePort()
    sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-e2e-')), 'e2e.sqlite')
    server = await startServer({ port, sqlitePath })
    admin = await adminToken(server.url)
    field = await demoField(server.url, admin)
    workerId = await createWorker(server.url, admin, field, 'zhangwei', '张伟')
  })
  afterAll(async () => {
    await context?.close()
    await server?.stop()
  })

  /** The home's "queued" figure. */
  const queuedCount = async (page: Page) =>
    Number((await page.getByTestId('count-queued').locator('.van-cell__value').textContent())?.trim())

  async function open(): Promise<Page> {
    context = await launchPhoneProfile(profile)
    return context.pages()[0] ?? (await context.newPage())
  }

  it('should keep 30 questionnaires and 5 visits through a browser restart offline and deliver each once', async () => {
    let page = await open()
    const outside: string[] = []
    context!.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url())
    })
    const csp = await watchCsp(page)
    await page.goto(`${server.url}/w`)
    await signIn(page, 'zhangwei')
    await waitWorkerOfflineReady(page)
    // Vant's icon font is the app's own (inline in the cached CSS): it renders, and nothing leaves the origin.
    const iconFont = () =>
      page.evaluate(() => {
        let loaded = false
        document.fonts.forEach((f) => {
          if (f.family.replace(/"/g, '') === 'vant-icon' && f.status === 'loaded') loaded = true
        })
        return loaded
      })
    await expect.poll(iconFont).toBe(true)

    await server.stop()
    await page.reload()
    await page.getByTestId('worker-name').waitFor()
    await page.getByTestId('start-door').click()
    const [a, b] = field.communities
    const outcomes: Outcome[] = ['not_home', 'refused', 'revisit', 'not_home', 'refused']
    for (let i = 0; i < 35; i++) {
      const community = i % 2 === 0 ? a!.name : b!.name
      const outcome = i < 30 ? 'completed' : outcomes[i - 30]!
      await visitHousehold(page, { community, door: `${(i % 7) + 1}号楼${(i % 3) + 1}单元${100 + i}`, outcome })
    }
    // Back leaves the loop for the home: nothing of any household there either.
    await page.goBack()
    await page.getByTestId('worker-name').waitFor()
    expect(await page.content()).not.toContain('号楼')
    expect(await queuedCount(page)).toBe(65)
    expect(await csp()).toEqual([])

    // A browser restart with the server still down: the app and its queue come back from the phone.
    await context!.close()
    page = await open()
    await page.goto(`${server.url}/w`)
    await page.getByTestId('worker-name').waitFor({ timeout: 20_000 })
    expect(await queuedCount(page)).toBe(65)
    await expect.poll(iconFont).toBe(true)
    const queued = await rowsOf<{ owner: string; item: { kind: string; channel?: string } }>(page, 'outbox')
    expect(queued.filter((r) => r.item.kind === 'response' && r.item.channel === 'door')).toHaveLength(30)
    expect(queued.filter((r) => r.item.kind === 'visit')).toHaveLength(35)
    expect(new Set(queued.map((r) => r.owner))).toEqual(new Set([workerId]))
    // The phone's own register keeps the door numbers; what travels holds only their HMAC.
    expect(JSON.stringify(queued)).not.toContain('号楼')
    expect((await rowsOf<{ door: string }>(page, 'visits')).filter((v) => v.door.includes('号楼'))).toHaveLength(35)
    expect(await page.getByTestId('revisit-count').textContent()).toBe('3')

    server = await startServer({ port, sqlitePath })
    await page.getByTestId('send-now').click()
    await expect.poll(() => queuedCount(page), { timeout: 30_000 }).toBe(0)
    expect(await rowsOf(page, 'attention')).toEqual([])

    const stored = await storedResponses(sqlitePath, field.campaignId)
    const mine = stored.filter((r) => r.worker_id === workerId)
    expect(mine).toHaveLength(30)
    expect(new Set(mine.map((r) => r.channel))).toEqual(new Set(['door']))
    expect(mine.every((r) => /^[0-9a-f]{64}$/.test(r.household_key ?? ''))).toBe(true)
    expect(await fieldwork(server.url, admin, field.campaignId)).toMatchObject({
      households: 35,
      completed: 30,
      notHome: 2,
      refused: 2,
      revisit: 1,
    })

    // Quota progress: after a refresh the server's figure holds all 30, and nothing is counted twice.
    await page.reload()
    await page.getByTestId('worker-name').waitFor()
    await expect.poll(async () => (await page.getByTestId('figures-age').textContent()) ?? '').toContain('刚刚')
    const totals = (await page.getByTestId('progress-total').allTextContents()).map((t) => Number(t.split('/')[0]))
    expect(totals).toEqual([15, 15])
    expect(outside).toEqual([])
  }, 600_000)
})
