import { FULL_SNAPSHOT, INCREMENTAL_SNAPSHOT, MUTATION_SOURCE, type RrwebEvent } from './types'

interface SerializedNode {
  id: number
  childNodes?: SerializedNode[]
  [key: string]: unknown
}
interface AddedNode {
  parentId: number
  nextId: number | null
  node: SerializedNode
}

const sizeOf = (value: unknown) => JSON.stringify(value).length

/**
 * Adds for `parent`'s children, in document order and parents before their children: a child
 * too big for one event goes as an empty shell, its own children appended after it
 * (`nextId: null` appends, so the order is kept).
 */
const childAdds = (parent: SerializedNode, maxChars: number, adds: AddedNode[]) => {
  for (const child of parent.childNodes ?? []) {
    const isTooBig = child.childNodes?.length && sizeOf(child) > maxChars
    adds.push({ parentId: parent.id, nextId: null, node: isTooBig ? { ...child, childNodes: [] } : child })
    if (isTooBig) childAdds(child, maxChars, adds)
  }
}

/** Mutation events carrying `adds` in order, each within `maxChars` where one add allows it. */
const packAdds = (adds: AddedNode[], timestamp: number, maxChars: number): RrwebEvent[] => {
  const events: RrwebEvent[] = []
  let current: AddedNode[] = []
  let chars = 0
  const close = () => {
    if (current.length) events.push({ type: INCREMENTAL_SNAPSHOT, timestamp, data: { source: MUTATION_SOURCE, texts: [], attributes: [], removes: [], adds: current } })
    current = []
    chars = 0
  }
  for (const add of adds) {
    const size = sizeOf(add) + 1
    if (chars + size > maxChars - 120) close()
    current.push(add)
    chars += size
  }
  close()
  return events
}

/**
 * Splits an rrweb event bigger than `maxChars` (JSON) into valid rrweb events that replay to
 * the same DOM: a full snapshot becomes the document's shell followed by mutations that append
 * the rest, subtree by subtree; a big mutation is spread over several with the same timestamp
 * (removes first, texts and attributes last, as rrweb applies them). Anything else, and a
 * single node bigger than `maxChars`, is returned whole: the caller decides.
 */
export const splitEvent = (event: RrwebEvent, maxChars: number): RrwebEvent[] => {
  if (sizeOf(event) <= maxChars) return [event]
  if (event.type === FULL_SNAPSHOT) {
    const root = event.data.node as SerializedNode
    if (!root.childNodes?.length) return [event]
    const adds: AddedNode[] = []
    childAdds(root, maxChars, adds)
    const shell = { ...event, data: { ...event.data, node: { ...root, childNodes: [] } } }
    return [shell, ...packAdds(adds, event.timestamp, maxChars)]
  }
  if (event.type === INCREMENTAL_SNAPSHOT && event.data.source === MUTATION_SOURCE) {
    const { adds = [], removes = [], texts = [], attributes = [] } = event.data as { adds: AddedNode[]; removes: unknown[]; texts: unknown[]; attributes: unknown[] }
    const expanded: AddedNode[] = []
    for (const add of adds) {
      const isTooBig = add.node.childNodes?.length && sizeOf(add) > maxChars
      expanded.push(isTooBig ? { ...add, node: { ...add.node, childNodes: [] } } : add)
      if (isTooBig) childAdds(add.node, maxChars, expanded)
    }
    const mutation = (data: object): RrwebEvent => ({ type: INCREMENTAL_SNAPSHOT, timestamp: event.timestamp, data: { source: MUTATION_SOURCE, texts: [], attributes: [], removes: [], adds: [], ...data } })
    const parts = [mutation({ removes }), ...packAdds(expanded, event.timestamp, maxChars), mutation({ texts, attributes })]
    return parts.filter((part) => part.data.removes.length || part.data.adds.length || part.data.texts.length || part.data.attributes.length)
  }
  return [event]
}

/** Counts the serialized nodes of a full snapshot (elements and text alike). */
export const countNodes = (node: SerializedNode | undefined): number => {
  if (!node) return 0
  let count = 1
  for (const child of node.childNodes ?? []) count += countNodes(child)
  return count
}
