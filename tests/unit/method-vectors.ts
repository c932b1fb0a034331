import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// The worked cases of METHOD.md live beside the spec (../shared/fixtures); a verbatim copy is kept in
// tests/fixtures so the suite also runs where that folder is absent.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const SHARED_VECTORS_PATH = `${repoRoot}../shared/fixtures/method-vectors.json`
export const LOCAL_VECTORS_PATH = `${repoRoot}tests/fixtures/method-vectors.json`

type Counts = Record<string, number>
type Tier = { minRate: number; score: number }

export type VectorCase = { note?: string } & (
  | { kind: 'wilson'; x: number; n: number; expect: [number, number] | null }
  | {
      kind: 'rate'
      scale: 'likert5' | 'likert4' | 'likert3' | 'nps11'
      counts: Counts
      satisfiedSet: 'top1' | 'top2' | 'top3' | 'top4' | 'top5'
      expect: { rate: number; topK: number[]; ci95: [number, number] }
    }
  | {
      kind: 'design'
      groups: { satisfied: number; n: number }[]
      expect: { rho: number; deff: number; nEff: number; rate: number; ci95Design: [number, number] }
    }
  | { kind: 'sampleSize'; margin: number; p: number; population: number | null; deff: number; validRate: number; expect: number }
  | {
      kind: 'postStratified'
      communities: { population: number | null; satisfied: number; n: number }[]
      expect: { rate: number; se: number; coverageGaps: number[] }
    }
  | { kind: 'score'; rule: 'proportional'; rate: number; target: number; weight: number; expect: number }
  | { kind: 'score'; rule: 'tiers'; tiers: Tier[]; rate: number; expect: number }
  | { kind: 'weightedIndex'; preset: 'nbs' | 'linear'; counts: Counts; expect: number }
  | { kind: 'flags'; ratedItems: number; durationSeconds: number; answers: number[]; expect: string[] }
)

export interface VectorFile {
  about: string
  cases: VectorCase[]
}

export function vectorsPath(): string {
  return existsSync(SHARED_VECTORS_PATH) ? SHARED_VECTORS_PATH : LOCAL_VECTORS_PATH
}

export function loadVectors(path: string = vectorsPath()): VectorFile {
  return JSON.parse(readFileSync(path, 'utf8')) as VectorFile
}
