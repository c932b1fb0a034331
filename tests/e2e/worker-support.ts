import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { openDb } from '../../server/src/db/index.ts'

// Helpers of the worker app's end-to-end suites (tests/e2e/worker-*.test.ts): accounts through the real
// API, the app driven as a worker would, and what the server stored, read from its SQLite file.

export const WORKER_PASSWORD = 'worker-password'

export interface Field {
  campaignId: string
  /** Two communities of the demo campaign, assigned to every worker made here. */
  communities: { id: string; name: string }[]
}

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

/** The demo's open campaign and two of its communities. */
export async function demoField(url: string, admin: string): Promise<Field> {
  const list = (await (await fetch(`${url}/api/v1/campaigns`, { headers: json(admin) })).json()) as { id: string; status: string }[]
  const open = list.find((c) => c.status === 'open')
  if (!open) throw new Error('no open demo campaign')
  const detail = (await (await fetch(`${url}/api/v1/campaigns/${open.id}`, { headers: json(admin) })).json()) as {
    communities: { id: string; name: string }[]
  }
  return { campaignId: open.id, communities: detail.communities.slice(0, 2) }
}

/** A worker account (POST /api/v1/staff) for the field's communities; returns its id. */
export async function createWorker(url: string, admin: string, field: Field, login: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/staff`, {
    method: 'POST',
    headers: json(admin),
    body: JSON.stringify({ name, login, role: 'worker', communityIds: field.communities.map((c) => c.id), password: WORKER_PASSWORD }),
  })
  if (res.status !== 201) throw new Error(`staff: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

export async function signIn(page: Page, login: string): Promise<void> {
  await page.getByLabel('账号').fill(login)
  await page.getByLabel('密码').fill(WORKER_PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.getByTestId('worker-name').waitFor({ timeout: 20_000 })
}

/** Waits until a service worker controls the page and the worker app's files are in their cache. */
export async function waitWorkerOfflineReady(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ready = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return false
      const res = await fetch('/worker-assets.json')
      const { files } = (await res.json()) as { files: string[] }
      const cache = await caches.open('minyi-worker-app')
      for (const f of files) if (!(await cache.match(f))) return false
      return files.length > 0
    })
    if (ready) return
    if (Date.now() > deadline) throw new Error('the worker app was not cached for offline use in time')
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Answers every rating with 满意 and types a suggestion, the way a worker fills in a household's answers. */
async function answer(page: Page, suggestion: string): Promise<void> {
  const ratings = page.locator('fieldset[id^="q-"]').filter({ has: page.getByText('不了解', { exact: true }) })
  await ratings.first().waitFor()
  const n = await ratings.count()
  for (let i = 0; i < n; i++) await ratings.nth(i).getByText('满意', { exact: true }).click()
  await page.locator('textarea').first().fill(suggestion)
}

export type Outcome = 'completed' | 'not_home' | 'refused' | 'revisit'

/**
 * One household through the loop: community (when asked), door number, outcome, consent and the
 * questionnaire for 完成, submit, the lock screen. Checks the lock screen holds nothing of the household:
 * no door number, no suggestion text, no chosen option, no questionnaire. Ends on the next household.
 */
export async function visitHousehold(
  page: Page,
  h: { community: string; door: string; outcome: Outcome; suggestion?: string },
): Promise<void> {
  // Nothing of the door number in it: the queue is checked for door numbers separately.
  const suggestion = h.suggestion ?? `建议${Math.random().toString(36).slice(2, 10)}`
  const pick = page.getByTestId('pick-community').filter({ hasText: h.community })
  await Promise.race([pick.waitFor(), page.getByTestId('door').waitFor()])
  if (await pick.count()) await pick.click()
  await page.getByTestId('door').locator('input').fill(h.door)
  await page.getByTestId('door-next').click()
  await page.getByTestId(`outcome-${h.outcome}`).click()
  if (h.outcome === 'completed') {
    await page.getByTestId('consent-agree').click()
    await answer(page, suggestion)
    await page.getByTestId('submit-interview').click()
  }
  await page.getByTestId('locked').waitFor()
  await expectNothingOf(page, h.door, suggestion)
  await page.getByTestId('next-household').click()
}

/** Nothing of the previous household anywhere in the DOM (values of form fields included). */
export async function expectNothingOf(page: Page, door: string, suggestion: string): Promise<void> {
  const found = await page.evaluate(
    ([d, s]) => {
      const html = document.documentElement.outerHTML
      const values = Array.from(document.querySelectorAll('input, textarea')).map((e) => (e as HTMLInputElement).value)
      return {
        door: html.includes(d!) || values.some((v) => v.includes(d!)),
        suggestion: html.includes(s!) || values.some((v) => v.includes(s!)),
        checked: document.querySelectorAll('input:checked').length,
        questionnaire: document.querySelectorAll('[data-testid="door-questionnaire"], fieldset[id^="q-"]').length,
      }
    },
    [door, suggestion],
  )
  expect(found).toEqual({ door: false, suggestion: false, checked: 0, questionnaire: 0 })
}

/** Rows in a store of the app's IndexedDB, with the raw API (no app code involved). */
export function rowsOf<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('minyi')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const req = db.transaction(name, 'readonly').objectStore(name).getAll()
          req.onsuccess = () => {
            resolve(req.result as T[])
            db.close()
          }
          req.onerror = () => reject(req.error)
        }
      }),
    store,
  )
}

/** What the server stored, straight from its SQLite file: the responses of a campaign by channel and worker. */
export async function storedResponses(sqlitePath: string, campaignId: string) {
  const db = await openDb({ sqlitePath })
  try {
    return await db.db
      .selectFrom('responses')
      .select(['id', 'channel', 'worker_id', 'community_id', 'household_key', 'serial'])
      .where('campaign_id', '=', campaignId)
      .execute()
  } finally {
    await db.close()
  }
}

/** The indicator's fieldwork figures (METHOD.md §11, PRODUCT.md Contracts). */
export async function fieldwork(url: string, admin: string, campaignId: string) {
  const res = await fetch(`${url}/api/v1/campaigns/${campaignId}/indicator`, { headers: json(admin) })
  const body = (await res.json()) as { fieldwork?: Record<string, number | null> }
  return body.fieldwork
}

/** Back to the home from any screen of the loop (the nav bar's left button). */
export async function goHome(page: Page): Promise<void> {
  await page.locator('.van-nav-bar__left').click()
  await page.getByTestId('worker-name').waitFor()
}
