import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, watchCsp } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'

// Issue 15 in Chromium against the real server: the demo's closed campaign (last year's, with data) —
// its retention tab shows the generated notice and the dry run's counts; after the exports on offer,
// the admin types its title and deletes the raw data; the indicator stays the same.

async function api<T>(server: RunningServer, token: string, path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

describe.skipIf(!hasBrowser)('retention tab in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let token: string
  let violations: () => Promise<string[]>
  const problems: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    token = await adminToken(server.url)
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    page.setDefaultTimeout(15_000)
    violations = await watchCsp(page)
    page.on('pageerror', (e) => problems.push(String(e)))
    await page.goto(`${server.url}/console`)
    await page.getByLabel('账号').fill('admin')
    await page.getByLabel('密码').fill('admin-test-password')
    await page.getByRole('button', { name: '登录' }).click()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should show the dry run of the closed demo campaign and delete its raw data after the typed title', { timeout: 90_000 }, async () => {
    const campaigns = await api<{ id: string; title: string; status: string }[]>(server, token, '/campaigns')
    const closed = campaigns.find((c) => c.status === 'closed')
    if (!closed) throw new Error('the demo has no closed campaign')
    const before = await api<unknown>(server, token, `/campaigns/${closed.id}/indicator`)
    await page.getByRole('link', { name: closed.title }).click()
    await page.getByRole('tab', { name: '保存期限' }).click()
    await expect(page.getByTestId('retention-notice').textContent()).resolves.toContain('评价结束后保存三年后删除')
    const plan = page.getByTestId('retention-plan')
    await plan.waitFor()
    const responses = await plan.locator('tr', { hasText: '答卷（含意见、定位）' }).locator('td.num').textContent()
    expect(Number(responses)).toBeGreaterThan(500)
    const button = page.getByTestId('retention-delete')
    await expect(button.isDisabled()).resolves.toBe(true)
    await page.locator('input[name=retention-confirm]').fill(closed.title)
    await page.screenshot({ path: 'test-results/console-retention-360.png', fullPage: true })
    await button.click()
    await page.getByTestId('retention-done').waitFor()
    const after = await api<{ counts: Record<string, number> }>(server, token, `/campaigns/${closed.id}/retention`)
    expect(Object.values(after.counts).every((n) => n === 0)).toBe(true)
    expect(await api<unknown>(server, token, `/campaigns/${closed.id}/indicator`)).toEqual(before)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })
})
