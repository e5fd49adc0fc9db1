/**
 * One sequence of keys, as a node of a trie whose root is the empty object: the node of
 * `{"ts":…,"type":…}` is the child `type` of the child `ts` of the root. Events (the top
 * level of a line) and the objects nested in them have a root each.
 */
export interface Shape {
  readonly key: string
  /**
   * `"key":` in bytes, to recognise the key a line most likely has next, and its colon, without
   * hashing it: compact JSON (what the collector writes) has no space before the colon.
   */
  readonly quoted: Uint8Array
  /** The same bytes, read eight at a time when compared. */
  readonly quotedWords: DataView
  /** Whether the key's value is left out of the object (see {@link createShapeTable}). */
  readonly omitted: boolean
  /** Whether this is a key sequence of events (of the top-level root), where keys may be omitted. */
  readonly top: boolean
  readonly parent: Shape | undefined
  /** The child met last, tried first: the events of one type repeat their keys in one order. */
  last: Shape | undefined
  children: Map<string, Shape> | undefined
  /** The plain ASCII string this key had on the last line with this shape, for the parser to try first. */
  lastString: string | undefined
  /** Makes the object of this key sequence from its values (one per key, omitted ones included). */
  build: ((values: readonly unknown[]) => Record<string, unknown>) | undefined
}

/** Key sequences remembered: an SDK writes a few dozen; past this (hostile data) `JSON.parse` reads the rest. */
const MAX_SHAPES = 4096

/** Object makers compiled: each is a small function; past this, objects are built key by key. */
const MAX_BUILDERS = 512

/** The object-building side of {@link createShapeTable}. */
export interface ShapeTable {
  /** The empty event. */
  readonly root: Shape
  /** The empty object nested in an event, whose keys are never omitted. */
  readonly nestedRoot: Shape
  /** The shape `shape` + `key`, or undefined once the table is full. */
  child(shape: Shape, key: string): Shape | undefined
  /** The object of the keys of `shape` with `values`, as `JSON.parse` would build it. */
  build(shape: Shape, values: readonly unknown[]): Record<string, unknown>
}

/**
 * Creates the table of the key sequences met, which builds each line's object in one step: an
 * object literal compiled once per sequence (`{"ts":v[0],"type":v[1]}`) makes an object of a
 * fixed layout about eight times faster than adding its keys one by one, and the report's
 * reads of it are faster too. A literal defines its keys as `JSON.parse` does: a repeated key
 * keeps its first place and its last value, integer-like keys come first. The parser never
 * passes `__proto__` (a literal would set the prototype). Top-level keys in `omit` are left out.
 *
 * @example
 * const table = createShapeTable(new Set(['id']))
 * const shape = table.child(table.child(table.root, 'id')!, 'type')!
 * table.build(shape, ['e1', 'page']) // { type: 'page' }
 */
export function createShapeTable(omit: ReadonlySet<string>): ShapeTable {
  const root = makeShape('', undefined, false, true)
  const nestedRoot = makeShape('', undefined, false, false)
  let shapes = 2
  let builders = 0

  const child = (shape: Shape, key: string): Shape | undefined => {
    let next = shape.children?.get(key)
    if (next === undefined) {
      if (shapes >= MAX_SHAPES) return undefined
      shapes += 1
      next = makeShape(key, shape, shape.top && omit.has(key), shape.top)
      ;(shape.children ??= new Map()).set(key, next)
    }
    shape.last = next
    return next
  }

  const build = (shape: Shape, values: readonly unknown[]): Record<string, unknown> => {
    if (shape.build === undefined) {
      if (builders < MAX_BUILDERS) {
        builders += 1
        shape.build = compileBuilder(keysOf(shape))
      } else return buildKeyByKey(keysOf(shape), values)
    }
    return shape.build(values)
  }

  return { root, nestedRoot, child, build }
}

function makeShape(key: string, parent: Shape | undefined, omitted: boolean, top: boolean): Shape {
  const quoted = new Uint8Array(Buffer.from(`"${key}":`, 'latin1'))
  return {
    key,
    quoted,
    quotedWords: new DataView(quoted.buffer),
    omitted,
    top,
    parent,
    last: undefined,
    children: undefined,
    lastString: undefined,
    build: undefined,
  }
}

/** The shape's keys from the first, `undefined` in the place of an omitted one. */
function keysOf(shape: Shape): Array<string | undefined> {
  const keys: Array<string | undefined> = []
  for (let node: Shape | undefined = shape; node?.parent !== undefined; node = node.parent)
    keys.push(node.omitted ? undefined : node.key)
  return keys.reverse()
}

/**
 * `values => ({"k0": values[0], …})`. The keys are ASCII without quotes, backslashes or control
 * characters (the parser reads no other key this way), and `JSON.stringify` quotes them anyway.
 */
function compileBuilder(keys: Array<string | undefined>): (values: readonly unknown[]) => Record<string, unknown> {
  const entries = keys.flatMap((key, i) => (key === undefined ? [] : [`${JSON.stringify(key)}:v[${i}]`]))
  return new Function('v', `return {${entries.join(',')}}`) as (values: readonly unknown[]) => Record<string, unknown>
}

function buildKeyByKey(keys: Array<string | undefined>, values: readonly unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  keys.forEach((key, i) => {
    if (key !== undefined) object[key] = values[i]
  })
  return object
}
