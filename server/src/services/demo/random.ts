/**
 * The demo sample's only source of chance: a seeded PRNG, so that every start on an empty database
 * writes the same sample (same answers, times and flags; only the server-made ids differ) and a test
 * can hold its figures.
 */

/** mulberry32: 32 bits of state, good enough for synthetic answers, and fast. */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Random = () => number

/** An integer in [lo, hi]. */
export function int(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1))
}

/** `items` in a random order (Fisher–Yates, in place). */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = items[i] as T
    items[i] = items[j] as T
    items[j] = t
  }
  return items
}

/** One of the keys, with probability proportional to its weight. */
export function weighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][]
  let r = random() * entries.reduce((s, [, w]) => s + w, 0)
  for (const [key, w] of entries) {
    r -= w
    if (r < 0) return key
  }
  return (entries[entries.length - 1] as [K, number])[0]
}

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = 1 - random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** A duration around `median` with a log-normal spread: how long people take is skewed to the right. */
export function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random))
}

/** `n` random bytes as lowercase hex. */
export function hex(random: Random, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++)
    out += Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0')
  return out
}

/** An RFC 9562 UUIDv7 at `ms` whose random bits come from `random`: time-ordered like the devices' own ids. */
export function uuidv7At(ms: number, random: Random): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0')
  const variant = (8 + Math.floor(random() * 4)).toString(16)
  const r = hex(random, 9)
  return `${time.slice(0, 8)}-${time.slice(8)}-7${r.slice(0, 3)}-${variant}${r.slice(3, 6)}-${r.slice(6)}`
}
