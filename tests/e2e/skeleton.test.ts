import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared/template'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE, watchCsp } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'

describe.skipIf(!hasBrowser)('started app in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should show the questionnaire title when a phone opens the app', async () => {
    const page = await browser.newPage(PHONE)
    const violations = await watchCsp(page)
    await page.goto(server.url)
    await expect(page.getByRole('heading', { name: TEMPLATE_QUESTIONNAIRE.title.zh }).waitFor()).resolves.toBeUndefined()
    // Under the server's CSP nothing may be blocked (zod's eval probe was, once: see shared/src/schemas/zod.ts).
    await page.waitForLoadState('load')
    await expect(violations()).resolves.toEqual([])
  })
})
