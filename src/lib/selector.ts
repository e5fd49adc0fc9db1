import { MAX_SELECTOR_LENGTH } from '../schema/events/limits'

// Five levels name an element in practice; deeper paths only break on the next layout change.
const MAX_SELECTOR_DEPTH = 5
const MAX_SELECTOR_CLASSES = 2
// Attributes written for tests, hence kept stable across releases (Testing Library's
// `data-testid`, Cypress' `data-cy`), and our own `data-fl-track`.
const TEST_ATTRIBUTES = ['data-testid', 'data-test', 'data-cy', 'data-fl-track']
// Names usable in a selector without escaping; anything else (`:r1:`, `w-1/2`, `12`) is skipped.
const CSS_NAME = /^-?[a-z_][\w-]*$/i
// Machine-made names change with every build or render: CSS-in-JS prefixes (emotion `css-1x2y3z`,
// styled-components `sc-…`, styled-jsx `jsx-123`, `svelte-xyz`), runs of 3+ digits (`ember123`,
// `item-48213`), and letters and digits alternating (hashes such as CSS modules'
// `Button_primary__3xYz1`, UUIDs), while `step2` or `h1` stay.
const GENERATED = /^(css|sc|jsx|svelte|emotion)-|\d{3}|\d[a-z]+\d|[a-z]\d+[a-z]/i
const isStable = (name: string): boolean => CSS_NAME.test(name) && !GENERATED.test(name)

/** `#id` or `[data-testid="…"]` when `el` has a name that survives releases. */
const anchorOf = (el: Element): string | undefined => {
  if (el.id && isStable(el.id)) return '#' + el.id
  for (const name of TEST_ATTRIBUTES) {
    const value = el.getAttribute(name)
    if (value) return `[${name}="${value.replace(/["\\]/g, '\\$&')}"]`
  }
}

const ROOT_ELEMENT = /^(html|body)$/
const WHITESPACE = /\s+/

/**
 * `el` and the ancestors `selectorOf(el)` may name, nearest first, written into `into` (reused,
 * so a caller that may need the selector later keeps one array instead of building a string on
 * every click). `selectorOf(nodes)` then names `el` where it was when this ran, even once the page
 * has removed it or one of its ancestors (a row deleted, a component re-rendered): walking up from
 * a detached node would name only what is left of its old place. The attributes are still read
 * when the selector is built.
 */
export const selectorNodesOf = (el: Element, into: Element[] = []): Element[] => {
  let count = 0
  for (let node: Element | null = el; node && count < MAX_SELECTOR_DEPTH; node = node.parentElement)
    into[count++] = node
  into.length = count
  return into
}

/**
 * A short CSS selector for `el` that stays valid across releases: `#id` when the id looks
 * hand-written, else a test attribute (`data-testid`, `data-test`, `data-cy`, `data-fl-track`),
 * else a path of `tag.class` (at most 2 classes, generated ones skipped) joined with `>`, at most
 * 5 levels, starting at the nearest ancestor with such an id or attribute. At most 500 characters.
 * Given the nodes `selectorNodesOf(el)` kept, it names `el` where it was then.
 *
 * @example
 * selectorOf(buyButton) // '#checkout>div.actions>button.btn.primary'
 */
export const selectorOf = (target: Element | readonly Element[]): string => {
  const nodes = Array.isArray(target) ? (target as readonly Element[]) : undefined
  const el = nodes ? nodes[0] : (target as Element)
  const parts: string[] = []
  for (
    let i = 0, node: Element | null | undefined = el;
    node && parts.length < MAX_SELECTOR_DEPTH;
    node = nodes ? nodes[++i] : node.parentElement
  ) {
    const anchor = anchorOf(node)
    if (anchor) {
      parts.unshift(anchor)
      break
    }
    if (node !== el && ROOT_ELEMENT.test(node.localName)) break
    const classes = (node.getAttribute('class') ?? '').split(WHITESPACE).filter(isStable).slice(0, MAX_SELECTOR_CLASSES)
    parts.unshift([node.localName, ...classes].join('.'))
  }
  return parts.join('>').slice(0, MAX_SELECTOR_LENGTH)
}
