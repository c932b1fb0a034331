import { ProblemError } from './problem.ts'

/**
 * A JSON object whose one array member is too large to parse whole on a 128 MB heap: the other members
 * parsed, and the array's elements as byte ranges, each parsed on its own when needed (`element`).
 * Why: `JSON.parse` of a many-megabyte file builds every element at once (the outbox import used to
 * end the process with a million tiny items); ranges cost two numbers per element.
 */
export interface JsonOutline {
  /** Every member except the array, parsed (the array too when it is not an array: the schema refuses it). */
  members: Record<string, unknown>
  /** The array's elements as [start, end) byte offsets into the buffer, in order; null when the member is absent or not an array. */
  elements: [number, number][] | null
  /** Parses one element. */
  element(i: number): unknown
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d])
const QUOTE = 0x22
const BACKSLASH = 0x5c
/** Bytes that end a literal (number, true, false, null) at its level. */
const LITERAL_END = new Set([0x2c, 0x5d, 0x7d, ...WS])

class Malformed extends Error {}

/**
 * Outlines `buf` (UTF-8 JSON, an object at the top) with `arrayKey` as the array. The structure is
 * scanned by bytes (a quote or backslash byte never occurs inside a multi-byte UTF-8 character), and
 * every element is parsed once here so that a malformed one fails the whole document before anything
 * is used. More than `maxElements` elements throw `tooMany`; any syntax error throws 400 `invalid_json`.
 */
export function outlineJson(buf: Buffer, arrayKey: string, maxElements: number, tooMany: () => Error): JsonOutline {
  let i = 0
  const end = buf.length
  const ws = () => {
    while (i < end && WS.has(buf[i] as number)) i++
  }
  const expect = (byte: number) => {
    if (buf[i] !== byte) throw new Malformed()
    i++
  }
  const parse = (from: number, to: number): unknown => {
    try {
      return JSON.parse(buf.toString('utf8', from, to))
    } catch {
      throw new Malformed()
    }
  }
  /** After a member or element: true past a comma (another follows), false past the closing `close`. */
  const more = (close: number): boolean => {
    ws()
    if (buf[i] === 0x2c) {
      i++
      ws()
      return true
    }
    expect(close)
    return false
  }
  /** Moves past the string starting at i (at its opening quote). */
  const skipString = () => {
    i++
    while (i < end) {
      const b = buf[i++]
      if (b === BACKSLASH) i++
      else if (b === QUOTE) return
    }
    throw new Malformed()
  }
  /** Moves past the value starting at i; its own syntax is checked when it is parsed. */
  const skipValue = () => {
    const b = buf[i]
    if (b === QUOTE) return skipString()
    if (b === 0x7b || b === 0x5b) {
      let depth = 0
      while (i < end) {
        const c = buf[i]
        if (c === QUOTE) {
          skipString()
          continue
        }
        if (c === 0x7b || c === 0x5b) depth++
        else if (c === 0x7d || c === 0x5d) depth--
        i++
        if (depth === 0) return
      }
      throw new Malformed()
    }
    const start = i
    while (i < end && !LITERAL_END.has(buf[i] as number)) i++
    if (i === start) throw new Malformed()
  }

  const members: Record<string, unknown> = {}
  let elements: [number, number][] | null = null
  try {
    ws()
    expect(0x7b)
    ws()
    if (buf[i] === 0x7d) i++
    else
      do {
        if (buf[i] !== QUOTE) throw new Malformed()
        const keyStart = i
        skipString()
        const key = parse(keyStart, i) as string
        ws()
        expect(0x3a)
        ws()
        if (key === arrayKey && buf[i] === 0x5b) {
          const list: [number, number][] = []
          i++
          ws()
          if (buf[i] === 0x5d) i++
          else
            do {
              const start = i
              skipValue()
              if (list.length === maxElements) throw tooMany()
              list.push([start, i])
              parse(start, i)
            } while (more(0x5d))
          elements = list
          // A repeated key: JSON.parse keeps the last one, and so does this.
          delete members[key]
        } else {
          const start = i
          skipValue()
          // Defined, not assigned: a member named `__proto__` must stay data, as JSON.parse keeps it.
          Object.defineProperty(members, key, { value: parse(start, i), enumerable: true, writable: true, configurable: true })
          if (key === arrayKey) elements = null
        }
      } while (more(0x7d))
    ws()
    if (i !== end) throw new Malformed()
  } catch (err) {
    if (err instanceof Malformed) throw new ProblemError('invalid_json')
    throw err
  }
  const ranges = elements
  return {
    members,
    elements: ranges,
    element(n: number) {
      const r = ranges?.[n]
      if (!r) throw new RangeError(`no element ${n}`)
      return parse(r[0], r[1])
    },
  }
}
