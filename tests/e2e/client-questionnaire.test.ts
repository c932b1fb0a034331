import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, PHONE } from '../support/browser.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { countStore, startQuestionnaire, waitForResidentPath } from './client-support.ts'

/** What a resident sees and does on the questionnaire page (360 px phone, zh-CN). */
describe.skipIf(!hasBrowser)('resident questionnaire page in Chromium', () => {
  let browser: Browser
  let server: RunningServer
  let path: string
  let context: BrowserContext
  let page: Page
  beforeAll(async () => {
    server = await startServer()
    path = await waitForResidentPath(server)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function open(): Promise<Page> {
    context = await browser.newContext(PHONE)
    page = await context.newPage()
    await page.goto(server.url + path)
    return page
  }

  it('should show the privacy notice first and then every question when the link opens', async () => {
    await open()
    await expect(page.getByRole('heading', { name: '隐私说明' }).isVisible()).resolves.toBe(true)
    await expect(page.getByText('不记录姓名').isVisible()).resolves.toBe(true)
    await startQuestionnaire(page)
    await expect(page.locator('fieldset[id^="q-"]').count()).resolves.toBe(15)
    await context.close()
  })

  it('should name the unanswered required question and move to it when submit is tapped too early', async () => {
    await open()
    await startQuestionnaire(page)
    await page.getByRole('button', { name: '提交' }).click()
    const first = page.locator('#q-q_training')
    await expect(first.getByRole('alert').textContent()).resolves.toBe('这是必答题，请作答')
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('q-q_training')
    await expect(page.getByText('还有 10 道题需要填写').isVisible()).resolves.toBe(true)
    await first.getByText('满意', { exact: true }).click()
    await expect(first.getByRole('alert').count()).resolves.toBe(0)
    await context.close()
  })

  it('should let no more than maxChoices options be picked when a multiple-choice question has a cap', async () => {
    await open()
    await startQuestionnaire(page)
    const q = page.locator('#q-q_improve')
    for (const label of ['党员教育培训', '文体活动', '医疗']) await q.getByText(label, { exact: true }).click()
    await expect(q.locator('input:checked').count()).resolves.toBe(3)
    await expect(q.getByRole('checkbox', { name: '教育', exact: true }).isDisabled()).resolves.toBe(true)
    await context.close()
  })

  it('should restore the answers when the tab is closed and the link opened again', async () => {
    await open()
    await startQuestionnaire(page)
    await page.locator('#q-q_training').getByText('非常满意', { exact: true }).click()
    await page.locator('textarea').fill('楼道灯坏了')
    await expect.poll(() => countStore(page, 'drafts'), { timeout: 10_000 }).toBe(1)
    await page.close()

    const again = await context.newPage()
    await again.goto(server.url + path)
    await expect(again.locator('textarea').inputValue({ timeout: 15_000 })).resolves.toBe('楼道灯坏了')
    await expect(again.locator('#q-q_training').getByRole('radio', { name: '非常满意' }).isChecked()).resolves.toBe(true)
    await context.close()
  })

  it('should switch the page to English when the resident taps English', async () => {
    await open()
    await page.getByRole('button', { name: '切换到英文' }).click()
    // The English strings are a lazy chunk (the first load stays small): wait for them to arrive.
    await page.getByRole('heading', { name: 'Privacy notice' }).waitFor()
    await page.getByRole('button', { name: 'I understand, start' }).click()
    await expect(page.getByText('Don’t know').first().isVisible()).resolves.toBe(true)
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en')
    await expect(page.title()).resolves.toBe('Minyi · Satisfaction survey')
    // The choice sticks for the next visit.
    await page.reload()
    await page.getByRole('heading', { name: 'Privacy notice' }).waitFor()
    await context.close()
  })

  it('should enlarge text and tap targets when the elderly mode is on', async () => {
    await open()
    await startQuestionnaire(page)
    const option = page.locator('#q-q_training label').first()
    const before = (await option.boundingBox())!.height
    await expect(page.getByRole('button', { name: '朗读第 1 题' }).count()).resolves.toBe(0)
    await page.getByRole('button', { name: /长辈模式/ }).click()
    // Read-aloud comes with the mode where the browser has a Chinese voice; where it has none (headless
    // Chromium on Linux has speechSynthesis but no voices) the page says so once instead (a11y-resident.test.ts).
    const read = page.getByRole('button', { name: '朗读第 1 题' })
    const cannot = page.getByTestId('no-speech')
    await expect.poll(async () => (await read.count()) + (await cannot.count()), { timeout: 5_000 }).toBe(1)
    const after = (await option.boundingBox())!.height
    expect(after).toBeGreaterThanOrEqual(60)
    expect(after).toBeGreaterThan(before)
    const fontSize = await option.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
    expect(fontSize).toBeGreaterThanOrEqual(20)
    await context.close()
  })

  it('should need no sideways scrolling and keep submit in thumb reach when opened on a 360 px phone', async () => {
    await open()
    await startQuestionnaire(page)
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360)
    const submit = await page.getByRole('button', { name: '提交' }).boundingBox()
    expect(submit!.y + submit!.height).toBeLessThanOrEqual(740)
    expect(submit!.height).toBeGreaterThanOrEqual(48)
    await context.close()
  })

  it('should say the storage is full and offer the unsaved answers as a file when IndexedDB throws QuotaExceededError', async () => {
    await open()
    await startQuestionnaire(page)
    const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
    for (let i = 0; i < (await ratings.count()); i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
    // The disk fills up just before submit: every write to the outbox store fails as a browser would.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
        if (this.name === 'outbox') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        return put.apply(this, args)
      }
    })
    await page.getByRole('button', { name: '提交' }).click()
    await expect(page.getByTestId('submit-error').textContent()).resolves.toBe('手机存储空间不足，请导出未发送的答卷')
    expect(await countStore(page, 'outbox')).toBe(0)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未发送的答卷' }).click()])
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { items: { answers: Record<string, unknown> }[] }
    expect(file.items).toHaveLength(1)
    expect(file.items[0]!.answers.q_overall).toBe(4)
    await context.close()
  })

  it('should leave no draft behind when the response was submitted right after the last answer', async () => {
    await open()
    await startQuestionnaire(page)
    const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
    for (let i = 0; i < (await ratings.count()); i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
    await page.locator('textarea').fill('最后一句')
    await page.getByRole('button', { name: '提交' }).click()
    await page.getByTestId('result').waitFor()
    await page.waitForTimeout(800) // past the draft debounce
    expect(await countStore(page, 'drafts')).toBe(0)
    await page.reload()
    await expect(page.getByRole('heading', { name: '隐私说明' }).waitFor()).resolves.toBeUndefined()
    await context.close()
  })
})
