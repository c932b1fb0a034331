import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE, watchCsp } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'
import { createWorker, demoField } from './worker-support.ts'

/**
 * Issue 9 §2 from the admin's side (PRODUCT.md C3): the console shows a worker's one-time enrolment QR
 * code; the phone that opens it is signed in as that worker; the same code does not work twice.
 */
describe.skipIf(!hasBrowser)('a worker’s enrolment QR code in the console, in Chromium', () => {
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

  it('should show the code at 360 px and sign the phone that opens it in as that worker, once', async () => {
    const admin = await adminToken(server.url)
    const field = await demoField(server.url, admin)
    await createWorker(server.url, admin, field, 'wanglan', '王兰')

    // The admin, on a phone-width screen (a 360 px check of the card as a person would see it).
    const desk = await browser.newContext(PHONE)
    const page = await desk.newPage()
    const csp = await watchCsp(page)
    await page.goto(`${server.url}/console`)
    await page.getByLabel('账号').fill('admin')
    await page.getByLabel('密码').fill('admin-test-password')
    await page.getByRole('button', { name: '登录' }).click()
    // On a phone the header's actions are behind the menu button (one click opens it, a second would close it).
    await page.getByRole('button', { name: '菜单' }).click()
    await page.getByRole('link', { name: '账号与令牌' }).click()
    await page.getByTestId('staff-row').filter({ hasText: '王兰' }).getByRole('button', { name: '手机登录二维码' }).click()
    const card = page.getByTestId('enrolment')
    await card.waitFor()
    expect(await card.getByRole('heading').textContent()).toContain('王兰 的手机登录二维码')
    // A drawn QR code (the qrcode library's SVG path), 240 px, inside a 360 px screen.
    const qr = card.locator('.qr svg')
    expect(await qr.locator('path').count()).toBeGreaterThan(0)
    const box = await qr.boundingBox()
    expect(box?.width).toBe(240)
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360)
    expect(await card.textContent()).toContain('只能使用一次')
    await card.screenshot({ path: '/tmp/minyi-console-enrolment.png' })
    const url = (await page.getByTestId('enrolment-url').getAttribute('href')) ?? ''
    expect(url).toMatch(/\/w/)
    expect(await csp()).toEqual([])

    // The worker's phone opens the scanned address and is signed in as 王兰.
    const phone = await browser.newContext(PHONE)
    const w = await phone.newPage()
    await w.goto(url)
    await w.getByTestId('worker-name').waitFor({ timeout: 20_000 })
    expect(await w.getByTestId('worker-name').textContent()).toContain('王兰')

    // A second phone with the same code is refused and asked to sign in with a password.
    const other = await browser.newContext(PHONE)
    const o = await other.newPage()
    await o.goto(url)
    await o.getByLabel('账号').waitFor({ timeout: 20_000 })
    expect(await o.getByTestId('worker-name').count()).toBe(0)
    await Promise.all([desk.close(), phone.close(), other.close()])
  }, 180_000)
})
