import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import {
  TYPES_CAMPAIGN as CAMPAIGN,
  countStore,
  TYPES_LINK as LINK,
  startQuestionnaire,
  submit,
  waitForResidentPath,
} from './client-support.ts'

describe.skipIf(!hasBrowser)('question types, show-if and rejected answers in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let path: string
  let context: BrowserContext
  let page: Page
  const sent: unknown[] = []
  beforeAll(async () => {
    server = await startServer()
    path = await waitForResidentPath(server)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function open(): Promise<void> {
    context = await browser.newContext(PHONE)
    // Only the link is faked; sync goes to the real server, which doesn't know this campaign.
    await context.route('**/api/v1/links/**', (r) => r.fulfill({ json: LINK }))
    context.on('request', (r) => {
      if (r.url().endsWith('/api/v1/sync') && r.method() === 'POST') sent.push(...(r.postDataJSON() as { items: unknown[] }).items)
    })
    page = await context.newPage()
  }

  it('should show follow-up questions only when the earlier answer matches their show-if', async () => {
    await open()
    await page.goto(server.url + path)
    await startQuestionnaire(page)
    await expect(page.locator('#q-q_which').count()).resolves.toBe(0)
    await page.locator('#q-q_joined').getByText('参加过', { exact: true }).click()
    await expect(page.locator('#q-q_which').isVisible()).resolves.toBe(true)
    await expect(page.locator('#q-q_times').isVisible()).resolves.toBe(true)
    await page.locator('#q-q_joined').getByText('没有', { exact: true }).click()
    await expect(page.locator('#q-q_which').count()).resolves.toBe(0)
    await context.close()
  })

  it('should explain a number outside its range or not whole when the resident submits', async () => {
    await open()
    await page.goto(server.url + path)
    await startQuestionnaire(page)
    await page.locator('#q-q_joined').getByText('参加过', { exact: true }).click()
    const times = page.locator('#q-q_times input')
    await expect(times.getAttribute('inputmode')).resolves.toBe('numeric')
    await times.fill('99')
    await page.getByRole('button', { name: '提交' }).click()
    await expect(page.locator('#q-q_times').getByRole('alert').textContent()).resolves.toBe('不能大于 50')
    await times.fill('2.5')
    await page.getByRole('button', { name: '提交' }).click()
    await expect(page.locator('#q-q_times').getByRole('alert').textContent()).resolves.toBe('请输入整数')
    await context.close()
  })

  it('should send only visible answers with 不了解 as "na" and keep the response in needs-attention when the server rejects it', async () => {
    await open()
    await page.goto(server.url + path)
    await startQuestionnaire(page)
    await page.locator('#q-q_joined').getByText('参加过', { exact: true }).click()
    await page.locator('#q-q_which').getByText('体育', { exact: true }).click()
    await page.locator('#q-q_times input').fill('4')
    await page.locator('#q-q_joined').getByText('没有', { exact: true }).click()
    await page.locator('#q-q_best input').fill('  重阳节  ')
    await page.locator('#q-q_rate').getByText('不了解', { exact: true }).click()

    expect(await submit(page)).toBe('答卷未被接受')
    const box = page.getByTestId('needs-attention')
    await box.waitFor()
    await expect(box.textContent()).resolves.toContain('调查活动不存在')
    expect(await countStore(page, 'attention')).toBe(1)
    expect(await countStore(page, 'outbox')).toBe(0)
    expect(sent).toHaveLength(1)
    expect((sent[0] as { answers: unknown }).answers).toEqual({ q_joined: 'no', q_best: '重阳节', q_rate: 'na' })

    // Still there after a reload, with the export offered.
    await page.goto(server.url)
    await page.getByTestId('needs-attention').waitFor()
    await page.getByRole('button', { name: '导出未发送的答卷' }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未发送的答卷' }).click()])
    const file = JSON.parse(await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8'))
    expect(file).toMatchObject({ format: 'minyi-outbox', version: 1, items: [{ campaignId: CAMPAIGN }] })
    await context.close()
  })

  it('should send at once and warn that it cannot wait offline when the browser has no IndexedDB', async () => {
    context = await browser.newContext(PHONE)
    // Some WeChat WebViews have no IndexedDB at all.
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }))
    page = await context.newPage()
    const real = await waitForResidentPath(server)
    await page.goto(server.url + real)
    await expect(page.getByText('此浏览器无法离线保存答卷').isVisible()).resolves.toBe(true)
    await startQuestionnaire(page)
    const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
    for (let i = 0; i < (await ratings.count()); i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
    expect(await submit(page)).toBe('已发送')
    await context.close()
  })
})
