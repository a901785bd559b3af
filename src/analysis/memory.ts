/**
 * Memory figures: bytes each node reads and writes (memory access cost), and peak activation memory from tensor
 * lifetimes over the execution order — not a sum of all activations.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { byteSize, dataTypeBits } from '../onnx/dtypes.js'
import type { OnnxNode } from '../onnx/types.js'
import { dimAdd, dimCeilDiv, dimMul, dimProduct, type Dim } from './dims.js'
import { DimPeak } from './dims-running.js'
import { NO_VALUE, type GraphIndex } from './graph-index.js'
import type { ValueTable } from './scope.js'
import type { InferredType } from './types.js'

/** Bytes of a value: tensors by dtype and dims (sub-byte types packed); sequences by their known elements. */
export function bytesOf(type: InferredType | undefined): Dim {
  if (type === undefined) return 0
  if (type.kind === 'tensor') {
    if (type.dims === undefined) return 0
    const count = dimProduct(type.dims)
    if (typeof count === 'number') return byteSize(type.dtype, count)
    const bits = dataTypeBits(type.dtype)
    return bits % 8 === 0 ? dimMul(count, bits / 8) : dimCeilDiv(dimMul(count, bits), 8)
  }
  if (type.kind === 'sequence') return (type.elems ?? []).reduce<Dim>((a, e) => dimAdd(a, bytesOf(e)), 0)
  if (type.kind === 'optional') return type.elem ? bytesOf(type.elem) : 0
  return 0
}

/**
 * The bytes of each value of a graph by id, each computed once (a value is written once and read often), and once
 * per type object: the values of a network's repeated layers share their types (see shared-results.ts), and a
 * symbolic count is a polynomial to multiply and print.
 */
export function valueBytes(values: ValueTable): (id: number) => Dim {
  const cache = new Array<Dim | undefined>(values.index.names.length).fill(undefined)
  const byType = new Map<InferredType, Dim>()
  return (id) => {
    const known = cache[id]
    if (known !== undefined) return known
    const type = values.type(id)
    // a count of numbers is quick to make again: only symbolic ones are kept by type
    const symbolic = type?.kind === 'tensor' && type.dims !== undefined && !allNumbers(type.dims)
    let b = symbolic ? byType.get(type) : undefined
    if (b === undefined) {
      b = bytesOf(type)
      if (symbolic) byType.set(type, b)
    }
    cache[id] = b
    return b
  }
}

function allNumbers(dims: readonly Dim[]): boolean {
  for (let i = 0; i < dims.length; i++) if (typeof dims[i] !== 'number') return false
  return true
}

/** Bytes a node reads and writes. */
export interface NodeTraffic {
  readonly bytesRead: Dim
  readonly bytesWritten: Dim
}

/** Between the counts a node reads and those it writes, in a {@link TrafficSums} path. */
const WRITES = Symbol('writes')

interface SumsNode {
  readonly next: Map<Dim | typeof WRITES, SumsNode>
  traffic?: NodeTraffic
}

/**
 * Symbolic traffic sums already made, by the byte counts summed (in order): the nodes of a network's repeated
 * layers read and write what their twins do, and adding polynomials means parsing and printing them.
 */
export class TrafficSums {
  private readonly root: SumsNode = { next: new Map() }

  /** The traffic of a node whose distinct inputs count `counts[0, writeStart)` bytes and outputs the rest to `end`. */
  sum(counts: readonly Dim[], writeStart: number, end: number): NodeTraffic {
    let node = this.root
    for (let i = 0; i <= end; i++) {
      const key = i < writeStart ? counts[i]! : i === writeStart ? WRITES : counts[i - 1]!
      let next = node.next.get(key)
      if (next === undefined) node.next.set(key, (next = { next: new Map() }))
      node = next
    }
    return (node.traffic ??= { bytesRead: addAll(counts, 0, writeStart), bytesWritten: addAll(counts, writeStart, end) })
  }
}
keepHiddenClass(() => new TrafficSums())

function addAll(dims: readonly Dim[], from: number, to: number): Dim {
  let total: Dim = 0
  for (let i = from; i < to; i++) total = dimAdd(total, dims[i]!)
  return total
}

/** The byte counts of the node being summed: its distinct inputs', then its outputs' (filled by index, reused). */
const COUNTS: Dim[] = []

/**
 * Bytes read and written by one node (each distinct input once).
 * @param at the node's position in its graph's node list
 * @param bytes the bytes of a value by id ({@link valueBytes})
 * @param sums symbolic sums made before, for a graph whose counts may be symbolic
 */
