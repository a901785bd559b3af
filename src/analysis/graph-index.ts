/**
 * A graph's values numbered once: every name its signature, initializers and nodes mention gets a small integer
 * id, and each node's inputs and outputs are read as ids from two flat arrays. Ordering, inference, liveness and
 * the report then index arrays instead of looking names up in maps: one lookup per name occurrence in all,
 * where a 50,000-node graph used to pay half a dozen each.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import type { OnnxGraph } from '../onnx/types.js'

/** A graph with nothing in it: what the instances kept for V8 are built on (see _hidden-classes.ts). */
export const EMPTY_GRAPH: OnnxGraph = { name: '', nodes: [], initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [] }

/** Id of an omitted optional input or output (`''`). */
export const NO_VALUE = -1

/** The numbered values of one graph. */
export interface GraphIndex {
  /** Name → id, for every name in the graph (outer-scope names its nodes read included). */
  readonly ids: NameIds
  /** Id → name. */
  readonly names: readonly string[]
  /** Node i's input ids are `inputIds[inputStart[i] .. inputStart[i + 1])`, {@link NO_VALUE} for `''`. */
  readonly inputStart: Int32Array
  readonly inputIds: Int32Array
  /** Node i's output ids are `outputIds[outputStart[i] .. outputStart[i + 1])`, {@link NO_VALUE} for `''`. */
  readonly outputStart: Int32Array
  readonly outputIds: Int32Array
  /** Id → the node that writes it (the last one, if several do), or -1. */
  readonly producer: Int32Array
  /** The id of each initializer, in the graph's order. */
  readonly initializerIds: Int32Array
}

/** A graph's name → id lookup. */
export interface NameIds {
  /** The id of `name`, undefined when the graph does not mention it. */
  get(name: string): number | undefined
}

/** Slots a new name's probe may pass before its table gives way to a Map (see {@link NameTable}). */
const MAX_PROBE = 64

/** This process's seed of the names' hash: which names share a slot cannot be known outside the process. */
const HASH_SEED = Math.floor(Math.random() * 0x100000000) | 0

/** FNV-1a over a name's UTF-16 units, from {@link HASH_SEED}. */
function nameHash(name: string): number {
  let h = HASH_SEED
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return h ^ (h >>> 16)
}

/**
 * Names → ids, numbered in the order they are first met: an open-addressing table in two Int32Arrays (an id + 1 and
 * its name's hash per slot; at most half the slots used, so a lookup always ends). A Map that grows to 65,000
 * entries makes its table again in V8's heap at every doubling (past 128 KB, in large-object space, which counts
 * towards the old generation's limit); typed arrays live outside the JS heap. In a process running the bench's
 * rounds, 9 analyses of the 50,000-node graph met 6 old-generation collections (113 ms) with the Map and 2 (39 ms)
 * with this table. Ids do not depend on the hash, so the seed changes no result. A new name whose probe passes
 * {@link MAX_PROBE} taken slots (names made to collide) turns the table into a Map for the rest of the graph.
 */
export class NameTable implements NameIds {
  private slots: Int32Array
  private hashes: Int32Array
  private map: Map<string, number> | undefined
  count = 0

  /**
   * @param expected the names expected (more are taken: the table grows)
   * @param names where the names go by id (written at their ids)
   * @param hash a name's hash (tests give one that makes every name collide)
   */
  constructor(
    expected: number,
    readonly names: string[],
    private readonly hash: (name: string) => number = nameHash,
  ) {
    let size = 64
    while (size < 2 * expected) size *= 2
    this.slots = new Int32Array(size)
    this.hashes = new Int32Array(size)
  }

  /** True once the table has given way to a Map (a probe past {@link MAX_PROBE}). */
  get degraded(): boolean {
    return this.map !== undefined
  }

