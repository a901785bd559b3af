/**
 * Execution order of a graph: a topological sort that also sees the outer-scope names used inside subgraphs,
 * and the checks that make a broken graph an error instead of a hang: cycles and dangling inputs.
 */
import { ModelgateError } from '../errors.js'
import { isScalarAttributeMap } from '../onnx/fast-node.js'
import type { OnnxGraph, OnnxNode } from '../onnx/types.js'
import { nodeLabel } from './context.js'
import { indexGraph, NO_VALUE, type GraphIndex } from './graph-index.js'

/** Names a node reads: its inputs plus the outer-scope names its subgraphs read. */
export function nodeReads(node: OnnxNode): string[] {
  const reads = node.inputs.filter((n) => n !== '')
  for (const a of node.attributes.values()) {
    if (a.type === 'graph') for (const n of freeNames(a.value)) reads.push(n)
    else if (a.type === 'graphs') for (const g of a.value) for (const n of freeNames(g)) reads.push(n)
  }
  return reads
}

const FREE_CACHE = new WeakMap<OnnxGraph, string[]>()

/** Names a (sub)graph reads that it does not define itself. */
export function freeNames(graph: OnnxGraph): string[] {
  const cached = FREE_CACHE.get(graph)
  if (cached) return cached
  const defined = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name), ...graph.sparseInitializers.map((t) => t.name)])
  for (const n of graph.nodes) for (const o of n.outputs) if (o !== '') defined.add(o)
  const free = new Set<string>()
  for (const n of graph.nodes) for (const r of nodeReads(n)) if (!defined.has(r)) free.add(r)
  for (const o of graph.outputs) if (!defined.has(o.name)) free.add(o.name)
  const out = [...free]
  FREE_CACHE.set(graph, out)
  return out
}

/**
 * Node indices in an order where every node comes after the producers of what it reads. Keeps the file's
 * order where it is already valid. `available` holds the names defined before any node runs (graph inputs,
 * initializers, outer scope).
 * @param index the graph's numbered values, when the caller has them already
 * @param availableId true for a value of this graph (by id) that is available: asked first, `available` after
 */
