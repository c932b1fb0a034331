import { existsSync } from 'node:fs'
import { type Browser, type BrowserContext, chromium } from 'playwright-core'

/** Debian's Chromium; CI installs it with apt-get (never `playwright install`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasBrowser = existsSync(CHROMIUM_PATH)

if (!hasBrowser) {
  const msg = `\n!!! Chromium not found at ${CHROMIUM_PATH}: browser suites are SKIPPED (install with apt-get install -y chromium)\n`
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(msg)
  console.warn(msg)
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/**
 * A phone whose profile lives in `userDataDir`: closing and launching again with the same folder is a
 * browser restart (IndexedDB, Cache Storage and the service worker survive, like on a real phone).
 */
export async function launchPhoneProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ...PHONE })
}

// Without the background-networking flags Chromium keeps dialling Google hosts this machine can't reach.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** A cheap Android phone: 360 px wide, touch, zh-CN. */
export const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const

/**
 * Collects the page's Content-Security-Policy violations (as `securitypolicyviolation` events, which
 * Chromium raises even where it logs nothing to the console). Call before the first navigation.
 */
export async function watchCsp(page: import('playwright-core').Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __csp: string[] }).__csp = seen
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  return () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
}
