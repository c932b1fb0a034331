// Bundles the server (and @minyi/shared, which is TypeScript) into dist/index.mjs for `pnpm start`.
// Why: running under tsx costs ~65 MB of RSS (its loader thread and transpiler) and the start-up
// transpile, and PRODUCT.md caps the server at 200 MB while ingesting. Native and optional-native
// packages stay external and load from node_modules as usual.
import { build } from 'esbuild'

await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  outfile: new URL('../dist/index.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // exceljs (~2 MB) is only needed when someone exports: left out of the bundle, it loads from
  // node_modules on the first export instead of weighing on every ingesting process.
  // The report's docx, echarts and resvg (native) likewise load on the first report download.
  external: ['better-sqlite3', 'pg', 'pg-native', 'exceljs', 'docx', 'echarts', '@resvg/resvg-js'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __minyiRequire } from 'node:module'; const require = __minyiRequire(import.meta.url);" },
  logLevel: 'warning',
})
