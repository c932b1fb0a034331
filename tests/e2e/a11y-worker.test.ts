import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { axeOnPage, settle } from './a11y-support.ts'
import { adminToken } from './client-support.ts'
import { createWorker, demoField, type Field, goHome, signIn } from './worker-support.ts'

// The community worker app (/w) at 360 px: axe-core (WCAG 2.2 A/AA and best practices) on each of its
// screens as a worker walks through them. docs/ACCESSIBILITY.md.

const axeCounts: Record<string, number> = {}
/** Every screen's violations, asserted at the end so that one run lists them all. */
const found: Record<string, string[]> = {}

describe.skipIf(!hasBrowser)('worker app accessibility at 360 px', () => {
  let browser: Browser
  let server: RunningServer
  let field: Field
  beforeAll(async () => {
    server = await startServer()
    const admin = await adminToken(server.url)
    field = await demoField(server.url, admin)
    await createWorker(server.url, admin, field, 'a11yworker', '李静')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    console.log(`axe violations per worker screen: ${JSON.stringify(axeCounts)}`)
    await browser?.close()
    await server?.stop()
  })

  async function check(page: Page, name: string): Promise<void> {
    const violations = await axeOnPage(page, name, axeCounts)
    if (violations.length) found[name] = violations
  }

  it('should pass axe on the sign-in, the home, every step of a door visit, paper entry, the revisits and the symposium recorder', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(`${server.url}/w`)
    await page.getByLabel('账号').waitFor()
    await check(page, 'sign-in')
    await signIn(page, 'a11yworker')
    await check(page, 'home')

    await page.getByTestId('start-door').click()
    await page.getByTestId('pick-community').first().waitFor()
    await check(page, 'door: community')
    await page.getByTestId('pick-community').filter({ hasText: field.communities[0]!.name }).click()
    await page.getByTestId('door').waitFor()
    await check(page, 'door: door number')
    await page.getByTestId('door').locator('input').fill('3-201')
    await page.getByTestId('door-next').click()
    await page.getByTestId('outcome-completed').waitFor()
    await check(page, 'door: outcome')
    await page.getByTestId('outcome-completed').click()
    await page.getByTestId('consent-agree').waitFor()
    await check(page, 'door: consent')
    await page.getByTestId('consent-agree').click()
    await page.locator('fieldset[id^="q-"]').first().waitFor()
    await check(page, 'door: questionnaire')
    const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
    for (let i = 0; i < (await ratings.count()); i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
    await page.getByTestId('submit-interview').click()
    await page.getByTestId('locked').waitFor()
    await check(page, 'door: lock screen')
    await goHome(page)

    await page.getByTestId('start-paper').click()
    await page.getByTestId('pick-community').filter({ hasText: field.communities[0]!.name }).click()
    await page.getByTestId('paper-serial').waitFor()
    await check(page, 'paper: serial')
    await page.getByTestId('paper-serial').locator('input').fill('0007')
    await page.keyboard.press('Enter')
    await page.getByTestId('paper-form').waitFor()
    await check(page, 'paper: form')
    await goHome(page)

    await page.getByTestId('open-revisits').click()
    await settle(page)
    await check(page, 'revisits')
    await goHome(page)

    await page.getByTestId('open-symposiums').click()
    await page.getByTestId('symposium-new').waitFor()
    await check(page, 'symposiums: list')
    await page.getByTestId('symposium-new').click()
    await page.getByTestId('symposium-form').waitFor()
    await check(page, 'symposiums: new')
    await context.close()
    expect(found).toEqual({})
  }, 180_000)
})
