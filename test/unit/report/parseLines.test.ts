// @vitest-environment node
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../src/lib/mulberry32'
import { createLineParser } from '../../../src/report/parseLines'
import { emptyTruth, generateEvents } from './fixtures'

/** What `node:readline` + `JSON.parse` made of the same bytes: the reader this parser replaced. */
function reference(bytes: Buffer): unknown[] {
  const values: unknown[] = []
  for (const line of bytes.toString('utf8').split(/\r\n|\r|\n/)) {
    try {
      values.push(JSON.parse(line))
    } catch {
      // not JSON: skipped
    }
  }
  return values
}

function parsed(bytes: Buffer, parser = createLineParser()): unknown[] {
  // The chunk must end at a line end, as forEachChunk hands it over.
  const chunk = Buffer.concat([bytes, Buffer.from('\n')])
  const values: unknown[] = []
  parser.parseLines(chunk, chunk.length - 1, (value) => values.push(value))
  return values
}

/** Equal values (-0 is not 0) with keys in the same order. */
const identical = (got: unknown, want: unknown) =>
  isDeepStrictEqual(got, want) && JSON.stringify(got) === JSON.stringify(want)

const same = (text: string | Buffer, parser = createLineParser()) => {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const got = parsed(bytes, parser)
  const want = reference(bytes)
  if (!identical(got, want)) expect(got).toEqual(want)
  expect(identical(got, want)).toBe(true)
  return got
}

