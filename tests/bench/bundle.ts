/**
 * `pnpm bench:bundle`: what a phone downloads, gzip-compressed, from the built client (client/dist).
 * - first load: the JS and CSS the questionnaire page loads before it can render — index.html's
 *   scripts, its module preloads and stylesheets (linked or inlined), and every chunk those import statically
 *   (dynamic `import()` chunks such as the Dexie outbox and the service-worker registration load
 *   after first paint and are not counted);
 * - precache: every file in the service worker's precache manifest (what an offline phone holds).
 * Bars (PRODUCT.md): first load <= 120 KB, precache <= 400 KB.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../support/server.ts'

const DIST = join(ROOT, 'client', 'dist')
if (!existsSync(join(DIST, 'index.html'))) {
  console.error('client/dist is missing: run `pnpm build` first')
  process.exit(1)
}

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length
const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const local = (u: string) => u.replace(/^\//, '').replace(/[?#].*$/, '')

const html = readFileSync(join(DIST, 'index.html'), 'utf8')
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1]
const tags = html.match(/<(script|link)\b[^>]*>/g) ?? []
const js = new Set<string>()
const css = new Set<string>()
for (const tag of tags) {
  // Module entries and classic scripts (public/boot.js, which prefetches the link) alike.
  if (tag.startsWith('<script') && attr(tag, 'src')) js.add(local(attr(tag, 'src')!))
  if (tag.startsWith('<link') && /rel="modulepreload"/.test(tag)) js.add(local(attr(tag, 'href')!))
  if (tag.startsWith('<link') && /rel="stylesheet"/.test(tag)) css.add(local(attr(tag, 'href')!))
}

// Follow static imports (`import … from "./x.js"`, `import "./x.js"`), never `import("./x.js")`.
const queue = [...js]
while (queue.length) {
  const file = queue.pop()!
  const code = readFileSync(join(DIST, file), 'utf8')
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']([^"']+\.js)["']/g)) {
    const dep = local(join(file, '..', m[1]!))
    if (!js.has(dep)) {
      js.add(dep)
      queue.push(dep)
    }
  }
}

const sw = readFileSync(join(DIST, 'sw.js'), 'utf8')
const precache = [...new Set([...sw.matchAll(/"url"\s*:\s*"([^"]+)"/g)].map((m) => local(m[1]!)))]
if (precache.length === 0) throw new Error('no precache manifest found in client/dist/sw.js')

const firstJs = [...js].reduce((s, f) => s + gz(f), 0)
// Stylesheets inlined into index.html (vite.config.ts inlineCss) count as CSS too.
const inlineCss = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('')
const firstCss = [...css].reduce((s, f) => s + gz(f), 0) + (inlineCss ? gzipSync(inlineCss, { level: 9 }).length : 0)
const precacheBytes = precache.reduce((s, f) => s + gz(f), 0)

for (const f of [...js, ...css]) console.log(`  first load  ${kb(gz(f)).padStart(6)} KB  ${f}`)
console.log(`first load: JS ${kb(firstJs)} KB + CSS ${kb(firstCss)} KB gzip (bar 120 KB)`)
console.log(`precache: ${precache.length} files; service worker itself ${kb(gz('sw.js'))} KB gzip (not in its own manifest)`)
console.log(`bundle: first load ${kb(firstJs + firstCss)} KB gzip, precache ${kb(precacheBytes)} KB gzip`)
