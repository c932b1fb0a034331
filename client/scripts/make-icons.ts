/**
 * Renders the PWA icons (client/public/icons/*.png) from one SVG with the system Chromium.
 * Run once after changing the design: `node --import tsx client/scripts/make-icons.ts`.
 * PNG because the web app manifest needs 192 and 512 px raster icons for installability.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

/** A speech bubble with a tick: "your say, counted". Paths only, so no CJK font is needed to render it. */
const svg = (size: number, maskable: boolean) => {
  const r = maskable ? 0 : 92
  // Maskable icons keep their content inside the central 80 % safe zone.
  const k = maskable ? 0.72 : 0.86
  const o = (512 * (1 - k)) / 2
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
  <title>民意</title>
  <rect width="512" height="512" rx="${r}" fill="#b5001f"/>
  <g transform="translate(${o} ${o}) scale(${k})">
    <path d="M96 120h320a40 40 0 0 1 40 40v180a40 40 0 0 1-40 40H230l-86 70v-70H96a40 40 0 0 1-40-40V160a40 40 0 0 1 40-40z" fill="#fff"/>
    <path d="M170 250l60 58 118-122" fill="none" stroke="#b5001f" stroke-width="44" stroke-linecap="round" stroke-linejoin="round"/>
  </g>
</svg>`
}

const out = new URL('../public/icons/', import.meta.url)
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox'],
})
const page = await browser.newPage()
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
] as const) {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(`<html><body style="margin:0">${svg(size, maskable)}</body></html>`)
  writeFileSync(new URL(name, out), await page.screenshot({ omitBackground: true }))
}
writeFileSync(new URL('icon.svg', out), svg(512, false))
await browser.close()