describe('createLineParser', () => {
  it.each([
    ['a plain event', '{"type":"page","ts":1732350038019,"url":"https://x.example/a?b=1"}'],
    ['an empty object', '{}'],
    ['spaces and tabs between tokens', ' {\t"type" :\t"page" , "n" : 1 }\t '],
    ['nested values', '{"a":{"b":[1,{"c":"}"}],"d":"]"},"e":[]}'],
    ['escapes in values', '{"m":"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\\/"}'],
    ['escapes in keys', '{"ty\\u0070e":"page"}'],
    ['non-ASCII text', '{"title":"Café ☕ 日本","k":"é"}'],
    ['non-ASCII keys', '{"clé":1}'],
    ['duplicate keys (the last wins, in the first place)', '{"a":1,"b":2,"a":3}'],
    ['a __proto__ key', '{"__proto__":{"polluted":true},"type":"x"}'],
    ['integer-like keys', '{"b":1,"2":2,"1":3}'],
    ['literals', '{"t":true,"f":false,"n":null}'],
    [
      'numbers',
      '{"a":-0,"b":0,"c":1e5,"d":1E+2,"e":-1.5e-3,"f":0.1,"g":123456789012345678901234,"h":-12,"i":9007199254740993}',
    ],
    ['more numbers', '{"a":336.15852755028754,"b":1e400,"c":-1e-400,"d":999999999999999,"e":1000000000000000}'],
    [
      'decimals at the edges of the division by a power of ten',
      '{"a":-0.0,"b":9007199254740991.5,"c":900719925474099.1,"d":0.0000000000000000000001,' +
        '"e":0.00000000000000000000001,"f":1.0000000000000000000001,"g":0.30000000000000004,"h":5e-324,"i":1.25e2}',
    ],
    ['not objects', '42\n"text"\n[1,2]\nnull\ntrue'],
    ['blank lines', '\n\n   \n\t\n{"a":1}\n\n'],
  ])('gives what JSON.parse gives: %s', (_, text) => {
    same(text)
  })

  it.each([
    ['a torn line', '{"type":"page","url":"https://x.exa'],
    ['a leading zero', '{"a":01}'],
    ['a bare minus', '{"a":-}'],
    ['a dot without digits', '{"a":1.}'],
    ['a leading dot', '{"a":.5}'],
    ['an exponent without digits', '{"a":1e}'],
    ['a plus sign', '{"a":+1}'],
    ['hexadecimal', '{"a":0x10}'],
    ['Infinity', '{"a":Infinity}'],
    ['a trailing comma', '{"a":1,}'],
    ['a missing comma', '{"a":1 "b":2}'],
    ['a missing colon', '{"a" 1}'],
    ['single quotes', "{'a':1}"],
    ['an unquoted key', '{a:1}'],
    ['garbage after the object', '{"a":1}x'],
    ['two objects on a line', '{"a":1}{"b":2}'],
    ['a control character in a string', '{"a":"x\ty"}'],
    ['a bad escape', '{"a":"\\x"}'],
    ['a short unicode escape', '{"a":"\\u12"}'],
    ['a broken nested value', '{"a":{"b":1]}'],
    ['an unclosed nested value', '{"a":{"b":[1,2}'],
    ['a misspelled literal', '{"a":tru}'],
    ['a byte order mark', '\ufeff{"a":1}'],
  ])('skips what JSON.parse rejects: %s', (_, text) => {
    expect(same(text)).toEqual([])
  })

  it('reads random decimals as the doubles JSON.parse gives', () => {
    const random = mulberry32(7)
    const lines: string[] = []
    for (let i = 0; i < 20_000; i += 1) {
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 16 - 4)
      lines.push(`{"a":${value},"b":${value.toFixed(Math.floor(random() * 21))}}`)
    }
    same(lines.join('\n'))
  })

  it('splits lines at \\n, \\r\\n and a lone \\r, as readline does', () => {
    expect(same('{"a":1}\r\n{"a":2}\r{"a":3}\n{"a":4}\r\r\n\n{"a":5}')).toHaveLength(5)
  })

  it('decodes invalid UTF-8 as JSON.parse of the decoded text does (replacement characters)', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff, 0xe2, 0x82]), Buffer.from('","b":1}')])
    expect(same(bytes)).toHaveLength(1)
    same(Buffer.concat([Buffer.from('{"a":1,'), Buffer.from([0xc3]), Buffer.from('"b":1}')]))
  })

  it('reuses the nested value of an earlier line only when the bytes are the same', () => {
    const parser = createLineParser()
    const lines = [
      '{"context":{"device":"mobile","experiments":{}}}',
      '{"context":{"device":"mobile","experiments":{}}}',
      // Same length, other bytes, at the start, the middle and just before the end.
      '{"context":{"device":"mobilf","experiments":{}}}',
      '{"context":{"device":"nobile","experiments":{}}}',
      '{"context":{"device":"mobile","experimentt":{}}}',
      '{"context":{"device":"mobile","experiments":{}}}',
    ]
    const values = parsed(Buffer.from(lines.join('\n')), parser) as Array<{ context: object }>
    expect(values).toEqual(lines.map((line) => JSON.parse(line)))
    expect(values[1].context).toBe(values[0].context)
    expect(values[5].context).toBe(values[0].context)
    expect(values[2].context).not.toBe(values[0].context)
  })

  it('takes the keys a line repeats from the previous line only where the bytes are the same', () => {
    const run = '"s":"a","u":"https://x/","c":{"d":"m","e":{}},"t":"v"'
    const lines = [
      `{"id":1,${run},"n":1}`,
      `{"id":2,${run},"n":2}`,
      // The run changed at its start, middle and end, and its keys in another order.
      `{"id":3,${run.replace('"a"', '"b"')},"n":3}`,
      `{"id":4,${run.replace('"m"', '"n"')},"n":4}`,
      `{"id":5,${run.replace('"v"', '"w"')},"n":5}`,
      `{"id":6,${run},"n":6}`,
      `{"id":7,"u":"https://x/","s":"a","c":{"d":"m","e":{}},"t":"v","n":7}`,
      // Spaces where the previous line had none, an empty event, a line that is not JSON, a longer value.
      `{"id":8,${run},"n":8}`,
      `{"id":9, ${run.replace(',', ' ,')},"n":9}`,
      '{}',
      `{"id":10,${run}`,
      `{"id":10,${run},"n":10}`,
      `{"id":11,${run.replace('"v"', '"vv"')},"n":11}`,
      `{"id":12,${run},"n":12,"more":${run.length}}`,
      `{"id":13,${run}}`,
      `{"id":14,${run}}`,
    ]
    const bytes = Buffer.from(lines.join('\n'))
    same(bytes)
    // Omitted keys inside the run are skipped all the same.
    const omitted = parsed(bytes, createLineParser({ omit: ['u', 'id'] }))
    const want = reference(bytes).map((value) => {
      const { u: _u, id: _id, ...rest } = value as Record<string, unknown>
      return rest
    })
    expect(identical(omitted, want)).toBe(true)
    expect(omitted[1]).toEqual({ s: 'a', c: { d: 'm', e: {} }, t: 'v', n: 2 })
  })

  it('reads objects nested deeper than it reads itself, and more key sequences than it remembers', () => {
    const deep = `{"a":${'['.repeat(40)}{"b":1}${']'.repeat(40)},"c":{"d":{"e":{"f":[{"g":"h"}]}}}}`
    same(`${deep}\n${deep}`)
    // Past 4096 key sequences and 512 compiled object makers, top-level and nested.
    const lines = Array.from({ length: 5_000 }, (_, i) => `{"k${i}":${i},"n":{"m${i}":[${i}]},"t":"x"}`)
    same(lines.join('\n'))
  })

  it('leaves out omitted top-level keys, and still skips lines that are not JSON', () => {
    const omit = ['id', 'delta', 'props']
    const without = (value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
      const copy = { ...value } as Record<string, unknown>
      for (const key of omit) delete copy[key]
      return copy
    }
    const random = mulberry32(12)
    const events = [...generateEvents(300, emptyTruth(), 6)].map((event) => JSON.stringify(event))
    const lines = [
      '{"id":"a\\u00e9","delta":-1.5e3,"props":{"id":1},"n":{"id":2,"delta":3},"type":"x"}',
      // A bad escape, number or nested value under an omitted key still makes the line no JSON.
      '{"id":"\\x","type":"x"}',
      '{"delta":01,"type":"x"}',
      '{"props":{"a":1]},"type":"x"}',
      '["id"]',
      // An escape in a key sends the line to JSON.parse, which must leave the keys out too.
      '{"ty\\u0070e":"x","id":"y"}',
      ...events.map((line) => (random() < 0.2 ? line.slice(0, Math.floor(random() * line.length)) : line)),
      ...events.slice(0, 10).map((line, i) => line.replace('"id":"', i % 2 ? '"id":"\\n' : '"id":"\\q')),
    ]
    const bytes = Buffer.from(lines.join('\n'))
    const got = parsed(bytes, createLineParser({ omit }))
    const want = reference(bytes).map(without)
    expect(got).toEqual(want)
    expect(identical(got, want)).toBe(true)
    expect(got[0]).toEqual({ n: { id: 2, delta: 3 }, type: 'x' })
  })

  it('parses every generated event as JSON.parse does, across chunks', () => {
    const parser = createLineParser()
    const lines = [...generateEvents(3_000, emptyTruth(), 3)].map((event) => JSON.stringify(event))
    for (let from = 0; from < lines.length; from += 500) same(lines.slice(from, from + 500).join('\n'), parser)
  }, 60_000)

  it('agrees with JSON.parse on randomly damaged events (fuzz)', () => {
    const random = mulberry32(11)
    const alphabet = Buffer.from('{}[]":,\\ \t\r\n-+.0123456789eEtrufalsn\u00e9ux')
    const events = [...generateEvents(300, emptyTruth(), 5)].map((event) => Buffer.from(JSON.stringify(event)))
    const parser = createLineParser()
    for (let round = 0; round < 2_000; round += 1) {
      const line = Buffer.from(events[Math.floor(random() * events.length)])
      const damage = 1 + Math.floor(random() * 3)
      let bytes: Buffer = line
      for (let d = 0; d < damage; d += 1) {
        const at = Math.floor(random() * bytes.length)
        const byte = alphabet[Math.floor(random() * alphabet.length)]
        const kind = random()
        if (kind < 0.4) bytes[at] = byte
        else if (kind < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])
        else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)])
      }
      // Undamaged lines around it keep the caches warm with the original values.
      same(Buffer.concat([line, Buffer.from('\n'), bytes, Buffer.from('\n'), line]), parser)
    }
  }, 60_000)
})
