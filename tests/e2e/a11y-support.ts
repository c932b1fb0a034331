import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

// Accessibility measurements of the laid-out page in real Chromium (tests/e2e/a11y-*.test.ts).
// The rules and where they come from: docs/ACCESSIBILITY.md.

/** 工信部《移动互联网应用（APP）适老化通用设计规范》 as the elderly mode holds it. */
export const ELDERLY_RULES = { target: 60, text: 18, title: 30, lineHeight: 1.3 } as const

export interface Layout {
  /** The smallest touch target: its CSS box and what it is. */
  minTarget: { w: number; h: number; what: string }
  /** The smallest font size of any visible text. */
  minText: { px: number; what: string }
  /** The smallest line height of any visible text, as a multiple of its font size ('normal' counts as 1.2). */
  minLineHeight: { ratio: number; what: string }
  /** Every visible target under `target` px wide or high, and text under `text` px or line height under `lineHeight`. */
  small: string[]
}

/**
 * Reads the boxes and computed styles of everything visible: the targets (buttons, links, text fields,
 * the labels that wrap a radio or checkbox, whose whole row is what a finger taps) and every text node.
 */
export function measureLayout(page: Page, rules: { target: number; text: number; lineHeight: number }): Promise<Layout> {
  return page.evaluate((r) => {
    const visible = (el: Element) => {
      const s = getComputedStyle(el)
      const b = el.getBoundingClientRect()
      return b.width > 0 && b.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[hidden]')
    }
    const name = (el: Element) => {
      const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${text}"`
    }
    const small: string[] = []
    let minTarget = { w: Number.POSITIVE_INFINITY, h: Number.POSITIVE_INFINITY, what: '' }
    const targets = new Set<Element>()
    for (const el of Array.from(document.querySelectorAll('button, a[href], input, textarea, select, summary, [role=button]'))) {
      const t = el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? el.closest('label') : el
      if (t && !(el instanceof HTMLInputElement && el.type === 'hidden')) targets.add(t)
    }
    for (const el of targets) {
      if (!visible(el)) continue
      const b = el.getBoundingClientRect()
      const w = Math.round(b.width * 10) / 10
      const h = Math.round(b.height * 10) / 10
      if (Math.min(w, h) < Math.min(minTarget.w, minTarget.h)) minTarget = { w, h, what: name(el) }
      if (w < r.target || h < r.target) small.push(`target ${w}×${h} ${name(el)}`)
    }
    let minText = { px: Number.POSITIVE_INFINITY, what: '' }
    let minLineHeight = { ratio: Number.POSITIVE_INFINITY, what: '' }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !n.textContent?.trim() || !visible(el) || el.closest('script, style, [aria-hidden=true]')) continue
      const s = getComputedStyle(el)
      const px = Number.parseFloat(s.fontSize)
      const ratio = s.lineHeight === 'normal' ? 1.2 : Number.parseFloat(s.lineHeight) / px
      if (px < minText.px) minText = { px, what: name(el) }
      if (ratio < minLineHeight.ratio) minLineHeight = { ratio: Math.round(ratio * 100) / 100, what: name(el) }
      if (px < r.text) small.push(`text ${px}px ${name(el)}`)
      if (ratio < r.lineHeight - 1e-6) small.push(`line-height ${s.lineHeight}/${px}px ${name(el)}`)
    }
    return { minTarget, minText, minLineHeight, small: [...new Set(small)] }
  }, rules)
}

/** Font size in CSS px of the first element matching `selector`. */
export function fontSize(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
}

/**
 * axe-core (through @axe-core/playwright, which injects it with playwright-core's evaluate, so the
 * page's CSP does not stop it) with the WCAG 2.0/2.1/2.2 A and AA rules and the best practices.
 * Returns one line per violation: rule id and the first offending nodes.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  )
}

/** Runs axe once `page` has settled and records how many violations it found under `name` in `counts`. */
export async function axeOnPage(page: Page, name: string, counts: Record<string, number>): Promise<string[]> {
  await settle(page)
  const violations = await axeViolations(page)
  counts[name] = violations.length
  return violations
}

/** Whether the focused element shows a focus indicator (an outline or a box shadow). */
export function focusVisible(page: Page): Promise<{ tag: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { tag: 'body', visible: false }
    // A radio's or checkbox's ring is drawn on the row that wraps it.
    const candidates = [el, el.closest('label, .opt')].filter((x): x is Element => !!x)
    const shows = candidates.some((c) => {
      const s = getComputedStyle(c)
      return (s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== 'none' && s.boxShadow !== '')
    })
    return {
      tag: `${el.tagName.toLowerCase()} ${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 20)}`,
      visible: shows,
    }
  })
}

/**
 * Waits until the page stops fetching (no new resource entries for 400 ms) and shows no loading line:
 * the console's panels load their data after the tab is opened.
 */
export async function settle(page: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = -1
  for (;;) {
    const state = await page.evaluate(() => ({
      n: performance.getEntriesByType('resource').length,
      loading: /加载中|正在加载|Loading/.test(document.body.textContent ?? ''),
    }))
    if (state.n === last && !state.loading) return
    if (Date.now() > deadline) return
    last = state.n
    await new Promise((r) => setTimeout(r, 400))
  }
}
