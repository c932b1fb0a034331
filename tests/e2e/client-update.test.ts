import { appendFileSync, cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { ROOT, type RunningServer, startServer } from '../support/server.ts'
import { answerRatings, startQuestionnaire, submit, waitForResidentPath, waitUntilOfflineReady } from './client-support.ts'

/**
 * A new app version while a resident is answering: the page must not reload, and the update prompt
 * shows only once the questionnaire is submitted. The server serves a copy of client/dist whose
 * sw.js the test changes, as a deployment would.
 */
describe.skipIf(!hasBrowser)('service-worker update in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let dist: string
  let path: string
  beforeAll(async () => {
    dist = join(mkdtempSync(join(tmpdir(), 'minyi-dist-')), 'dist')
    cpSync(join(ROOT, 'client', 'dist'), dist, { recursive: true })
    server = await startServer({ env: { CLIENT_DIST: dist } })
    path = await waitForResidentPath(server)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should keep the open questionnaire and prompt only after submit when a new service worker is waiting', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(server.url + path)
    await waitUntilOfflineReady(page)
    await startQuestionnaire(page)
    const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
    for (let i = 0; i < 3; i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
    const suggestion = page.locator('textarea')
    await suggestion.fill('希望多组织文体活动')

    let navigations = 0
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++
    })
    appendFileSync(join(dist, 'sw.js'), `\n// deployed ${Date.now()}\n`)
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update()
    })
    await expect
      .poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting), { timeout: 30_000 })
      .toBe(true)
    await page.waitForTimeout(1_000)

    expect(navigations).toBe(0)
    await expect(suggestion.inputValue()).resolves.toBe('希望多组织文体活动')
    await expect(page.locator('input[type="radio"]:checked').count()).resolves.toBe(3)
    await expect(page.getByTestId('update-prompt').count()).resolves.toBe(0)

    await answerRatings(page)
    expect(await submit(page)).toBe('已发送')
    const prompt = page.getByTestId('update-prompt')
    await prompt.waitFor()
    expect(navigations).toBe(0)

    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: '更新' }).click()])
    expect(navigations).toBe(1)
    await expect
      .poll(() => page.evaluate(async () => !(await navigator.serviceWorker.getRegistration())?.waiting), { timeout: 15_000 })
      .toBe(true)
    await context.close()
  }, 120_000)
})