  get(name: string): number | undefined {
    if (this.map !== undefined) return this.map.get(name)
    const h = this.hash(name)
    const mask = this.slots.length - 1
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!
      if (slot === 0) return undefined
      if (this.hashes[i] === h && this.names[slot - 1] === name) return slot - 1
    }
  }

  /** The id of `name`, the next one when it is new. */
  id(name: string): number {
    if (this.map !== undefined) {
      let known = this.map.get(name)
      if (known === undefined) {
        known = this.count++
        this.map.set(name, known)
        this.names[known] = name
      }
      return known
    }
    const h = this.hash(name)
    const mask = this.slots.length - 1
    let i = h & mask
    for (let probe = 0; ; probe++) {
      const slot = this.slots[i]!
      if (slot === 0) break
      if (this.hashes[i] === h && this.names[slot - 1] === name) return slot - 1
      if (probe === MAX_PROBE) {
        this.map = new Map()
        for (let id = 0; id < this.count; id++) this.map.set(this.names[id]!, id)
        return this.id(name)
      }
      i = (i + 1) & mask
    }
    const id = this.count++
    this.names[id] = name
    this.slots[i] = id + 1
    this.hashes[i] = h
    if (2 * this.count > this.slots.length) this.grow()
    return id
  }

  /** Twice the slots, the names placed again by their kept hashes. */
  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2)
    const hashes = new Int32Array(slots.length)
    const mask = slots.length - 1
    for (let j = 0; j < this.slots.length; j++) {
      const slot = this.slots[j]!
      if (slot === 0) continue
      let i = this.hashes[j]! & mask
      while (slots[i] !== 0) i = (i + 1) & mask
      slots[i] = slot
      hashes[i] = this.hashes[j]!
    }
    this.slots = slots
    this.hashes = hashes
  }
}
keepHiddenClass(() => new NameTable(0, []))

/**
 * Numbers the values of a graph: graph inputs, initializers and sparse initializers first, then the names of the
 * nodes' inputs and outputs in file order, then graph outputs.
 */
export function indexGraph(graph: OnnxGraph): GraphIndex {
  const nodes = graph.nodes
  let inputCount = 0
  let outputCount = 0
  // indexed loops, here and below: this runs once per graph, and an iterator allocates per step until optimised
  for (let i = 0; i < nodes.length; i++) {
    inputCount += nodes[i]!.inputs.length
    outputCount += nodes[i]!.outputs.length
  }
  // made at the size the names of a graph whose nodes read only what is defined take at most (more are appended):
  // grown by push, this list was a sixth of the numbering's time on the 50,000-node graph (copies of a large array)
  const expected = graph.inputs.length + graph.initializers.length + graph.sparseInitializers.length + outputCount + graph.outputs.length
  const names = new Array<string>(expected)
  const ids = new NameTable(expected, names)
  for (let i = 0; i < graph.inputs.length; i++) ids.id(graph.inputs[i]!.name)
  const initializerIds = new Int32Array(graph.initializers.length)
  for (let i = 0; i < graph.initializers.length; i++) initializerIds[i] = ids.id(graph.initializers[i]!.name)
  for (let i = 0; i < graph.sparseInitializers.length; i++) ids.id(graph.sparseInitializers[i]!.name)
  const inputStart = new Int32Array(nodes.length + 1)
  const inputIds = new Int32Array(inputCount)
  const outputStart = new Int32Array(nodes.length + 1)
  const outputIds = new Int32Array(outputCount)
  // at most one id per name occurrence
  const producer = new Int32Array(graph.inputs.length + graph.initializers.length + graph.sparseInitializers.length + inputCount + outputCount + graph.outputs.length).fill(-1)
  let p = 0
  let q = 0
  for (let i = 0; i < nodes.length; i++) {
    const { inputs, outputs } = nodes[i]!
    inputStart[i] = p
    for (let k = 0; k < inputs.length; k++) inputIds[p++] = inputs[k] === '' ? NO_VALUE : ids.id(inputs[k]!)
    outputStart[i] = q
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs[k]!
      if (o === '') outputIds[q++] = NO_VALUE
      else {
        const v = ids.id(o)
        outputIds[q++] = v
        producer[v] = i
      }
    }
  }
  inputStart[nodes.length] = p
  outputStart[nodes.length] = q
  for (let i = 0; i < graph.outputs.length; i++) ids.id(graph.outputs[i]!.name)
  names.length = ids.count
  return { ids, names, inputStart, inputIds, outputStart, outputIds, producer: producer.subarray(0, ids.count), initializerIds }
}
