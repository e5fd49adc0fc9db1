// DOM building for the dashboard. Every string from events is attacker-controlled, so this is
// the only way views make nodes: text becomes Text nodes (never parsed as HTML), attributes go
// through setAttribute with event handlers refused, and links may only point inside the app.

/** What a child can be: nodes, text (set as text, never as markup), or nothing. */
export type Child = Node | string | number | null | undefined | false | Child[]

/** Attributes; `on*` names are refused (listeners are added with `on` below). */
export type Attrs = Record<string, string | number | boolean | null | undefined>

const SVG_NS = 'http://www.w3.org/2000/svg'

const setAttrs = (element: Element, attrs: Attrs): void => {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    // Event handler attributes would run text as code; `href`/`src` are checked by safeHref.
    if (/^on/i.test(name)) throw new Error(`refused attribute ${name}`)
    const text = value === true ? '' : String(value)
    if ((name === 'href' || name === 'src' || name === 'xlink:href') && !isSafeHref(text)) continue
    element.setAttribute(name, text)
  }
}

const append = (parent: Node, child: Child): void => {
  if (child === null || child === undefined || child === false) return
  if (Array.isArray(child)) {
    for (const item of child) append(parent, item)
    return
  }
  parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
}

/** In-app links only: `#/…` routes and `/…` paths of the dashboard itself. */
export const isSafeHref = (href: string): boolean =>
  href.startsWith('#') || (href.startsWith('/') && !href.startsWith('//'))

/** A page URL from events, accepted only as http(s) (never `javascript:`, `data:`…). */
export const httpUrl = (value: unknown): URL | null => {
  if (typeof value !== 'string') return null
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

/**
 * Creates an HTML element.
 *
 * @example
 * h('p', { class: 'note' }, 'Clicked ', event.selector) // the selector is text, whatever it holds
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setAttrs(element, attrs)
  append(element, children)
  return element
}

/** Creates an SVG element (charts). */
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement
  setAttrs(element, attrs)
  append(element, children)
  return element
}

/** Replaces the children of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

/** Adds a listener and returns the element, for building in one expression. */
export function on<E extends Element>(element: E, type: string, listener: (event: Event) => void): E {
  element.addEventListener(type, listener)
  return element
}
