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
        globPatterns: ['**/*.{js,css,html,webmanifest,png,svg,ico}'],
        // The evaluator console (its own chunk, with the QR library, and ECharts) is online-only staff work: a
        // resident's phone should not download it when the service worker installs.
        globIgnores: ['**/ConsoleApp-*', '**/echarts-*'],
      },
    }),
  ],
  server: { proxy: { '/api': 'http://localhost:8787' } },
})
