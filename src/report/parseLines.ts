import { createShapeTable, type Shape } from './objectShapes'

/** Parses stored NDJSON lines straight from the bytes read. */
export interface LineParser {
  /**
   * Calls `onValue` with the value of each line of `bytes[0, end]` that is JSON, equal to
   * `JSON.parse` of its UTF-8 decoding; lines that are not (blank, torn by a crash) are skipped.
   * Lines end at `\n` or `\r` (so `\r\n` too, as for `node:readline`), and `bytes[end]` must be
   * one: the scan stops at line ends instead of checking bounds at every byte. The top-level
   * keys given to {@link createLineParser} as `omit` are left out of the objects.
   */
  parseLines(bytes: Buffer, end: number, onValue: (value: unknown) => void): void
}

// Byte values of the JSON grammar.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const QUOTE = 0x22
const PLUS = 0x2b
const COMMA = 0x2c
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const COLON = 0x3a
const UPPER_E = 0x45
const OPEN_ARRAY = 0x5b
const BACKSLASH = 0x5c
const CLOSE_ARRAY = 0x5d
const LOWER_E = 0x65
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const FIRST_NON_ASCII = 0x80

/** Options of {@link createLineParser}. */
export interface LineParserOptions {
  /**
   * Top-level keys whose values the reader never looks at: their values are checked (a line
   * that is not JSON is still skipped) but not made, and they are left out of the objects.
   */
  omit?: readonly string[]
}

/** The fast path gave up: the line is parsed again by `JSON.parse`, which decides. */
const GIVE_UP: unique symbol = Symbol('give up')

/** Interned strings: slots of a direct-mapped cache (a power of two), and the longest string kept. */
const INTERN_SLOTS = 4096
const INTERN_MAX_LENGTH = 128
/** Integers of at most this many digits are exact when summed digit by digit in a double. */
const EXACT_DIGITS = 15
/** Integers below this are exact doubles. */
const TWO_TO_53 = 2 ** 53
/** 10^22 is the largest power of ten that is an exact double (5^22 < 2^53). */
const MAX_EXACT_POWER = 22
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_POWER + 1 }, (_, n) => Number(`1e${n}`))
/**
 * Nested values remembered per key: a page's vitals take turns (TTFB, FCP, LCP, CLS, INP each
 * have their own `attribution`), a session has a context before and after its first exposure.
 */
const NESTED_CACHE_ENTRIES = 6
/** Keys whose nested values are remembered: the wire format has a handful. */
const NESTED_CACHE_KEYS = 32
/** Nested values (context, attribution…) longer than this are not remembered. */
const NESTED_CACHE_MAX_BYTES = 8192
/** Nesting read here; deeper values (only hostile data has them) go to `JSON.parse`. */
const MAX_DEPTH = 16
/** Keys of an event whose starts are remembered for {@link createLineParser}'s span skipping. */
const MAX_SPAN_KEYS = 64

interface NestedEntry {
  /** The value's bytes are the first `length`; an evicted entry's room is reused by the next value. */
  bytes: Uint8Array
  length: number
  /** The same bytes, read eight at a time when compared. */
  words: DataView
  value: unknown
  /** Lines that reused it, halved at each eviction so that old favourites fade. */
  hits: number
}

/**
 * Creates a line parser for the report's NDJSON reader. `JSON.parse` of a whole line costs
 * several microseconds, most of it building the `context` object (user agent, viewport, utm,
 * experiments…) that every event repeats for its session. This parser reads the top level of an
 * event object from the bytes, interns the short strings that repeat (keys, types, session ids,
 * URLs), and gives a nested value the very object it built for the same key on an earlier line
 * when the bytes are the same, so consecutive events of a session share one `context`: the
 * report only reads events, never changes them. The keys a line repeats from the previous one
 * byte for byte (a session's ids, URL and context) are skipped as one run. A nested value seen
 * for the first time goes to `JSON.parse` (which validates it), and anything unusual (not an
 * object, escapes in a key, `__proto__`, a syntax error) sends the whole line to `JSON.parse`,
 * so the result is always what `JSON.parse` gives, and a line is skipped where it throws.
 *
 * @example
 * const bytes = Buffer.from('{"type":"page"}\n')
 * createLineParser().parseLines(bytes, bytes.length - 1, (event) => console.log(event)) // { type: 'page' }
 */
