// Defence in depth for the replay: rrweb rebuilds the recorded DOM as recorded, event handler
// attributes included. Its frame runs no script (sandboxed without allow-scripts, and it
// inherits the dashboard's CSP), but a recording is attacker-controlled input, so handlers,
// `javascript:` URLs and `srcdoc` are removed before rrweb sees it.

const FULL_SNAPSHOT = 2
const INCREMENTAL_SNAPSHOT = 3
const MUTATION = 0
const ELEMENT_NODE = 2
const URL_ATTRIBUTES = /^(href|src|action|formaction|xlink:href|data|poster)$/i
// Browsers skip leading spaces and control characters before the scheme.
// eslint-disable-next-line no-control-regex
const SCRIPT_URL = /^[\s\u0000-\u001f]*(javascript|vbscript|data):/i

type Attributes = Record<string, unknown>

/** Removes what could run code from one element's attributes (in place). */
const cleanAttributes = (attributes: Attributes | undefined): void => {
  if (!attributes || typeof attributes !== 'object') return
  for (const name of Object.keys(attributes)) {
    const value = attributes[name]
    const isHandler = /^on/i.test(name)
    const isScriptUrl =
      URL_ATTRIBUTES.test(name) &&
      typeof value === 'string' &&
      SCRIPT_URL.test(value) &&
      !/^data:image\//i.test(value.trim())
    if (isHandler || isScriptUrl || name.toLowerCase() === 'srcdoc') delete attributes[name]
  }
}

/** Walks a serialized rrweb node tree without recursion (recordings can be deep). */
const cleanNode = (root: unknown): void => {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as { type?: number; attributes?: Attributes; childNodes?: unknown[] } | null
    if (!node || typeof node !== 'object') continue
    if (node.type === ELEMENT_NODE) cleanAttributes(node.attributes)
    if (Array.isArray(node.childNodes)) for (const child of node.childNodes) stack.push(child)
  }
}

/**
 * Cleans rrweb events in place: full snapshots, added nodes and attribute mutations lose
 * `on*` attributes, `srcdoc`, and `javascript:`/`data:` URLs (images excepted).
 *
 * @example
 * new Replayer(sanitizeRecording(events), { root })
 */
export function sanitizeRecording<T>(events: T[]): T[] {
  for (const event of events as Array<{ type?: number; data?: any }>) {
    if (!event || typeof event !== 'object' || !event.data) continue
    if (event.type === FULL_SNAPSHOT) cleanNode(event.data.node)
    if (event.type === INCREMENTAL_SNAPSHOT && event.data.source === MUTATION) {
      for (const add of Array.isArray(event.data.adds) ? event.data.adds : []) cleanNode(add?.node)
      for (const change of Array.isArray(event.data.attributes) ? event.data.attributes : [])
        cleanAttributes(change?.attributes)
    }
  }
  return events
}
