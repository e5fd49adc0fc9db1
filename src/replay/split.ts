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
// An add's JSON characters and its comma; a mutation's own fields take about 120 more.
const weighChars = (add: AddedNode) => sizeOf(add) + 1

/**
 * Adds for `parent`'s children, in document order and parents before their children: a child
 * `isTooBig` goes as an empty shell, its own children appended after it (`nextId: null`
 * appends, so the order is kept).
 */
const childAdds = (parent: SerializedNode, isTooBig: (child: SerializedNode) => boolean, adds: AddedNode[]) => {
  for (const child of parent.childNodes ?? []) {
    const isShell = !!child.childNodes?.length && isTooBig(child)
    adds.push({ parentId: parent.id, nextId: null, node: isShell ? { ...child, childNodes: [] } : child })
    if (isShell) childAdds(child, isTooBig, adds)
  }
}

/** Mutation events carrying `adds` in order, each weighing at most `limit` where one add allows it. */
const packAdds = (
  adds: AddedNode[],
  timestamp: number,
  weigh: (add: AddedNode) => number,
  limit: number,
): RrwebEvent[] => {
  const events: RrwebEvent[] = []
  let current: AddedNode[] = []
  let weight = 0
  const close = () => {
    if (current.length)
      events.push({
        type: INCREMENTAL_SNAPSHOT,
        timestamp,
        data: { source: MUTATION_SOURCE, texts: [], attributes: [], removes: [], adds: current },
      })
    current = []
    weight = 0
  }
  for (const add of adds) {
    const addWeight = weigh(add)
    if (weight + addWeight > limit) close()
    current.push(add)
    weight += addWeight
  }
  close()
  return events
}

/** The document's shell: the snapshot event with its root's children left out. */
const shellOf = (event: RrwebEvent, root: SerializedNode): RrwebEvent => ({
  ...event,
  data: { ...event.data, node: { ...root, childNodes: [] } },
})

/** Node count of every subtree of `root`, in one pass (no subtree is counted twice). */
const subtreeSizes = (root: SerializedNode): Map<SerializedNode, number> => {
  const sizes = new Map<SerializedNode, number>()
  const visit = (node: SerializedNode): number => {
    let count = 1
    for (const child of node.childNodes ?? []) count += visit(child)
    sizes.set(node, count)
    return count
  }
  visit(root)
  return sizes
}

/**
 * Splits a full snapshot of more than `maxNodes` nodes into the document's shell followed by
 * mutations of at most about `maxNodes` nodes each that append the rest, by counting nodes
 * only (no serializing): one cheap pass, so that the expensive work on a big snapshot
 * (scrubbing, serializing, compressing) can then be done part by part, between the page's
 * tasks. Any other event is returned whole.
 */
export const splitSnapshotByNodes = (event: RrwebEvent, maxNodes: number): RrwebEvent[] => {
  const root = event.type === FULL_SNAPSHOT ? (event.data?.node as SerializedNode | undefined) : undefined
  if (!root?.childNodes?.length) return [event]
  const sizes = subtreeSizes(root)
  if (sizes.get(root)! <= maxNodes) return [event]
  const adds: AddedNode[] = []
  childAdds(root, (child) => sizes.get(child)! > maxNodes, adds)
  // A shell's own children are in later adds: it weighs one node.
  const weigh = (add: AddedNode) => (add.node.childNodes?.length ? (sizes.get(add.node) ?? 1) : 1)
  return [shellOf(event, root), ...packAdds(adds, event.timestamp, weigh, maxNodes)]
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
    childAdds(root, (child) => sizeOf(child) > maxChars, adds)
    return [shellOf(event, root), ...packAdds(adds, event.timestamp, weighChars, maxChars - 120)]
  }
  if (event.type === INCREMENTAL_SNAPSHOT && event.data.source === MUTATION_SOURCE) {
    const {
      adds = [],
      removes = [],
      texts = [],
      attributes = [],
    } = event.data as { adds: AddedNode[]; removes: unknown[]; texts: unknown[]; attributes: unknown[] }
    const expanded: AddedNode[] = []
    for (const add of adds) {
      const isTooBig = add.node.childNodes?.length && sizeOf(add) > maxChars
      expanded.push(isTooBig ? { ...add, node: { ...add.node, childNodes: [] } } : add)
      if (isTooBig) childAdds(add.node, (child) => sizeOf(child) > maxChars, expanded)
    }
    const mutation = (data: object): RrwebEvent => ({
      type: INCREMENTAL_SNAPSHOT,
      timestamp: event.timestamp,
      data: { source: MUTATION_SOURCE, texts: [], attributes: [], removes: [], adds: [], ...data },
    })
    const parts = [
      mutation({ removes }),
      ...packAdds(expanded, event.timestamp, weighChars, maxChars - 120),
      mutation({ texts, attributes }),
    ]
    return parts.filter(
      (part) =>
        part.data.removes.length || part.data.adds.length || part.data.texts.length || part.data.attributes.length,
    )
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
