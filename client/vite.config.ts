import { readFileSync } from 'node:fs'
import { VantResolver } from '@vant/auto-import-resolver'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }
/** Reported on every sync (the server keeps each device's app version). */
const APP_VERSION = `${pkg.version}+${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`

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
      },
    }),
  ],
  server: { proxy: { '/api': 'http://localhost:8787' } },
})
