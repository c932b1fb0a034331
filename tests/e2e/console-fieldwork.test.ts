import { formatRate } from '@minyi/shared/method'
import type { Indicator } from '@minyi/shared/schemas'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBrowser, launchBrowser, watchCsp } from '../support/browser.ts'
import { RATED_IDS, uuidv7 } from '../support/data.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { adminToken, campaignIdOf, waitForResidentPath } from './client-support.ts'

// The console's door-to-door tab (C3, METHOD.md §10–§11) in Chromium against the real server: two
// workers sign up and send door answers and visits through POST /api/v1/sync under their own
// credentials; the tab must show the server's fieldwork per community and the interviewer check
// with its flags, under the workers' names.

interface Detail {
  id: string
  title: string
  questionnaire: { version: number }
  communities: { id: string; name: string }[]
}

async function call<T>(server: RunningServer, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: opts.body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A worker made by the admin and signed in, as the worker app would. */
async function worker(server: RunningServer, admin: string, name: string, login: string, communityIds: string[]) {
  await call(server, '/staff', { token: admin, body: { name, login, role: 'worker', communityIds, password: `${login}-secret` } })
  return (await call<{ token: string }>(server, '/auth/login', { body: { login, password: `${login}-secret` } })).token
}

/**
 * Community 0: worker 甲 25 door answers all 5 (satisfied, no spread), worker 乙 25 with 12
 * satisfied; 50 completed visits, 20 refused, 10 not at home → response rate 50 / 80 = 62.50 %.
 * Community 1: 2 completed, 3 refused, 5 not at home → 2 / 10 = 20.00 % (low).
 * 甲 against 乙: p = 1 against 0.48, p̄ = 0.74, z = 0.52 / √(0.74 · 0.26 · 2/25) = 4.19 → rate outlier,
 * and u = 0 → uniform; 乙 against 甲: z = −4.19 → rate outlier; u has no figure (甲's spread is 0).
 */
async function seed(server: RunningServer, admin: string, d: Detail) {
  const [c0 = '', c1 = ''] = d.communities.map((c) => c.id)
  const now = Date.now() - 60_000
  let household = 0
  const key = () => (++household).toString(16).padStart(64, '0')
  const answer = (satisfied: boolean, uniform: boolean, i: number) => {
    const submitted = now - i * 1000
    const answers: Record<string, number> = {}
    for (const [k, id] of RATED_IDS.entries()) answers[id] = uniform ? 5 : satisfied ? 4 - (k % 2) : 1 + (k % 2)
    return {
      kind: 'response',
      id: uuidv7(submitted),
      campaignId: d.id,
      questionnaireVersion: d.questionnaire.version,
      communityId: c0,
      channel: 'door',
      startedAt: new Date(submitted - 300_000).toISOString(),
      submittedAt: new Date(submitted).toISOString(),
      answers,
      householdKey: key(),
      symposiumId: null,
    }
  }
  const visit = (communityId: string, outcome: string, responseId: string | null = null, householdKey = key()) => ({
    kind: 'visit',
    id: uuidv7(),
    campaignId: d.id,
    communityId,
    householdKey,
    outcome,
    visitedAt: new Date(now).toISOString(),
    responseId,
  })
  const send = async (token: string, items: unknown[], deviceId: string) => {
    const body = await call<{ results: { status: string }[] }>(server, '/sync', {
      token,
      body: { deviceId, appVersion: 'e2e', outboxSize: 0, items },
    })
    expect(body.results.every((r) => r.status === 'created')).toBe(true)
  }
  const jia = await worker(server, admin, '张甲', 'zhang.jia', [c0, c1])
  const yi = await worker(server, admin, '李乙', 'li.yi', [c0])
  const jiaAnswers = Array.from({ length: 25 }, (_, i) => answer(true, true, i))
  const yiAnswers = Array.from({ length: 25 }, (_, i) => answer(i < 12, false, 100 + i))
  await send(jia, [...jiaAnswers, ...jiaAnswers.map((r) => visit(c0, 'completed', r.id, r.householdKey))], 'phone-jia')
  await send(yi, [...yiAnswers, ...yiAnswers.map((r) => visit(c0, 'completed', r.id, r.householdKey))], 'phone-yi')
  await send(
    jia,
    [
      ...Array.from({ length: 20 }, () => visit(c0, 'refused')),
      ...Array.from({ length: 10 }, () => visit(c0, 'not_home')),
      ...Array.from({ length: 2 }, () => visit(c1, 'completed')),
      ...Array.from({ length: 3 }, () => visit(c1, 'refused')),
      ...Array.from({ length: 5 }, () => visit(c1, 'not_home')),
    ],
    'phone-jia',
  )
}

describe.skipIf(!hasBrowser)('the console’s door-to-door tab in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let token: string
  let detail: Detail
  let violations: () => Promise<string[]>
  const problems: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    token = await adminToken(server.url)
    const campaignId = await campaignIdOf(server.url, await waitForResidentPath(server))
    detail = await call<Detail>(server, `/campaigns/${campaignId}`, { token })
    await seed(server, token, detail)
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    violations = await watchCsp(page)
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(String(e)))
    await page.goto(`${server.url}/console`)
    await page.getByLabel('账号').fill('admin')
    await page.getByLabel('密码').fill('admin-test-password')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('link', { name: detail.title }).click()
    await page.waitForURL(`**/console/c/${detail.id}`)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('should show each community’s fieldwork as the server computed it, marking a response rate below 50 %', async () => {
    const ind = await call<Indicator>(server, `/campaigns/${detail.id}/indicator`, { token })
    expect(ind.fieldwork).toMatchObject({ households: 90, completed: 52, refused: 23, notHome: 15, revisit: 0 })
    await page.getByRole('tab', { name: '入户访问' }).click()
    await page.getByTestId('fieldwork-row').first().waitFor()
    const rows = page.getByTestId('fieldwork-row')
    await expect(rows.count()).resolves.toBe(detail.communities.length)
    const cells = async (row: Locator) => (await row.locator('th, td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim())
    const [first, second] = detail.communities
    expect(await cells(rows.nth(0))).toEqual([first?.name, '80', '50', '10', '20', '0', formatRate(0.625), formatRate(70 / 80)])
    expect(await cells(rows.nth(1))).toEqual([second?.name, '10', '2', '5', '3', '0', `${formatRate(0.2)} 低于50%`, formatRate(0.5)])
    const total = await cells(page.getByTestId('fieldwork-total'))
    expect(total.slice(0, 7)).toEqual(['合计', '90', '52', '15', '23', '0', formatRate(ind.fieldwork.responseRate)])
  })

  it('should list both workers by name with the interviewer check’s figures and flags', async () => {
    const ind = await call<Indicator>(server, `/campaigns/${detail.id}/indicator`, { token })
    const rows = page.getByTestId('interviewer-row')
    await expect.poll(() => rows.filter({ hasText: '张甲（zhang.jia）' }).count()).toBe(1)
    const jia = rows.filter({ hasText: '张甲（zhang.jia）' })
    const yi = rows.filter({ hasText: '李乙（li.yi）' })
    const jiaFigures = ind.interviewers.find((w) => w.nW === 25 && w.u === 0)
    expect(jiaFigures?.z).toBeCloseTo(4.19, 2)
    await expect(jia.locator('td').nth(3).textContent()).resolves.toBe(jiaFigures?.z?.toFixed(2))
    await expect(jia.getByTestId('flag-rate-outlier').count()).resolves.toBe(1)
    await expect(jia.getByTestId('flag-uniform').count()).resolves.toBe(1)
    await expect(yi.getByTestId('flag-rate-outlier').count()).resolves.toBe(1)
    await expect(yi.getByTestId('flag-uniform').count()).resolves.toBe(0)
    await expect(yi.locator('td').nth(4).textContent()).resolves.toBe('—')
    await page.screenshot({ path: '/tmp/minyi-console-fieldwork.png', fullPage: true })
  })

  it('should read in English too, and leave no error or CSP report behind', async () => {
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Interviewer check' }).waitFor()
    await expect(page.getByTestId('flag-uniform').first().textContent()).resolves.toBe('uniform')
    await page.getByTestId('interviewer-row').filter({ hasText: '张甲 (zhang.jia)' }).waitFor()
    await page.screenshot({ path: '/tmp/minyi-console-fieldwork-en.png', fullPage: true })
    expect(await violations()).toEqual([])
    // (The sign-in page's first look at /auth/me is a 401 the browser logs; nothing else may be.)
    expect(problems.filter((p) => !p.startsWith('Failed to load resource: the server responded with a status of 401'))).toEqual([])
  })
})
