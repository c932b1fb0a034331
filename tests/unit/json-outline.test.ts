import { PROBLEMS } from '@minyi/shared/problems'
import { IMPORT_MAX_BYTES, IMPORT_MAX_ITEMS } from '@minyi/shared/schemas'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { outlineJson } from '../../server/src/http/json-outline.ts'
import { ProblemError } from '../../server/src/http/problem.ts'

// The import's outline of a JSON file (server/src/http/json-outline.ts) must read exactly what
// JSON.parse reads: the same members and elements for every valid document, and a refusal for
// every invalid one.

const tooMany = () => new Error('too many')

/** JSON.parse's reading of `text` in the outline's terms, or 'invalid' (or 'not an object'). */
function byJsonParse(text: string): { members: Record<string, unknown>; elements: unknown[] | null } | 'invalid' | 'not an object' {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'invalid'
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object'
  const { items, ...rest } = value as Record<string, unknown>
  if (Array.isArray(items)) return { members: rest, elements: items }
  return { members: items === undefined ? rest : { ...rest, items }, elements: null }
}

function byOutline(text: string) {
  try {
    const o = outlineJson(Buffer.from(text), 'items', 1000, tooMany)
    return { members: o.members, elements: o.elements ? o.elements.map((_, i) => o.element(i)) : null }
  } catch (err) {
    if (err instanceof ProblemError && err.code === 'invalid_json') return 'invalid'
    throw err
  }
}

const spaced = (json: string, ws: string) => json.replace(/([,:[\]{}])/g, `$1${ws}`)

describe('outlineJson', () => {
  it('should read every valid object as JSON.parse does, whatever the spacing and escapes', () => {
    const doc = fc.record(
      {
        format: fc.string(),
        items: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        '\u6ee1\\"': fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(doc, fc.constantFrom('', ' ', '\n\t', '\r\n  '), (value, ws) => {
        const text = spaced(JSON.stringify(value), ws)
        expect(byOutline(text)).toEqual(byJsonParse(text))
      }),
      { numRuns: 500 },
    )
  })

  it('should refuse exactly what JSON.parse refuses (or what is not an object)', () => {
    const good = '{"format":"minyi-outbox","items":[{"a":[1,"x\\"]"]},2,"3",null,true],"n":-1.5e3}'
    // Cut, doubled or replaced characters of a valid file.
    const broken = fc
      .tuple(fc.nat(good.length - 1), fc.nat(3), fc.constantFrom('', ',', ']', '}', '"', ':', '[', '{', '\\', ' ', 'x', '0'))
      .map(([at, cut, insert]) => good.slice(0, at) + insert + good.slice(at + cut))
    fc.assert(
      fc.property(fc.oneof(broken, fc.string({ maxLength: 20 })), (text) => {
        const expected = byJsonParse(text)
        const got = byOutline(text)
        if (expected === 'not an object') expect(got).toBe('invalid')
        else expect(got).toEqual(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('should keep a member named __proto__ as data, as JSON.parse does', () => {
    const o = outlineJson(Buffer.from('{"__proto__":{"polluted":1},"items":[]}'), 'items', 5, tooMany)
    expect(Object.getPrototypeOf(o.members)).toBe(Object.prototype)
    expect(Object.keys(o.members)).toEqual(['__proto__'])
    expect((o.members as { polluted?: number }).polluted).toBeUndefined()
  })

  it('should keep the last of repeated keys, as JSON.parse does', () => {
    expect(byOutline('{"items":[1],"items":2}')).toEqual({ members: { items: 2 }, elements: null })
    expect(byOutline('{"items":2,"items":[1]}')).toEqual({ members: {}, elements: [1] })
  })

  it('should stop with tooMany at the element past the limit, before reading the rest', () => {
    const text = `{"items":[${'0,'.repeat(5)}0,{"never":`
    expect(() => outlineJson(Buffer.from(text), 'items', 5, tooMany)).toThrow('too many')
    expect(outlineJson(Buffer.from('{"items":[0,0,0,0,0]}'), 'items', 5, tooMany).elements).toHaveLength(5)
  })

  it('should state the import limits in the import_too_large message', () => {
    expect(PROBLEMS.import_too_large.en).toContain(IMPORT_MAX_ITEMS.toLocaleString('en'))
    expect(PROBLEMS.import_too_large.zh).toContain(String(IMPORT_MAX_ITEMS))
    expect(PROBLEMS.import_too_large.en).toContain(`${IMPORT_MAX_BYTES / 1024 / 1024} MB`)
    expect(PROBLEMS.import_too_large.zh).toContain(`${IMPORT_MAX_BYTES / 1024 / 1024} MB`)
  })
})
