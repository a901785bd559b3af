/**
 * Execution order of a graph: a topological sort that also sees the outer-scope names used inside subgraphs,
 * and the checks that make a broken graph an error instead of a hang: cycles and dangling inputs.
 */
import { ModelgateError } from '../errors.js'
import type { OnnxGraph, OnnxNode } from '../onnx/types.js'
import { nodeLabel } from './context.js'

/** Names a node reads: its inputs plus the outer-scope names its subgraphs read. */
export function nodeReads(node: OnnxNode): string[] {
  const reads = node.inputs.filter((n) => n !== '')
  for (const a of node.attributes.values()) {
    if (a.type === 'graph') reads.push(...freeNames(a.value))
    else if (a.type === 'graphs') for (const g of a.value) reads.push(...freeNames(g))
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
 */
export function topologicalOrder(graph: OnnxGraph, available: (name: string) => boolean, graphLabel: string): number[] {
  const producer = new Map<string, number>()
  graph.nodes.forEach((n, i) => {
    for (const o of n.outputs) if (o !== '') producer.set(o, i)
  })
  const reads = graph.nodes.map((n) => nodeReads(n))
  const indegree = new Array<number>(graph.nodes.length).fill(0)
  const consumers: number[][] = graph.nodes.map(() => [])
  reads.forEach((names, i) => {
    const deps = new Set<number>()
    for (const name of names) {
      const p = producer.get(name)
      if (p !== undefined && p !== i) deps.add(p)
      else if (p === undefined && !available(name)) {
        const node = graph.nodes[i]!
        throw new ModelgateError('E_DANGLING_INPUT', `Node ${nodeLabel(node)} (${node.opType}) in ${graphLabel} reads ${JSON.stringify(name)}, which no node, input or initializer defines.`, { value: name, node: nodeLabel(node) })
      } else if (p === i && graph.nodes[i]!.inputs.includes(name)) {
        const node = graph.nodes[i]!
        throw new ModelgateError('E_GRAPH_CYCLE', `Node ${nodeLabel(node)} (${node.opType}) in ${graphLabel} reads its own output ${JSON.stringify(name)}.`, { value: name, node: nodeLabel(node) })
      }
    }
    indegree[i] = deps.size
    for (const d of deps) consumers[d]!.push(i)
  })
  // a min-heap would keep file order exactly; a sorted ready list is enough for the graph sizes we see
  const order: number[] = []
  const ready: number[] = []
  indegree.forEach((d, i) => {
    if (d === 0) ready.push(i)
  })
  ready.reverse()
  while (ready.length > 0) {
    const i = ready.pop()!
    order.push(i)
    const next: number[] = []
    for (const c of consumers[i]!) if (--indegree[c]! === 0) next.push(c)
    next.sort((a, b) => b - a)
    // push in reverse so the smallest index pops first among the newly ready
    for (const c of next) insertDescending(ready, c)
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.find((_, i) => indegree[i]! > 0)!
    throw new ModelgateError('E_GRAPH_CYCLE', `${graphLabel} has a cycle through node ${nodeLabel(stuck)} (${stuck.opType}).`, { value: nodeLabel(stuck), node: nodeLabel(stuck) })
  }
  return order
}

function insertDescending(list: number[], value: number): void {
  // list is kept in descending order so that pop() yields the smallest index
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]! > value) lo = mid + 1
    else hi = mid
  }
  list.splice(lo, 0, value)
}
