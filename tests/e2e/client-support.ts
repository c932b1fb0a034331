import type { LinkResolution } from '@minyi/shared/schemas'
import type { Page } from 'playwright-core'
import type { RunningServer } from '../support/server.ts'

/** The resident link the server prints on start (`resident link: http://…/s/<token>`). */
export function residentPath(server: RunningServer): string {
  const m = /\/s\/[A-Za-z0-9_-]+/.exec(server.output())
  if (!m) throw new Error(`no resident link in the server's output:\n${server.output()}`)
  return m[0]
}

export async function waitForResidentPath(server: RunningServer): Promise<string> {
  for (let i = 0; i < 100; i++) {
    if (/\/s\/[A-Za-z0-9_-]+/.test(server.output())) return residentPath(server)
    await new Promise((r) => setTimeout(r, 100))
  }
  return residentPath(server)
}

export async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ login: 'admin', password: 'admin-test-password' }),
  })
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export async function campaignIdOf(url: string, path: string): Promise<string> {
  const token = path.replace(/^\/s\//, '')
  const res = await fetch(`${url}/api/v1/links/${token}`)
  return ((await res.json()) as { campaign: { id: string } }).campaign.id
}

/** `n.received` of the campaign's indicator: every stored response, counted once per id. */
export async function received(url: string, admin: string, campaignId: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/campaigns/${campaignId}/indicator`, { headers: { authorization: `Bearer ${admin}` } })
  if (!res.ok) throw new Error(`indicator: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { n: { received: number } }).n.received
}

/** Rows in a store of the client's IndexedDB database, read with the raw API (no app code involved). */
export function countStore(page: Page, store: 'outbox' | 'drafts' | 'attention'): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('minyi')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains(name)) {
            db.close()
            return resolve(0)
          }
          const req = db.transaction(name, 'readonly').objectStore(name).count()
          req.onsuccess = () => {
            resolve(req.result)
            db.close()
          }
          req.onerror = () => reject(req.error)
        }
      }),
    store,
  )
}

/** Passes the privacy notice when it shows. */
export async function startQuestionnaire(page: Page): Promise<void> {
  const start = page.getByRole('button', { name: '我已了解，开始答题' })
  await start.waitFor({ timeout: 15_000 })
  await start.click()
}

/** Answers every rating question with 满意 (the template's required items). */
export async function answerRatings(page: Page): Promise<void> {
  const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
  await ratings.first().waitFor()
  const n = await ratings.count()
  for (let i = 0; i < n; i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
}

export async function submit(page: Page): Promise<string> {
  await page.getByRole('button', { name: '提交' }).click()
  const result = page.getByTestId('result')
  await result.waitFor({ timeout: 15_000 })
  return (await result.textContent())?.trim() ?? ''
}

/** Waits until a service worker controls the page and has cached the opened questionnaire. */
export async function waitUntilOfflineReady(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ready = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return false
      if (!(await caches.has('minyi-links-v1'))) return false
      return (await (await caches.open('minyi-links-v1')).keys()).length > 0
    })
    if (ready) return
    if (Date.now() > deadline) throw new Error('the service worker did not take control and cache the questionnaire in time')
    await new Promise((r) => setTimeout(r, 250))
  }
}

const t = (zh: string, en: string) => ({ zh, en })
export const TYPES_CAMPAIGN = '0190a6f2-8f3e-7b1a-9c2d-00000000c0de'
const COMMUNITY = '0190a6f2-8f3e-7b1a-9c2d-00000000beef'

/**
 * A questionnaire with every question type and show-if, served for a campaign the server does not
 * know: its answers are rejected on sync, which must land in the visible needs-attention box.
 */
export const TYPES_LINK: LinkResolution = {
  campaign: {
    id: TYPES_CAMPAIGN,
    title: 'Types',
    status: 'open',
    opensAt: '2026-01-01T00:00:00.000Z',
    closesAt: '2026-12-31T00:00:00.000Z',
    publishedAt: '2026-01-01T00:00:00.000Z',
    communities: [{ id: COMMUNITY, code: 'c1', name: '幸福社区', population: null }],
    questionnaire: {
      questionnaireId: '0190a6f2-8f3e-7b1a-9c2d-00000000f00d',
      version: 1,
      publishedAt: '2026-01-01T00:00:00.000Z',
      title: t('题型测试问卷', 'Question types'),
      questions: [
        {
          id: 'q_joined',
          type: 'single',
          required: true,
          profile: false,
          title: t('您参加过社区活动吗？', 'Have you joined a community activity?'),
          options: [
            { value: 'yes', label: t('参加过', 'Yes') },
            { value: 'no', label: t('没有', 'No') },
          ],
        },
        {
          id: 'q_which',
          type: 'multiple',
          required: true,
          profile: false,
          showIf: { questionId: 'q_joined', values: ['yes'] },
          maxChoices: 2,
          title: t('参加过哪些？', 'Which ones?'),
          options: [
            { value: 'sport', label: t('体育', 'Sport') },
            { value: 'culture', label: t('文艺', 'Culture') },
            { value: 'health', label: t('义诊', 'Health') },
          ],
        },
        {
          id: 'q_times',
          type: 'number',
          required: true,
          profile: false,
          integer: true,
          min: 0,
          max: 50,
          showIf: { questionId: 'q_joined', values: ['yes'] },
          title: t('一年参加几次？', 'How many times a year?'),
        },
        { id: 'q_best', type: 'text', required: false, profile: false, maxLength: 20, title: t('印象最深的活动', 'The best one') },
        {
          id: 'q_rate',
          type: 'rating',
          required: true,
          profile: false,
          allowNa: true,
          overall: true,
          title: t('总体满意程度', 'Overall satisfaction'),
          scale: {
            preset: 'likert3',
            options: [
              { score: 3, label: t('满意', 'Satisfied') },
              { score: 2, label: t('基本满意', 'Fairly satisfied') },
              { score: 1, label: t('不满意', 'Dissatisfied') },
            ],
          },
        },
      ],
    },
    privacyNotice: t('测试隐私说明', 'Test privacy notice'),
  },
  communityId: COMMUNITY,
  channel: 'qr',
  symposiumId: null,
}
