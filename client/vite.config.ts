import { readFileSync } from 'node:fs'
import { VantResolver } from '@vant/auto-import-resolver'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { defineConfig, type Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { PRIVACY_NOTICE } from '../shared/src/template.ts'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }
/** Reported on every sync (the server keeps each device's app version). */
const APP_VERSION = `${pkg.version}+${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`

/**
 * Inlines the (small, ~2 KB gzip) stylesheet into index.html: a render-blocking <link> costs a
 * round trip before first paint on a slow phone network. The service worker precaches index.html.
 */
function inlineCss(): Plugin {
  return {
    name: 'minyi-inline-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html']
      if (html?.type !== 'asset') return
      let source = String(html.source)
      for (const [name, asset] of Object.entries(bundle)) {
        if (asset.type !== 'asset' || !name.endsWith('.css')) continue
        const link = new RegExp(`<link rel="stylesheet"[^>]*href="/${name.replace(/[.]/g, '\\.')}"[^>]*>`)
        if (!link.test(source)) continue
        source = source.replace(link, () => `<style>${String(asset.source)}</style>`)
        delete bundle[name]
      }
      html.source = source
    },
  }
}

/** Puts the shared default privacy notice into index.html's static first screen (see index.html). */
function prerenderPrivacyNotice(): Plugin {
  const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return {
    name: 'minyi-privacy-notice',
    transformIndexHtml: (html) => html.replace('%MINYI_PRIVACY_NOTICE%', escapeHtml(PRIVACY_NOTICE.zh)),
  }
}

/** The worker app's entry (a dynamic import in App.vue) and the console's: neither is resident code. */
const WORKER_ENTRY = /\/src\/worker\/WorkerApp\.vue$/
const CONSOLE_ENTRY = /\/src\/console\/ConsoleApp\.vue$/
/** Files only the worker app needs, found at build time: kept out of the resident's precache (see below). */
const workerOnly = new Set<string>()

/**
 * Writes `worker-assets.json`: the files of the worker app (`/w`) that the resident page never loads —
 * its chunks, their CSS (Vant's, with the icon font inlined) — which the page puts in Cache Storage
 * when a worker signs in (src/worker/offline.ts) and the service worker serves from there offline.
 * Resident files reachable from the entry are precached already; the console's subtree is online-only.
 */
function workerAssets(): Plugin {
  return {
    name: 'minyi-worker-assets',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk')
      const byFile = new Map(chunks.map((c) => [c.fileName, c]))
      const closure = (roots: string[], stop: (id: string | null) => boolean) => {
        const seen = new Set<string>()
        const queue = [...roots]
        while (queue.length) {
          const file = queue.pop()!
          const chunk = byFile.get(file)
          if (!chunk || seen.has(file) || (stop(chunk.facadeModuleId) && !roots.includes(file))) continue
          seen.add(file)
          queue.push(...chunk.imports, ...chunk.dynamicImports)
        }
        return seen
      }
      const filesOf = (chunkFiles: Set<string>) => {
        const out = new Set<string>()
        for (const f of chunkFiles) {
          out.add(f)
          const meta = byFile.get(f)?.viteMetadata
          for (const css of meta?.importedCss ?? []) out.add(css)
          for (const asset of meta?.importedAssets ?? []) out.add(asset)
        }
        return out
      }
      const notResident = (id: string | null) => !!id && (WORKER_ENTRY.test(id) || CONSOLE_ENTRY.test(id))
      const resident = filesOf(
        closure(
          chunks.filter((c) => c.isEntry).map((c) => c.fileName),
          notResident,
        ),
      )
      const worker = chunks.find((c) => c.facadeModuleId && WORKER_ENTRY.test(c.facadeModuleId))
      if (!worker) throw new Error('the worker app chunk is missing from the build')
      const files = [...filesOf(closure([worker.fileName], (id) => !!id && CONSOLE_ENTRY.test(id)))].filter((f) => !resident.has(f)).sort()
      workerOnly.clear()
      for (const f of files) workerOnly.add(f)
      this.emitFile({ type: 'asset', fileName: 'worker-assets.json', source: JSON.stringify({ files: files.map((f) => `/${f}`) }) })
    },
  }
}

/**
 * Vant's icon font comes inlined (woff2 as a data: URL) with a fallback at an outside CDN. Offline
 * phones and our CSP (font-src 'self' data:) refuse the CDN, and every browser we serve reads woff2,
 * so the fallback goes: the font is served by the app itself, inside the worker app's cached CSS.
 */
function vantIconFontLocal(): Plugin {
  return {
    name: 'minyi-vant-icon-font',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant\/(es|lib)\/icon\/index\.css$/.test(id.split('?')[0] ?? '')) return null
      const out = code.replace(/,\s*url\((?:https?:)?\/\/[^)]+\)\s*format\(["']woff["']\)/g, '')
      if (/url\((?:https?:)?\/\//.test(out)) throw new Error('Vant icon CSS still points outside the app')
      return { code: out, map: null }
    },
  }
}

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(APP_VERSION),
    // Composition API only: drops Vue's Options API and devtools hooks from the bundle.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: { target: 'es2020' },
  plugins: [
    vue(),
    vantIconFontLocal(),
    workerAssets(),
    prerenderPrivacyNotice(),
    inlineCss(),
    // Import only the Vant components a page uses (keeps the first load small).
    Components({ resolvers: [VantResolver()], dts: 'src/components.d.ts' }),
    // injectManifest, not generateSW: the worker must run our own code — Background Sync flushes the
    // same Dexie outbox with the same engine as the page (src/sw.ts), and updates wait for the page.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: '民意 · 满意度调查',
        short_name: '民意',
        description: '社区党组织服务群众满意度调查',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#b5001f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // A classic (non-module) worker: module service workers are missing in older Android WebViews.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,webmanifest,png,svg,ico}', 'worker-assets.json'],
        // The evaluator console (its own chunk, with the QR library, and ECharts) is online-only staff work: a
        // resident's phone should not download it when the service worker installs.
        globIgnores: ['**/ConsoleApp-*', '**/echarts-*'],
        // Nor the worker app (Vant and its screens): cached on a worker's phone at sign-in instead (workerAssets).
        manifestTransforms: [
          async (entries) => ({ manifest: entries.filter((e) => !workerOnly.has(e.url.replace(/^\//, ''))), warnings: [] }),
        ],
      },
    }),
  ],
  server: { proxy: { '/api': 'http://localhost:8787' } },
})