export function createLineParser(options: LineParserOptions = {}): LineParser {
  const omit = new Set(options.omit)
  const shapes = createShapeTable(omit)
  // The values of the object being read at each depth, in the order of its keys.
  const valuesAt: unknown[][] = []
  const internStrings: string[] = new Array<string>(INTERN_SLOTS).fill('')
  const internHashes = new Int32Array(INTERN_SLOTS)
  // Each slot's bytes, compared with a typed array rather than through `charCodeAt`.
  const internLengths = new Int32Array(INTERN_SLOTS).fill(-1)
  const internBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX_LENGTH)
  const nested = new Map<string, NestedEntry[]>()
  let b: Buffer = Buffer.alloc(0)
  /**
   * The chunk's bytes, read eight at a time as doubles to compare them with bytes remembered
   * (keys, nested values, the previous line). Equal doubles have equal bits but for 0 and -0,
   * whose bytes are zeros that the remembered side (JSON text) never holds, and NaN, never
   * equal to itself, which only makes a comparison fail: the fallback reads the bytes anyway.
   */
  let words: DataView = new DataView(new ArrayBuffer(0))
  let pos = 0
  /** End of the chunk: no cached value may be compared past it. */
  let chunkEnd = 0

  const skipSpace = () => {
    let c = b[pos]
    while (c === SPACE || c === TAB) c = b[++pos]
  }

  /** The string of ASCII bytes `[from, to)` whose hash is `hash`, shared with earlier lines when it repeats. */
  const intern = (from: number, to: number, hash: number): string => {
    const length = to - from
    const slot = (hash ^ (hash >>> 13) ^ length) & (INTERN_SLOTS - 1)
    const base = slot * INTERN_MAX_LENGTH
    if (internHashes[slot] === hash && internLengths[slot] === length) {
      const bytes = b
      let k = 0
      while (k < length && internBytes[base + k] === bytes[from + k]) k += 1
      if (k === length) return internStrings[slot]
    }
    const text = b.toString('latin1', from, to)
    if (length <= INTERN_MAX_LENGTH) {
      internStrings[slot] = text
      internHashes[slot] = hash
      internLengths[slot] = length
      for (let k = 0; k < length; k += 1) internBytes[base + k] = b[from + k]
    }
    return text
  }

  /** A key: plain ASCII only (anything else gives up, since escapes need decoding). */
  const readKey = (): string | typeof GIVE_UP => {
    const bytes = b
    const from = pos + 1
    let i = from
    let hash = 0
    for (let c = bytes[i]; c !== QUOTE; c = bytes[++i]) {
      if (c < SPACE || c === BACKSLASH || c >= FIRST_NON_ASCII) return GIVE_UP
      hash = (Math.imul(hash, 31) + c) | 0
    }
    pos = i + 1
    return intern(from, i, hash)
  }

  /** Whether the last {@link readString} read plain ASCII (no escape): its bytes are its characters. */
  let plain = false

  const readString = (): string | typeof GIVE_UP => {
    const from = pos + 1
    let i = from
    let hash = 0
    let ascii = true
    plain = false
    const bytes = b
    for (let c = bytes[i]; c !== QUOTE; c = bytes[++i]) {
      if (c === BACKSLASH) return readEscapedString()
      if (c < SPACE) return GIVE_UP
      if (c >= FIRST_NON_ASCII) ascii = false
      hash = (Math.imul(hash, 31) + c) | 0
    }
    pos = i + 1
    plain = ascii
    return ascii ? intern(from, i, hash) : b.toString('utf8', from, i)
  }

  /**
   * The string under the key of `shape`: the one the previous line of this shape had when the
   * bytes are the same (session id, URL, type repeat from line to line), compared in one pass
   * instead of hashed and then compared, else read and remembered.
   */
  const readStringOf = (shape: Shape): string | typeof GIVE_UP => {
    const known = shape.lastString
    if (known !== undefined) {
      const length = known.length
      const from = pos + 1
      const bytes = b
      let k = 0
      while (k < length && bytes[from + k] === known.charCodeAt(k)) k += 1
      // The known string holds no quote or backslash, so this quote closes the string.
      if (k === length && bytes[from + length] === QUOTE) {
        pos = from + length + 1
        return known
      }
    }
    const value = readString()
    if (plain) shape.lastString = value as string
    return value
  }

  /** The index of the quote closing the string opened at `open`, or -1 at a raw control character. */
  const closingQuote = (open: number): number => {
    let i = open + 1
    for (let c = b[i]; c !== QUOTE; c = b[i]) {
      if (c < SPACE) return -1
      if (c === BACKSLASH) {
        if (b[i + 1] < SPACE) return -1
        i += 2
      } else i += 1
    }
    return i
  }

  /** A string with escapes: its end found here, its value decoded by `JSON.parse`. */
  const readEscapedString = (): string | typeof GIVE_UP => {
    const from = pos
    const end = closingQuote(from)
    if (end < 0) return GIVE_UP
    pos = end + 1
    return JSON.parse(b.toString('utf8', from, pos)) as string
  }

  const isDigit = (c: number) => c >= ZERO && c <= NINE

  /**
   * A number, by the JSON grammar; integers of up to 15 digits summed here, decimals without an
   * exponent whose digits make an integer below 2^53 divided here, the rest by `Number`.
   */
  const readNumber = (): number | typeof GIVE_UP => {
    const from = pos
    const i = numberEnd()
    if (i < 0) return GIVE_UP
    pos = i
    const digitsFrom = b[from] === MINUS ? from + 1 : from
    const digitsTo = integerEnd
    if (digitsTo !== i) return readDecimal(from, digitsFrom, digitsTo, i)
    if (digitsTo - digitsFrom > EXACT_DIGITS) return Number(b.toString('latin1', from, i))
    let value = 0
    const bytes = b
    for (let k = digitsFrom; k < digitsTo; k += 1) value = value * 10 + (bytes[k] - ZERO)
    return digitsFrom > from ? -value : value
  }

  /**
   * The number `[from, to)` with a fraction or an exponent (its integer digits `[digitsFrom,
   * digitsTo)`). Web vitals are decimals of 16 or 17 digits, which `Number` of a string costs a
   * string each. Without an exponent, when all the digits make an integer below 2^53 and the
   * fraction has at most 22 of them, that integer and the power of ten are exact doubles, and one
   * IEEE division of exact doubles is correctly rounded, as `Number` is: the same double (Clinger's
   * fast path). The sum stays exact below 2^53 and only grows, so its end tells.
   */
  const readDecimal = (from: number, digitsFrom: number, digitsTo: number, to: number): number => {
    const bytes = b
    // An exponent without a fraction (`1e5`) has no dot here.
    if (bytes[digitsTo] !== DOT) return Number(bytes.toString('latin1', from, to))
    const fractionTo = digitsTo + MAX_EXACT_POWER
    let value = 0
    for (let k = digitsFrom; k < digitsTo; k += 1) value = value * 10 + (bytes[k] - ZERO)
    let k = digitsTo + 1
    for (; k < to && k <= fractionTo; k += 1) {
      const c = bytes[k]
      if (c === LOWER_E || c === UPPER_E) break
      value = value * 10 + (c - ZERO)
    }
    if (k !== to || value >= TWO_TO_53) return Number(bytes.toString('latin1', from, to))
    value /= POWERS_OF_TEN[to - digitsTo - 1]
    return digitsFrom > from ? -value : value
  }

  /** Where the integer part of the last number {@link numberEnd} read ends. */
  let integerEnd = 0

  /** Where the number at `pos` ends, by the JSON grammar, or -1 when it is not one. */
  const numberEnd = (): number => {
    const bytes = b
    let i = pos
    if (bytes[i] === MINUS) i += 1
    if (bytes[i] === ZERO) i += 1
    else if (bytes[i] > ZERO && bytes[i] <= NINE) while (isDigit(bytes[i])) i += 1
    else return -1
    integerEnd = i
    if (bytes[i] === DOT) {
      i += 1
      if (!isDigit(bytes[i])) return -1
      while (isDigit(bytes[i])) i += 1
    }
    if (bytes[i] === LOWER_E || bytes[i] === UPPER_E) {
      i += 1
      if (bytes[i] === PLUS || bytes[i] === MINUS) i += 1
      if (!isDigit(bytes[i])) return -1
      while (isDigit(bytes[i])) i += 1
    }
    return i
  }

  const readLiteral = (text: string, value: unknown): unknown => {
    for (let k = 0; k < text.length; k += 1) if (b[pos + k] !== text.charCodeAt(k)) return GIVE_UP
    pos += text.length
    return value
  }

  /** Whether the chunk holds the bytes of `entry` at `from`, compared eight at a time (a native call costs more). */
  const sameBytes = (entry: NestedEntry, from: number): boolean => {
    const length = entry.length
    // Cheap rejections first: too long, or a different last byte (the closing bracket's neighbour).
    if (from + length > chunkEnd || entry.bytes[length - 2] !== b[from + length - 2]) return false
    return sameAs(entry.bytes, entry.words, length, from)
  }

  /**
   * Whether `b[at, at + length)` holds the first `length` bytes of `known` (`knownWords` views the
   * same bytes), which the caller checked fit before the chunk's end. The last word read overlaps
   * the one before it instead of a loop over the few bytes left.
   */
  const sameAs = (known: Uint8Array, knownWords: DataView, length: number, at: number): boolean => {
    const view = words
    if (length >= 8) {
      const last = length - 8
      for (let k = 0; k < last; k += 8)
        if (knownWords.getFloat64(k, true) !== view.getFloat64(at + k, true)) return false
      return knownWords.getFloat64(last, true) === view.getFloat64(at + last, true)
    }
    if (length >= 4) {
      const last = length - 4
      return (
        knownWords.getInt32(0, true) === words.getInt32(at, true) &&
        knownWords.getInt32(last, true) === words.getInt32(at + last, true)
      )
    }
    for (let k = 0; k < length; k += 1) if (known[k] !== b[at + k]) return false
    return true
  }

  /**
   * An object or array under the top-level `key`: the value of the previous line's `key` when the
   * bytes are the same (a complete JSON value ends at its closing bracket, whatever follows), else
   * read here ({@link readComposite}), else (too deep, too many shapes, an error) found by bracket
   * depth and parsed by `JSON.parse`, which also rejects it when it is not JSON.
   */
  const readNested = (key: string): unknown => {
    const from = pos
    let known = nested.get(key)
    if (known === undefined) {
      known = []
      // Keys past the first few (only hostile data has many) are parsed each time, not remembered.
      if (nested.size < NESTED_CACHE_KEYS) nested.set(key, known)
    }
    for (let k = 0; k < known.length; k += 1) {
      const entry = known[k]
      if (sameBytes(entry, from)) {
        pos = from + entry.length
        entry.hits += 1
        return entry.value
      }
    }
    let value = readComposite(1)
    if (value === GIVE_UP) {
      pos = from
      value = parseNested()
      if (value === GIVE_UP) return GIVE_UP
    }
    if (pos - from <= NESTED_CACHE_MAX_BYTES) remember(known, from, value)
    return value
  }

  /**
   * Remembers the nested value of the bytes `[from, pos)`. A full list gives up its least reused
   * entry, the newest of those tied: a value that never repeats (an LCP attribution holds a
   * timing) then takes the place of the previous one, instead of pushing out, oldest first, the
   * values that do repeat (the other vitals' attributions), as evicting the oldest did.
   */
  const remember = (known: NestedEntry[], from: number, value: unknown) => {
    const length = pos - from
    let entry: NestedEntry | undefined
    if (known.length === NESTED_CACHE_ENTRIES) {
      let evicted = 0
      for (let k = 1; k < known.length; k += 1) if (known[k].hits <= known[evicted].hits) evicted = k
      for (const other of known) other.hits >>= 1
      entry = known[evicted]
      if (entry.bytes.length < length) known[evicted] = entry = newEntry(length)
    } else known.push((entry = newEntry(length)))
    const bytes = entry.bytes
    const chunk = b
    for (let k = 0; k < length; k += 1) bytes[k] = chunk[from + k]
    entry.length = length
    entry.value = value
    entry.hits = 0
  }

  /** Room for a nested value of `length` bytes, rounded up so that the next ones often fit. */
  const newEntry = (length: number): NestedEntry => {
    const bytes = new Uint8Array((length + 63) & ~63)
    return { bytes, length: 0, words: new DataView(bytes.buffer), value: undefined, hits: 0 }
  }

  /** The object or array at `pos`, found by bracket depth and parsed by `JSON.parse`. */
  const parseNested = (): unknown => {
    const from = pos
    let depth = 0
    let i = from
    for (;;) {
      const c = b[i]
      if (c === QUOTE) {
        i = closingQuote(i)
        if (i < 0) return GIVE_UP
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth += 1
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth -= 1
        if (depth === 0) break
      } else if (c === LF || c === CR) return GIVE_UP
      i += 1
    }
    pos = i + 1
    return JSON.parse(b.toString('utf8', from, pos)) as unknown
  }

  /** The object or array at `pos`, `depth` levels down, or GIVE_UP past {@link MAX_DEPTH}. */
  const readComposite = (depth: number): unknown => {
    if (depth > MAX_DEPTH) return GIVE_UP
    return b[pos] === OPEN_OBJECT ? readObject(depth) : readArray(depth)
  }

  const readArray = (depth: number): unknown => {
    pos += 1
    skipSpace()
    const array: unknown[] = []
    if (b[pos] === CLOSE_ARRAY) {
      pos += 1
      return array
    }
    for (;;) {
      const value = readValue('', depth)
      if (value === GIVE_UP) return GIVE_UP
      array.push(value)
      skipSpace()
      if (b[pos] === COMMA) {
        pos += 1
        skipSpace()
      } else if (b[pos] === CLOSE_ARRAY) {
        pos += 1
        return array
      } else return GIVE_UP
    }
  }

  /**
   * Steps over the value of an omitted key, checked as {@link readValue} checks it but not made:
   * no string, no number conversion. A string with an escape is decoded all the same, since
   * `JSON.parse` rejects a bad escape and then the line.
   */
  const skipValue = (key: string): unknown => {
    const bytes = b
    const c = bytes[pos]
    if (c === QUOTE) {
      let i = pos + 1
      for (let d = bytes[i]; d !== QUOTE; d = bytes[++i]) {
        if (d === BACKSLASH) return readEscapedString()
        if (d < SPACE) return GIVE_UP
      }
      pos = i + 1
      return undefined
    }
    if (c === MINUS || isDigit(c)) {
      const end = numberEnd()
      if (end < 0) return GIVE_UP
      pos = end
      return undefined
    }
    return readValue(key, 0)
  }

  /** The value at `pos`, under `key` of an object `depth` levels down (0: the event itself). */
  const readValue = (key: string, depth: number): unknown => {
    const c = b[pos]
    if (c === QUOTE) return readString()
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return depth === 0 ? readNested(key) : readComposite(depth + 1)
    if (c === MINUS || isDigit(c)) return readNumber()
    if (c === 0x74) return readLiteral('true', true)
    if (c === 0x66) return readLiteral('false', false)
    if (c === 0x6e) return readLiteral('null', null)
    return GIVE_UP
  }

  /** Whether the line holds the quoted key of `shape` and a colon at `pos`, compared eight bytes at a time. */
  const sameKey = (shape: Shape): boolean => {
    const quoted = shape.quoted
    const length = quoted.length
    if (pos + length > chunkEnd) return false
    return sameAs(quoted, shape.quotedWords, length, pos)
  }

  /**
   * The key at `pos` and its colon: the one the shape's last child has when its bytes are there
   * (with the colon right after), else read, and then the colon.
   */
  const nextShape = (shape: Shape): Shape | typeof GIVE_UP => {
    const expected = shape.last
    if (expected !== undefined && sameKey(expected)) {
      pos += expected.quoted.length
      return expected
    }
    const key = readKey()
    // `__proto__` would set the prototype instead of making a key, as JSON.parse does.
    if (key === GIVE_UP || key === '__proto__') return GIVE_UP
    skipSpace()
    if (b[pos] !== COLON) return GIVE_UP
    pos += 1
    // Undefined once the table is full (hostile data): the line or value goes to JSON.parse.
    return shapes.child(shape, key) ?? GIVE_UP
  }

  // Where each key of the event being read starts (its quote) and the shape before it; the same
  // for the previous line when it was read whole (`previousKeys` > 0), in the same chunk.
  let keyStarts = new Int32Array(MAX_SPAN_KEYS)
  let keyShapes: Shape[] = []
  let previousStarts = new Int32Array(MAX_SPAN_KEYS)
  let previousShapes: Shape[] = []
  let previousKeys = 0
  /** Keys of the event last read by {@link readObject}, the ones whose starts were kept. */
  let eventKeys = 0

  /** The line just read whole becomes the previous one; `ok` false (it failed) forgets both. */
  const endLine = (ok: boolean) => {
    if (!ok) {
      previousKeys = 0
      return
    }
    const starts = previousStarts
    const shapes = previousShapes
    previousStarts = keyStarts
    previousShapes = keyShapes
    previousKeys = eventKeys
    keyStarts = starts
    keyShapes = shapes
  }

  /**
   * Skips the keys from the `index`th on that repeat the previous line byte for byte: events of a
   * session repeat `"sessionId":…,"anonymousId":…,"pageId":…,"url":…,"context":{…},"type":…` in
   * one run of about 500 bytes, compared here eight bytes at a time instead of key by key. The
   * values of those keys are still in the event's value array at the same places (the previous
   * line put them there, and the same bytes after the same keys give the same values), so
   * skipping is moving `pos` to the first key that differs. Returns the index of that key and
   * sets `skippedShape` to the shape before it; `index` itself when nothing can be skipped.
   */
  const skipRepeatedKeys = (index: number, shape: Shape): number => {
    if (index >= previousKeys || previousShapes[index] !== shape) return index
    const from = previousStarts[index]
    const longest = Math.min(previousStarts[previousKeys - 1] - from, chunkEnd - pos)
    // Locals, not the closure's variables, which the loop would read again at each step.
    const view = words
    const bytes = b
    const at = pos
    let same = 0
    for (; same + 8 <= longest; same += 8)
      if (view.getFloat64(at + same, true) !== view.getFloat64(from + same, true)) break
    while (same < longest && bytes[at + same] === bytes[from + same]) same += 1
    let last = index
    while (last + 1 < previousKeys && previousStarts[last + 1] - from <= same) {
      last += 1
      keyStarts[last] = pos + previousStarts[last] - from
      keyShapes[last] = previousShapes[last]
    }
    if (last === index) return index
    pos += previousStarts[last] - from
    skippedShape = previousShapes[last]
    return last
  }
  let skippedShape: Shape | undefined

  /**
   * An object `depth` levels down (0: the event): `{ "key": value, … }`, its values gathered in
   * one array per depth and the object made in one step by its shape.
   */
  const readObject = (depth: number): unknown => {
    pos += 1
    skipSpace()
    const values = (valuesAt[depth] ??= [])
    // Filled from 0; what lies past `count` is stale, and the shape's builder never reads it.
    let count = 0
    let shape = depth === 0 ? shapes.root : shapes.nestedRoot
    if (b[pos] === CLOSE_OBJECT) {
      pos += 1
      if (depth === 0) eventKeys = 0
      return shapes.build(shape, values)
    }
    for (;;) {
      if (b[pos] !== QUOTE) return GIVE_UP
      if (depth === 0 && count < MAX_SPAN_KEYS) {
        keyStarts[count] = pos
        keyShapes[count] = shape
        const skipped = skipRepeatedKeys(count, shape)
        if (skipped > count) {
          count = skipped
          shape = skippedShape as Shape
          if (b[pos] !== QUOTE) return GIVE_UP
        }
      }
      const next = nextShape(shape)
      if (next === GIVE_UP) return GIVE_UP
      shape = next
      skipSpace()
      const value = shape.omitted
        ? skipValue(shape.key)
        : b[pos] === QUOTE
          ? readStringOf(shape)
          : readValue(shape.key, depth)
      if (value === GIVE_UP) return GIVE_UP
      values[count] = value
      count += 1
      skipSpace()
      if (b[pos] === COMMA) {
        pos += 1
        skipSpace()
      } else if (b[pos] === CLOSE_OBJECT) {
        pos += 1
        if (depth === 0) eventKeys = Math.min(count, MAX_SPAN_KEYS)
        return shapes.build(shape, values)
      } else return GIVE_UP
    }
  }

  /** The top level of an event, read by {@link readObject}. */
  const readObjectLine = (): unknown => {
    skipSpace()
    if (b[pos] !== OPEN_OBJECT) return GIVE_UP
    const event = readObject(0)
    if (event === GIVE_UP) return GIVE_UP
    skipSpace()
    return b[pos] === LF || b[pos] === CR ? event : GIVE_UP
  }

  /** The line starting at `start`, by `JSON.parse`: its end is the first line end. */
  const parseSlowly = (start: number, onValue: (value: unknown) => void) => {
    const lf = b.indexOf(LF, start)
    const cr = b.indexOf(CR, start)
    pos = cr >= 0 && (cr < lf || lf < 0) ? cr : lf
    let value: unknown
    try {
      value = JSON.parse(b.toString('utf8', start, pos))
    } catch {
      return
    }
    if (omit.size > 0 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of omit) delete (value as Record<string, unknown>)[key]
    }
    onValue(value)
  }

  return {
    parseLines(bytes, end, onValue) {
      // Every scan stops at a line end: without one at `end` it could run past the data.
      if (bytes[end] !== LF && bytes[end] !== CR) throw new RangeError('parseLines: bytes[end] must be a line end')
      b = bytes
      chunkEnd = end
      // The previous line's bytes were in the previous chunk.
      endLine(false)
      words = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
      let start = 0
      while (start <= end) {
        const first = bytes[start]
        if (first === LF || first === CR) {
          start += 1
          continue
        }
        pos = start
        let value: unknown
        try {
          value = readObjectLine()
        } catch {
          value = GIVE_UP
        }
        endLine(value !== GIVE_UP)
        // On success `pos` is at the line end.
        if (value !== GIVE_UP) onValue(value)
        else parseSlowly(start, onValue)
        start = pos + 1
      }
    },
  }
}
