import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Now on the clock V8's CPU profiles use (CLOCK_MONOTONIC, µs), to cut a profile to the timed part of a run. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

/**
 * The functions that took the most CPU in the one `.cpuprofile` written to `dir` (a server run with
 * `--cpu-prof --cpu-prof-dir=<dir>`), counting only samples between `fromUs` and `toUs` (start-up and
 * the demo seeding left out): self time, and inclusive time of what they call, with their share.
 */
export function summariseProfile(dir: string, fromUs: number, toUs: number, top = 30): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) return `no .cpuprofile in ${dir}`
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0
  let t = p.startTime
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0
    // A sample's time is the gap to the next one.
    const d = p.timeDeltas[i + 1] ?? 0
    if (t < fromUs || t > toUs) continue
    total += d
    const leaf = p.samples[i] as number
    const leafNode = byId.get(leaf)
    if (!leafNode) continue
    self.set(name(leafNode), (self.get(name(leafNode)) ?? 0) + d)
    const seen = new Set<string>()
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)
      if (!node) break
      const k = name(node)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + d)
    }
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n')
  return `profile: ${(total / 1000).toFixed(0)} ms sampled in the timed part\n-- self\n${list(self)}\n-- inclusive\n${list(inclusive)}`
}
