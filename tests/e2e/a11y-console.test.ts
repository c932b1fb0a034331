import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser } from '../support/browser.ts'
import { RATED_IDS, uuidv7 } from '../support/data.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { axeOnPage, focusVisible, settle } from './a11y-support.ts'
import { adminToken, campaignIdOf, waitForResidentPath } from './client-support.ts'

// The evaluator console in real Chromium: axe-core (WCAG 2.2 A/AA and best practices) on the sign-in,
// the campaign list, every tab, the admin page, the audit log and the projector view; the header laid out for a phone
// at 390 px; a flag reviewed and the CSV exported with the keyboard alone. docs/ACCESSIBILITY.md.

const axeCounts: Record<string, number> = {}

describe.skipIf(!hasBrowser)('console accessibility', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let campaignId: string
  let title: string
  let speedingId: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const admin = await adminToken(server.url)
    campaignId = await campaignIdOf(server.url, await waitForResidentPath(server))
    const detail = (await (
      await fetch(`${server.url}/api/v1/campaigns/${campaignId}`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as {
      title: string
      questionnaire: { version: number }
      communities: { id: string }[]
    }
    title = detail.title
    // Three answers, the first answered in 5 s: flagged speeding, so the review tab has a row.
    for (let i = 0; i < 3; i++) {
      const submitted = Date.now() - 10_000 - i * 1000
      speedingId = i === 0 ? uuidv7(submitted) : speedingId
      const res = await fetch(`${server.url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          deviceId: `a11y-device-${i}`,
          appVersion: 'e2e',
          outboxSize: 0,
          items: [
            {
              kind: 'response',
              id: i === 0 ? speedingId : uuidv7(submitted),
              campaignId,
              questionnaireVersion: detail.questionnaire.version,
              communityId: detail.communities[0]?.id,
              channel: 'qr',
              startedAt: new Date(submitted - (i === 0 ? 5_000 : 120_000)).toISOString(),
              submittedAt: new Date(submitted).toISOString(),
              answers: Object.fromEntries(RATED_IDS.map((id) => [id, 4])),
              householdKey: null,
              symposiumId: null,
            },
          ],
        }),
      })
      expect(res.status, await res.clone().text()).toBe(200)
    }
    // A page of its own context: @axe-core/playwright refuses pages made by browser.newPage().
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    })
    page = await context.newPage()
  })
  afterAll(async () => {
    console.log(`axe violations per console page: ${JSON.stringify(axeCounts)}`)
    await browser?.close()
    await server?.stop()
  })

  async function check(p: Page, name: string): Promise<void> {
    expect(await axeOnPage(p, name, axeCounts), `axe on ${name}`).toEqual([])
  }

  it('should pass axe on the sign-in, the campaign list, every tab of a campaign and the admin page', async () => {
    await page.goto(`${server.url}/console`)
    await page.getByLabel('账号').waitFor()
    await check(page, 'sign-in')
    await page.getByLabel('账号').fill('admin')
    await page.getByLabel('密码').fill('admin-test-password')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('link', { name: title }).waitFor()
    await check(page, 'campaign list')
    await page.getByRole('link', { name: title }).click()
    await page.getByTestId('rate').waitFor()
    const tabs = await page.getByRole('tab').allTextContents()
    expect(tabs.length).toBeGreaterThanOrEqual(12)
    for (const name of tabs) {
      await page.getByRole('tab', { name: name.trim(), exact: true }).click()
      await check(page, `tab ${name.trim()}`)
    }
    await page.getByRole('link', { name: '账号与令牌' }).click()
    await page.getByRole('heading', { level: 1 }).waitFor()
    await check(page, 'admin')
    await page.getByRole('link', { name: '操作日志' }).click()
    await page.waitForURL('**/console/audit')
    await check(page, 'audit log')
  }, 180_000)

  it('should pass axe on the projector view of a symposium', async () => {
    await page.goto(`${server.url}/console/c/${campaignId}`)
    await page.getByRole('tab', { name: '座谈会' }).click()
    await page.getByLabel('名称').fill('无障碍测试座谈会')
    await page.getByLabel('地点').fill('党群服务中心')
    await page.getByLabel('居民代表').fill('5')
    await page.getByRole('button', { name: '保存' }).click()
    const card = page.getByTestId('symposium').filter({ hasText: '无障碍测试座谈会' })
    await card.getByRole('button', { name: '生成本场二维码' }).click()
    await card.locator('svg').waitFor()
    await card.getByRole('button', { name: '投屏计数' }).click()
    await page.getByTestId('projector-count').waitFor()
    await check(page, 'projector')
  }, 60_000)

  it('should lay the header out for a phone at 390 px: one line of header, the title full width, the actions in a menu', async () => {
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    })
    await phoneContext.addCookies(await page.context().cookies())
    const phone = await phoneContext.newPage()
    await phone.goto(`${server.url}/console/c/${campaignId}`)
    await phone.getByTestId('rate').waitFor()
    await settle(phone)
    const bar = await phone.locator('.console .top').boundingBox()
    const h1 = await phone.locator('.head h1').boundingBox()
    // One line: the name and the menu button, no wrapping onto a second row.
    expect(bar?.height).toBeLessThan(70)
    expect(h1?.width).toBeGreaterThan(390 - 2 * 16 - 2)
    writeFileSync('test-results/console-390.png', await phone.screenshot())
    const menu = phone.getByRole('button', { name: '菜单' })
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(phone.getByRole('button', { name: '退出登录' }).isVisible()).resolves.toBe(false)
    await menu.click()
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true')
    await expect(phone.getByRole('button', { name: '退出登录' }).isVisible()).resolves.toBe(true)
    writeFileSync('test-results/console-390-menu.png', await phone.screenshot())
    await check(phone, 'campaign at 390 px, menu open')
    await phoneContext.close()
  }, 60_000)

  it('should let an evaluator review a flag and export with the keyboard alone, focus always visible', async () => {
    await page.goto(`${server.url}/console/c/${campaignId}`)
    await page.getByTestId('rate').waitFor()
    /** Tabs forward until `target` has focus, checking every stop shows where focus is. */
    async function tabTo(target: ReturnType<Page['locator']>, back = false, max = 80): Promise<void> {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
        const f = await focusVisible(page)
        expect(f.visible, `focus ring on ${f.tag}`).toBe(true)
        if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return
      }
      throw new Error('never reached by Tab')
    }
    await tabTo(page.getByRole('tab', { name: '标记复核' }))
    await page.keyboard.press('Enter')
    const row = page.getByTestId('review-row').filter({ hasText: speedingId.slice(-8) })
    await row.waitFor()
    await tabTo(row.locator('summary'))
    await page.keyboard.press('Enter')
    await row.getByTestId('review-answers').waitFor()
    await tabTo(row.getByRole('textbox'))
    await page.keyboard.type('回访确认为误填')
    await tabTo(row.getByRole('button', { name: '剔除' }))
    await page.keyboard.press('Enter')
    await expect.poll(() => row.getByTestId('review-state').textContent(), { timeout: 10_000 }).toBe('已剔除')
    // Back up to the CSV export above the tabs: Enter on the link downloads it.
    const csv = page.getByRole('link', { name: '导出 CSV' })
    await tabTo(csv, true)
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
  }, 90_000)
})