export function nodeTraffic(at: number, index: GraphIndex, bytes: (id: number) => Dim, sums?: TrafficSums): NodeTraffic {
  const first = index.inputStart[at]!
  const end = index.inputStart[at + 1]!
  const ids = index.inputIds
  // nodes have a few inputs: a Set pays off only for long input lists (Concat, Sum)
  const seen = end - first > 8 ? new Set<number>() : undefined
  let n = 0
  let symbolic = false
  for (let k = first; k < end; k++) {
    const id = ids[k]!
    if (id === NO_VALUE) continue
    if (seen === undefined ? readEarlier(ids, first, k, id) : seen.has(id)) continue
    seen?.add(id)
    const b = bytes(id)
    if (typeof b === 'string') symbolic = true
    COUNTS[n++] = b
  }
  const writeStart = n
  for (let k = index.outputStart[at]!; k < index.outputStart[at + 1]!; k++) {
    const id = index.outputIds[k]!
    if (id === NO_VALUE) continue
    const b = bytes(id)
    if (typeof b === 'string') symbolic = true
    COUNTS[n++] = b
  }
  if (symbolic && sums !== undefined) return sums.sum(COUNTS, writeStart, n)
  return { bytesRead: addAll(COUNTS, 0, writeStart), bytesWritten: addAll(COUNTS, writeStart, n) }
}

/** True when `ids[from .. to)` holds `id`. */
function readEarlier(ids: Int32Array, from: number, to: number, id: number): boolean {
  for (let k = from; k < to; k++) if (ids[k] === id) return true
  return false
}

/**
 * Peak bytes of activations alive at once when the nodes run in `order` (positions in `nodes`): graph inputs live from the
 * start, a node output from its node to its last reader (graph outputs to the end). Initializers and Constant
 * payloads are weights, counted separately.
 * @param bytes the bytes of a value by id ({@link valueBytes})
 * @param graphInputs ids of the main graph's inputs that are not weights (initializers listed as inputs)
 * @param isGraphOutput by value id: 1 for the graph's outputs
 */
export function peakActivationBytes(
  nodes: readonly OnnxNode[],
  order: readonly number[],
  index: GraphIndex,
  bytes: (id: number) => Dim,
  graphInputs: readonly number[],
  isGraphOutput: Uint8Array,
): { peak: Dim; atNode: number } {
  const { inputStart, inputIds, outputStart, outputIds } = index
  const lastUse = new Int32Array(index.names.length).fill(-1)
  for (let i = 0; i < order.length; i++) {
    const at = order[i]!
    for (let k = inputStart[at]!; k < inputStart[at + 1]!; k++) if (inputIds[k] !== NO_VALUE) lastUse[inputIds[k]!] = i
  }
  const end = order.length
  const deathAt = (id: number, birth: number): number => (isGraphOutput[id] === 1 ? end : Math.max(birth, lastUse[id]!))
  // the sizes that die after node i, a linked list per node (entries from firstDying[i] through nextDying): summing
  // them here would print and intern every partial sum of symbolic sizes
  const firstDying = new Int32Array(end + 1).fill(-1)
  // one entry per graph input and node output at most: made at that size, not grown by push (`dies` was 2.4 % of
  // an analysis of the 50,000-node graph, the largest function of the peak's)
  const nextDying = new Int32Array(graphInputs.length + outputIds.length)
  const dyingSize = new Array<Dim>(nextDying.length)
  let dying = 0
  const dies = (at: number, size: Dim): void => {
    nextDying[dying] = firstDying[at]!
    firstDying[at] = dying
    dyingSize[dying++] = size
  }
  const live = new DimPeak()
  for (const id of graphInputs) {
    const size = bytes(id)
    live.add(size)
    dies(deathAt(id, 0), size)
  }
  live.mark()
  let atNode = -1
  for (let i = 0; i < order.length; i++) {
    const at = order[i]!
    if (nodes[at]!.opType !== 'Constant') {
      for (let k = outputStart[at]!; k < outputStart[at + 1]!; k++) {
        const id = outputIds[k]!
        if (id === NO_VALUE) continue
        const size = bytes(id)
        live.add(size)
        dies(deathAt(id, i), size)
      }
    }
    if (live.mark()) atNode = i
    for (let e = firstDying[i]!; e >= 0; e = nextDying[e]!) live.sub(dyingSize[e]!)
  }
  const peak = live.value()
  return { peak, atNode }
}
