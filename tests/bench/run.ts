// `pnpm bench <name> [args]` runs tests/bench/<name>.ts. Benchmarks print figures; they are not tests.

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const [name, ...args] = process.argv.slice(2)
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
if (!name || !existsSync(`${dir}/${name}.ts`)) {
  console.error(`usage: pnpm bench <${available.join('|')}>`)
  process.exit(2)
}
const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}/${name}.ts`, ...args], { stdio: 'inherit' })
process.exit(r.status ?? 1)
