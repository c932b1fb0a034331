// `pnpm upgrade:check [--from <git ref>] [--db sqlite|postgres|both] [--responses N]`: today's release
// started on a database made and filled by a previous release must lose nothing (tests/chaos/lib/upgrade.ts).
// --from defaults to the commit before the last change to server/src/db/migrations (or the newest
// ancestor with the same migrations that starts, if that commit never built).
import { previousSchemaRefs, runUpgrade } from './lib/upgrade.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt
}
const given = opt('from', '')
const from = given ? [given] : previousSchemaRefs()
if (from.length === 0) {
  console.error('upgrade: no previous schema in the git history here (a shallow clone?): pass --from <ref>')
  process.exit(2)
}
const which = opt('db', 'both')
let failed = false
let used = ''
let checked = 0
let rows = 0
let lost = 0
for (const db of (which === 'both' ? ['sqlite', 'postgres'] : [which]) as ('sqlite' | 'postgres')[]) {
  const r = await runUpgrade({ db, from, responses: Number(opt('responses', '300')), log: (l) => console.log(l) })
  console.log(`upgrade[${db}]: ${r.tables.map((t) => `${t.table} ${t.before}→${t.after}`).join(', ')}`)
  console.log(
    `upgrade[${db}]: chain ${r.chainBefore} → ${r.chainAfter}, indicator ${r.indicatorSameAsBefore ? 'identical to' : 'DIFFERENT from'} the previous release's, ${r.lost} responses lost`,
  )
  for (const p of r.problems) console.log(`upgrade[${db}]: FAIL ${p}`)
  if (r.problems.length > 0) failed = true
  checked++
  used = r.from
  rows += r.tables.reduce((n, t) => n + t.before, 0)
  lost += r.lost
}
console.log(`upgrade: from ${used.slice(0, 10)}, ${checked} databases, ${rows} rows before, ${lost} lost${failed ? ', FAILED' : ''}`)
process.exit(failed ? 1 : 0)
