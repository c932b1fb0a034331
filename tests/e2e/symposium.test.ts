import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../../server/src/db/index.ts'
import { hasBrowser, launchBrowser, launchPhoneProfile, PHONE } from '../support/browser.ts'
import { RATED_IDS, uuidv7 } from '../support/data.ts'
import { ROOT, type RunningServer, stablePort, startServer } from '../support/server.ts'
import { adminToken } from './client-support.ts'
import { createWorker, demoField, type Field, rowsOf, signIn, waitWorkerOfflineReady } from './worker-support.ts'

/**
 * Issue 11 end to end in real Chromium: a recorder, with the server stopped for real, records a
 * symposium in the worker app, 3 remarks (2 with follow-ups), a change of one follow-up, and types 4
 * rating sheets (lock screen between them); the server comes back and every item arrives once; 10
 * attendees send sheets through the symposium's QR link; an evaluator sees the 14 sheets and the
 * 整改台账 in the console, moves a follow-up to 已办结 with a note and marks it public; a resident opens
 * the community's public page (linked from the thanks screen) and sees it with its status, offline too
 * once opened. Every new screen is photographed at 360 px (test-results/screens/).
 */
const SCREENS = join(ROOT, 'test-results', 'screens')

describe.skipIf(!hasBrowser)('symposium recorded offline, followed up in the console, published to residents', () => {
  let server: RunningServer
  let port: number
  let sqlitePath: string
  let admin: string
  let field: Field
  let workerId: string
  let browser: Browser
  const profile = mkdtempSync(join(tmpdir(), 'minyi-recorder-'))
  let context: BrowserContext | null = null

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    port = await stablePort()
    sqlitePath = join(mkdtempSync(join(tmpdir(), 'minyi-e2e-')), 'e2e.sqlite')
    server = await startServer({ port, sqlitePath })
    admin = await adminToken(server.url)
    field = await demoField(server.url, admin)
    workerId = await createWorker(server.url, admin, field, 'lirecorder', '李记录')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.stop()
  })

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true })
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', origin: server.url, ...init.headers },
    })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  async function stored() {
    const db = await openDb({ sqlitePath })
    try {
      const [symposiums, remarks, changes, sheets] = await Promise.all([
        db.db.selectFrom('symposiums').select(['id', 'title']).where('campaign_id', '=', field.campaignId).execute(),
        db.db.selectFrom('remarks').select(['id', 'text']).where('campaign_id', '=', field.campaignId).execute(),
        db.db.selectFrom('follow_up_changes').select(['id', 'status', 'user_id']).where('campaign_id', '=', field.campaignId).execute(),
        db.db
          .selectFrom('responses')
          .select(['id', 'worker_id', 'community_id', 'symposium_id'])
          .where('campaign_id', '=', field.campaignId)
          .where('channel', '=', 'symposium')
          .execute(),
      ])
      return { symposiums, remarks, changes, sheets }
    } finally {
      await db.close()
    }
  }

  async function addRemark(page: Page, r: { speaker: string; kind: string; text: string; followUp?: { owner: string; due: string } }) {
    await page.getByTestId('remark-add').click()
    await page.getByTestId(`remark-speaker-${r.speaker}`).click()
    await page.getByTestId(`remark-kind-${r.kind}`).click()
    await page.getByTestId('remark-text').locator('textarea').fill(r.text)
    if (r.followUp) {
      await page.getByTestId('remark-needs-follow-up').click()
      await page.getByTestId('follow-up-owner').locator('input').fill(r.followUp.owner)
      await page.getByTestId('follow-up-due').locator('input').fill(r.followUp.due)
    }
    await page.getByTestId('remark-save').click()
    await page
      .getByTestId('remark-line')
      .filter({ hasText: r.text })
      .waitFor({ timeout: 10_000 })
      .catch(async (e) => {
        await shot(page, 'failed-remark')
        throw e
      })
  }

  it('should carry a symposium recorded offline, its remarks, follow-ups and typed sheets to the ledger and the public page', async () => {
    context = await launchPhoneProfile(profile)
    let page = context.pages()[0] ?? (await context.newPage())
    await page.goto(`${server.url}/w`)
    await signIn(page, 'lirecorder')
    await waitWorkerOfflineReady(page)

    // The server goes away for real: the recorder works on.
    await server.stop()
    await page.reload()
    await page.getByTestId('worker-name').waitFor()
    await page.getByTestId('open-symposiums').click()
    await shot(page, 'worker-symposiums-empty')
    await page.getByTestId('symposium-new').click()
    const community = field.communities[0]!
    await page.getByTestId('sym-title').locator('input').fill('春季居民座谈会')
    await page.getByTestId('sym-place').locator('input').fill('党群服务中心')
    await page.getByTestId('sym-host').locator('input').fill('王书记')
    await page.getByTestId('sym-community').filter({ hasText: community.name }).click()
    await page.getByTestId('sym-attendees-resident').locator('input').fill('9')
    await page.getByTestId('sym-attendees-party_member').locator('input').fill('4')
    await shot(page, 'worker-symposium-new')
    await page.getByTestId('symposium-save').click()

    await addRemark(page, {
      speaker: 'resident',
      kind: 'problem',
      text: '3号楼楼道灯坏了两个月',
      followUp: { owner: '物业公司', due: '2026-01-15' },
    })
    await addRemark(page, {
      speaker: 'party_member',
      kind: 'suggestion',
      text: '<b>希望</b>增设老年食堂',
      followUp: { owner: '社区居委会', due: '2099-06-30' },
    })
    await page.getByTestId('remark-add').click()
    await shot(page, 'worker-remark-form')
    await page.getByTestId('remark-kind-praise').click()
    await page.getByTestId('remark-text').locator('textarea').fill('文体活动办得好')
    await page.getByTestId('remark-save').click()
    await page.getByTestId('remark-line').filter({ hasText: '文体活动办得好' }).waitFor()

    // The recorder moves the first follow-up on, still offline: its own item, on top of the first.
    await page.getByTestId('remark-line').filter({ hasText: '楼道灯' }).getByTestId('follow-up-change').click()
    await page.getByTestId('follow-up-status-in_progress').click()
    await page.getByTestId('follow-up-note').locator('textarea').fill('已报物业')
    await shot(page, 'worker-follow-up-form')
    await page.getByTestId('follow-up-save').click()
    await expect
      .poll(() => page.getByTestId('remark-line').filter({ hasText: '楼道灯' }).getByTestId('remark-follow-up').textContent())
      .toContain('整改中')
    await shot(page, 'worker-symposium-record')

    // Four rating sheets typed in, a lock screen between them.
    await page.getByTestId('sheets-start').click()
    for (let i = 0; i < 4; i++) {
      const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
      await ratings.first().waitFor()
      const n = await ratings.count()
      for (let q = 0; q < n; q++)
        await ratings
          .nth(q)
          .getByText(i % 2 ? '满意' : '基本满意', { exact: true })
          .click()
      await page.getByTestId('submit-interview').click()
      await page.getByTestId('sheet-locked').waitFor()
      expect(await page.locator('input:checked').count()).toBe(0)
      if (i === 0) await shot(page, 'worker-sheet-locked')
      if (i < 3) await page.getByTestId('sheet-next').click()
    }
    await page.getByTestId('back-to-symposium').click()
    await expect(page.getByTestId('sym-sheets').textContent()).resolves.toContain('4')
    const queued = await rowsOf<{ owner: string; item: { kind: string } }>(page, 'outbox')
    expect(queued.map((r) => r.item.kind).sort()).toEqual([
      'follow_up',
      'remark',
      'remark',
      'remark',
      'response',
      'response',
      'response',
      'response',
      'symposium',
    ])
    expect(new Set(queued.map((r) => r.owner))).toEqual(new Set([workerId]))

    // A browser restart offline keeps it all; then the server comes back.
    await context.close()
    context = await launchPhoneProfile(profile)
    page = context.pages()[0] ?? (await context.newPage())
    await page.goto(`${server.url}/w/symposiums`)
    await page.getByTestId('symposium-open').filter({ hasText: '春季居民座谈会' }).click()
    await page.getByTestId('remark-line').nth(2).waitFor()
    server = await startServer({ port, sqlitePath })
    await page.goto(`${server.url}/w`)
    await page.getByTestId('send-now').click()
    await expect.poll(async () => (await rowsOf(page, 'outbox')).length, { timeout: 30_000 }).toBe(0)
    expect(await rowsOf(page, 'attention')).toEqual([])
    // The phone holds the server's acknowledgement of each of the nine items.
    const acknowledged = await page.evaluate(async () => {
      const rows = await new Promise<{ owner: string; count?: number }[]>((resolve) => {
        const open = indexedDB.open('minyi')
        open.onsuccess = () => {
          const req = open.result.transaction('sent', 'readonly').objectStore('sent').getAll()
          req.onsuccess = () => resolve(req.result)
        }
      })
      // One row per campaign, community and kind, with how many items it stands for.
      return rows.reduce((n, r) => n + (r.count ?? 1), 0)
    })
    expect(acknowledged).toBe(9)

    let s = await stored()
    expect(s.symposiums).toHaveLength(1)
    expect(s.remarks.map((r) => r.text).sort()).toEqual(['3号楼楼道灯坏了两个月', '<b>希望</b>增设老年食堂', '文体活动办得好'].sort())
    expect(s.changes.map((c) => c.status).sort()).toEqual(['in_progress', 'todo', 'todo'])
    expect(s.sheets).toHaveLength(4)
    expect(s.sheets.every((r) => r.worker_id === workerId && r.community_id === community.id)).toBe(true)
    const symposiumId = s.symposiums[0]!.id

    // Ten attendees scan the symposium's QR code and answer (anonymous, as their phones send).
    const link = await api<{ url: string }>(`/campaigns/${field.campaignId}/symposiums/${symposiumId}/link`, { method: 'POST' })
    const linkToken = link.url.split('/').pop() ?? ''
    const resolved = (await (await fetch(`${server.url}/api/v1/links/${linkToken}`)).json()) as {
      communityId: string
      campaign: { questionnaire: { version: number } }
    }
    const before = await api<{ rate: number; n: { received: number } }>(`/campaigns/${field.campaignId}/indicator`)
    for (let i = 0; i < 10; i++) {
      const at = Date.now() - 1000
      const sheet = {
        kind: 'response',
        id: uuidv7(at),
        campaignId: field.campaignId,
        questionnaireVersion: resolved.campaign.questionnaire.version,
        communityId: resolved.communityId,
        channel: 'symposium',
        startedAt: new Date(at - 60_000).toISOString(),
        submittedAt: new Date(at).toISOString(),
        answers: Object.fromEntries(RATED_IDS.map((q) => [q, i < 7 ? 5 : 2])),
        householdKey: null,
        symposiumId,
      }
      const res = await fetch(`${server.url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: `attendee-phone-${i}`, appVersion: 'e2e', outboxSize: 0, items: [sheet] }),
      })
      expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('created')
    }
    // Symposium sheets are reported apart: the campaign rate does not move (the config does not pool them).
    const after = await api<{ rate: number; byChannel: { channel: string; received: number }[] }>(
      `/campaigns/${field.campaignId}/indicator`,
    )
    expect(after.rate).toBe(before.rate)
    expect(after.byChannel.find((c) => c.channel === 'symposium')?.received).toBe(14)

    // The evaluator: the symposium with its 14 sheets, the ledger, a follow-up done with a note, made public.
    const desk = await browser.newContext({
      viewport: { width: 360, height: 800 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    })
    const console_ = await desk.newPage()
    await console_.goto(`${server.url}/console`)
    await console_.getByLabel('账号').fill('admin')
    await console_.getByLabel('密码').fill('admin-test-password')
    await Promise.all([
      console_.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.ok()),
      console_.getByRole('button', { name: '登录' }).click(),
    ])
    await console_.goto(`${server.url}/console/c/${field.campaignId}`)
    await console_.getByRole('tab', { name: '座谈会' }).click()
    const card = console_.getByTestId('symposium').filter({ hasText: '春季居民座谈会' })
    await expect.poll(() => card.getByTestId('symposium-sheets').textContent()).toBe('已收到测评表 14 份')
    const entry = console_.getByTestId('ledger-entry').filter({ hasText: '楼道灯' })
    await expect(entry.getByTestId('ledger-status').textContent()).resolves.toBe('整改中')
    // Its due date has passed: highlighted as overdue.
    await entry.getByTestId('ledger-overdue').waitFor()
    await expect(console_.getByTestId('ledger-summary').textContent()).resolves.toContain(
      '问题：提出 1 条，需整改 1 条，已办结 0 条，未办结 1 条，逾期 1 条',
    )
    // Texts are shown as typed, never as markup.
    await expect(console_.getByTestId('ledger-entry').filter({ hasText: '<b>希望</b>增设老年食堂' }).count()).resolves.toBe(1)
    await console_.getByTestId('ledger-filter-overdue').check()
    await expect.poll(() => console_.getByTestId('ledger-entry').count()).toBe(1)
    await shot(console_, 'console-ledger-overdue')
    await console_.getByTestId('ledger-filter-overdue').uncheck()
    await entry.getByTestId('ledger-change').click()
    await entry.getByTestId('ledger-change-status').selectOption('done')
    await entry.getByTestId('ledger-change-note').fill('灯已全部更换')
    await entry.getByTestId('ledger-change-save').click()
    await expect.poll(() => entry.getByTestId('ledger-status').textContent()).toBe('已办结')
    await entry.getByTestId('ledger-public').check()
    await entry.locator('details summary').click()
    await expect(entry.getByTestId('ledger-history').allTextContents()).resolves.toEqual([
      expect.stringContaining('记录 → 待办'),
      expect.stringMatching(/李记录：待办 → 整改中：已报物业/),
      expect.stringMatching(/：整改中 → 已办结：灯已全部更换/),
    ])
    await shot(console_, 'console-ledger')
    s = await stored()
    expect(s.changes).toHaveLength(4)

    // A resident answers through the community's poster, and from the thanks screen opens the public page.
    const resident = await browser.newContext(PHONE)
    const rp = await resident.newPage()
    const links = await api<{ communityId: string; channel: string; url: string }[]>(`/campaigns/${field.campaignId}/links`)
    const poster = links.find((l) => l.communityId === community.id && l.channel === 'qr')!.url
    await rp.goto(poster)
    await rp.getByRole('button', { name: '我已了解，开始答题' }).click()
    const ratings = rp.locator('fieldset[id^="q-"]').filter({ has: rp.getByText('不了解', { exact: true }) })
    await ratings.first().waitFor()
    for (let q = 0; q < (await ratings.count()); q++) await ratings.nth(q).getByText('满意', { exact: true }).click()
    await rp.getByRole('button', { name: '提交' }).click()
    await rp.getByTestId('public-link').click()
    await rp.getByTestId('public-remark').first().waitFor()
    const shown = rp.getByTestId('public-remark')
    await expect(shown.count()).resolves.toBe(1)
    await expect(shown.first().textContent()).resolves.toContain('3号楼楼道灯坏了两个月')
    await expect(shown.first().getByTestId('public-status').textContent()).resolves.toBe('已办结')
    const html = await rp.content()
    for (const hidden of ['物业公司', '居民代表', '李记录', '希望']) expect(html).not.toContain(hidden)
    await shot(rp, 'public-page')
    // Once opened it opens offline too (the service worker's copy).
    await rp.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20_000 })
    await rp.reload()
    await rp.getByTestId('public-remark').first().waitFor()
    await server.stop()
    await rp.reload()
    await expect(rp.getByTestId('public-status').first().textContent({ timeout: 15_000 })).resolves.toBe('已办结')
    server = await startServer({ port, sqlitePath })
    await resident.close()
    await desk.close()
  }, 600_000)
})
