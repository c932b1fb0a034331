import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, watchCsp } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'

// The admins' audit page (issue 12 point 6) in Chromium against the real server: actions taken in the
// console appear with who and what changed; the action filter, the CSV export and the chain check work;
// the page fits a 360 px phone.

describe.skipIf(!hasBrowser)('audit log page in Chromium', () => {
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
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    })
    page.setDefaultTimeout(10_000)
    violations = await watchCsp(page)
    page.on('pageerror', (e) => problems.push(String(e)))
    await page.goto(`${server.url}/console`)
    await page.getByLabel('账号').fill('admin')
    await page.getByLabel('密码').fill('admin-test-password')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('link', { name: '操作日志' }).waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should list what the admin just did, filter it, export it and verify the chain', { timeout: 60_000 }, async () => {
    // An account made through the API with the admin's token, a token made in the console.
    const res = await fetch(`${server.url}/api/v1/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '李审计', login: 'li.audit', role: 'evaluator', password: 'evaluator-pass-1', communityIds: [] }),
    })
    expect(res.status).toBe(201)
    await page.getByRole('link', { name: '账号与令牌' }).click()
    await page.getByLabel('用途').fill('审计测试')
    await page.getByRole('button', { name: '生成令牌' }).click()
    await page.getByTestId('new-token').waitFor()

    await page.getByRole('link', { name: '操作日志' }).click()
    await page.waitForURL('**/console/audit')
    const rows = page.getByTestId('audit-row')
    await rows.first().waitFor()
    const first = await rows.first().textContent()
    expect(first).toContain('新建接口令牌')
    expect(first).toContain('name: 审计测试')
    await expect(page.getByTestId('audit-row').filter({ hasText: '新建账号' }).textContent()).resolves.toContain('login: li.audit')

    await page.locator('select[name=action]').selectOption('staff.create')
    await page.getByRole('button', { name: '筛选', exact: true }).click()
    await expect.poll(() => rows.count()).toBe(1)
    await expect(rows.first().textContent()).resolves.toContain('李审计')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()])
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text()
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('staff.create')

    await page.getByTestId('audit-verify').click()
    await expect(page.getByTestId('audit-verdict').textContent()).resolves.toMatch(/日志完整：共 \d+ 条/)

    await page.setViewportSize({ width: 360, height: 740 })
    await page.getByRole('button', { name: '清除筛选' }).click()
    await rows.nth(2).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: 'test-results/console-audit-360.png', fullPage: true })
    expect(await violations()).toEqual([])
    expect(problems).toEqual([])
  })
})