export function topologicalOrder(
  graph: OnnxGraph,
  available: (name: string) => boolean,
  graphLabel: string,
  index: GraphIndex = indexGraph(graph),
  availableId?: (id: number) => boolean,
): number[] {
  const nodes = graph.nodes
  const { ids, inputStart, inputIds, producer } = index
  // ONNX asks for nodes in topological order and exporters write them so: when every read comes from an earlier
  // node (or from before any node), the file's order is the answer, and the sort below would return it unchanged
  if (readsFollowFileOrder(graph, available, graphLabel, index, availableId)) {
    const order = new Array<number>(nodes.length)
    for (let i = 0; i < order.length; i++) order[i] = i
    return order
  }
  const indegree = new Int32Array(nodes.length)
  // dependency edges producer → consumer, in the order the consumers come in the file
  const edgeFrom: number[] = []
  const edgeTo: number[] = []
  // lastReader[p] = the last node that counted p as a dependency (each producer counts once per node)
  const lastReader = new Int32Array(nodes.length).fill(-1)
  // every read was checked above: what is left is to count the dependencies on other nodes
  const dependsOn = (i: number, p: number): void => {
    if (p >= 0 && p !== i && lastReader[p] !== i) {
      lastReader[p] = i
      indegree[i]!++
      edgeFrom.push(p)
      edgeTo.push(i)
    }
  }
  for (let i = 0; i < nodes.length; i++) {
    if (hasSubgraphs(nodes[i]!)) {
      // its inputs and whatever its subgraphs read from this scope, by name
      for (const name of nodeReads(nodes[i]!)) {
        const v = ids.get(name)
        if (v !== undefined) dependsOn(i, producer[v]!)
      }
      continue
    }
    for (let k = inputStart[i]!; k < inputStart[i + 1]!; k++) if (inputIds[k] !== NO_VALUE) dependsOn(i, producer[inputIds[k]!]!)
  }
  // the consumers of node p are consumers[first[p] .. first[p + 1]) (one flat array, not an array per node)
  const first = new Int32Array(nodes.length + 1)
  for (const p of edgeFrom) first[p + 1]!++
  for (let p = 0; p < nodes.length; p++) first[p + 1]! += first[p]!
  const consumers = new Int32Array(edgeFrom.length)
  const next = first.slice(0, nodes.length)
  for (let e = 0; e < edgeFrom.length; e++) consumers[next[edgeFrom[e]!]!++] = edgeTo[e]!
  // always run the ready node that comes first in the file: keeps the file's order where it is already valid
  const order: number[] = []
  const ready: number[] = []
  for (let i = 0; i < nodes.length; i++) if (indegree[i] === 0) heapPush(ready, i)
  while (ready.length > 0) {
    const i = heapPop(ready)
    order.push(i)
    for (let e = first[i]!; e < first[i + 1]!; e++) {
      const c = consumers[e]!
      if (--indegree[c]! === 0) heapPush(ready, c)
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.find((_, i) => indegree[i]! > 0)!
    throw new ModelgateError('E_GRAPH_CYCLE', `${graphLabel} has a cycle through node ${nodeLabel(stuck)} (${stuck.opType}).`, { value: nodeLabel(stuck), node: nodeLabel(stuck) })
  }
  return order
}

/**
 * Checks one read of node `i` that no earlier node answers: a name defined nowhere, or the node's own output.
 * @throws ModelgateError E_DANGLING_INPUT or E_GRAPH_CYCLE
 */
function checkRead(node: OnnxNode, p: number, i: number, name: string, isInput: boolean, available: (name: string) => boolean, graphLabel: string): void {
  if (p < 0 && !available(name)) {
    throw new ModelgateError('E_DANGLING_INPUT', `Node ${nodeLabel(node)} (${node.opType}) in ${graphLabel} reads ${JSON.stringify(name)}, which no node, input or initializer defines.`, { value: name, node: nodeLabel(node) })
  }
  if (p === i && isInput) {
    throw new ModelgateError('E_GRAPH_CYCLE', `Node ${nodeLabel(node)} (${node.opType}) in ${graphLabel} reads its own output ${JSON.stringify(name)}.`, { value: name, node: nodeLabel(node) })
  }
}

/**
 * True when every node reads only values defined before it in the file (graph inputs, initializers, the outer
 * scope, earlier nodes' outputs). Every read is checked here, in file order, whatever the answer: the sort that
 * runs when it is false only counts dependencies.
 * @throws ModelgateError E_DANGLING_INPUT or E_GRAPH_CYCLE for the first broken read
 */
function readsFollowFileOrder(
  graph: OnnxGraph,
  available: (name: string) => boolean,
  graphLabel: string,
  index: GraphIndex,
  availableId: ((id: number) => boolean) | undefined,
): boolean {
  const { ids, names, inputStart, inputIds, producer } = index
  let ordered = true
  for (let i = 0; i < graph.nodes.length; i++) {
    const node = graph.nodes[i]!
    if (hasSubgraphs(node)) {
      for (const name of nodeReads(node)) {
        const v = ids.get(name)
        const p = v === undefined ? -1 : producer[v]!
        if (p > i) ordered = false
        else checkRead(node, p, i, name, node.inputs.includes(name), available, graphLabel)
      }
      continue
    }
    for (let k = inputStart[i]!; k < inputStart[i + 1]!; k++) {
      const v = inputIds[k]!
      if (v === NO_VALUE) continue
      const p = producer[v]!
      if (p > i) ordered = false
      else if ((p < 0 && availableId?.(v) !== true) || p === i) checkRead(node, p, i, names[v]!, true, available, graphLabel)
    }
  }
  return ordered
}

/** True when the node has a graph attribute (If branches, Loop/Scan bodies). */
export function hasSubgraphs(node: OnnxNode): boolean {
  if (node.attributes.size === 0 || isScalarAttributeMap(node.attributes)) return false
  for (const a of node.attributes.values()) if (a.type === 'graph' || a.type === 'graphs') return true
  return false
}

function heapPush(heap: number[], value: number): void {
  let i = heap.length
  heap.push(value)
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (heap[parent]! <= value) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = value
}

function heapPop(heap: number[]): number {
  const top = heap[0]!
  const last = heap.pop()!
  const n = heap.length
  if (n > 0) {
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const child = r < n && heap[r]! < heap[l]! ? r : l
      if (heap[child]! >= last) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = last
  }
  return top
}
