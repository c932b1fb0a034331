import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'
import { createWorker, demoField, type Field, goHome, signIn, storedResponses } from './worker-support.ts'

/**
 * Issue 9 §8, fourth scenario (PRODUCT.md C3 paper transcription): a stack of paper forms typed in with
 * the keyboard alone — digits pick options, Enter moves on — arrives with channel `paper` and each
 * form's serial number.
 */
describe.skipIf(!hasBrowser)('paper transcription by keyboard in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let sqlitePath: string
  let admin: string
  let field: Field
  let workerId: string

  beforeAll(async () => {
    sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-e2e-')), 'e2e.sqlite')
    server = await startServer({ sqlitePath })
    admin = await adminToken(server.url)
    field = await demoField(server.url, admin)
    workerId = await createWorker(server.url, admin, field, 'zhaomin', '赵敏')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should store forms typed with the keyboard only, with channel paper and their serial numbers', async () => {
    const context = await browser.newContext({ ...PHONE, isMobile: false, hasTouch: false })
    const page = await context.newPage()
    await page.goto(`${server.url}/w`)
    await signIn(page, 'zhaomin')
    await page.getByTestId('start-paper').click()
    await page.getByTestId('pick-community').filter({ hasText: field.communities[0]!.name }).click()
    await page.getByTestId('paper-serial').locator('input').focus()
    await page.keyboard.type('0041')
    await page.keyboard.press('Enter')

    for (const form of [0, 1]) {
      await page.getByTestId('paper-form').waitFor()
      // The first box has the focus; from here on only keys: the 9 ratings, the multiple choice, a
      // suggestion, then the profile questions. A wrong number is refused and typed again.
      const inputs = page.locator('[data-testid^="paper-q_"]')
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe(await inputs.first().getAttribute('data-testid'))
      await page.keyboard.type('9')
      await page.keyboard.press('Enter')
      expect(await page.getByRole('alert').first().textContent()).toContain('序号')
      await page.keyboard.press('Backspace')
      const boxes = await inputs.count()
      for (let i = 0; i < boxes; i++) {
        const id = (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) ?? ''
        const key =
          id === 'paper-q_improve'
            ? '1 3'
            : id === 'paper-q_suggestions'
              ? `第${form}份的建议`
              : id.startsWith('paper-q_') && i < 10
                ? String(1 + ((i + form) % 2))
                : '1'
        await page.keyboard.type(key)
        await page.keyboard.press('Enter')
      }
      // The previous form's line stays on screen until this one is saved: wait for this serial.
      await expect.poll(() => page.getByTestId('paper-saved').textContent(), { timeout: 15_000 }).toContain(['0041', '0042'][form])
    }
    await goHome(page)
    await expect.poll(async () => (await storedResponses(sqlitePath, field.campaignId)).length, { timeout: 30_000 }).toBe(2)
    const rows = await storedResponses(sqlitePath, field.campaignId)
    expect(rows.map((r) => [r.channel, r.worker_id, r.serial]).sort()).toEqual([
      ['paper', workerId, '0041'],
      ['paper', workerId, '0042'],
    ])
    await context.close()
  }, 300_000)
})
