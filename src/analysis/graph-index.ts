/**
 * A graph's values numbered once: every name its signature, initializers and nodes mention gets a small integer
 * id, and each node's inputs and outputs are read as ids from two flat arrays. Ordering, inference, liveness and
 * the report then index arrays instead of looking names up in maps: one map lookup per name occurrence in all,
 * where a 50,000-node graph used to pay half a dozen each.
 */
import type { OnnxGraph } from '../onnx/types.js'

/** A graph with nothing in it: what the instances kept for V8 are built on (see _hidden-classes.ts). */
export const EMPTY_GRAPH: OnnxGraph = { name: '', nodes: [], initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [] }

/** Id of an omitted optional input or output (`''`). */
export const NO_VALUE = -1

/** The numbered values of one graph. */
export interface GraphIndex {
  /** Name → id, for every name in the graph (outer-scope names its nodes read included). */
  readonly ids: ReadonlyMap<string, number>
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
  const ids = new Map<string, number>()
  // made at the size the names of a graph whose nodes read only what is defined take at most (more are appended):
  // grown by push, this list was a sixth of the numbering's time on the 50,000-node graph (copies of a large array)
  const names = new Array<string>(graph.inputs.length + graph.initializers.length + graph.sparseInitializers.length + outputCount + graph.outputs.length)
  let count = 0
  const id = (name: string): number => {
    let known = ids.get(name)
    if (known === undefined) {
      known = count++
      ids.set(name, known)
      names[known] = name
    }
    return known
  }
  for (let i = 0; i < graph.inputs.length; i++) id(graph.inputs[i]!.name)
  const initializerIds = new Int32Array(graph.initializers.length)
  for (let i = 0; i < graph.initializers.length; i++) initializerIds[i] = id(graph.initializers[i]!.name)
  for (let i = 0; i < graph.sparseInitializers.length; i++) id(graph.sparseInitializers[i]!.name)
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
    for (let k = 0; k < inputs.length; k++) inputIds[p++] = inputs[k] === '' ? NO_VALUE : id(inputs[k]!)
    outputStart[i] = q
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs[k]!
      if (o === '') outputIds[q++] = NO_VALUE
      else {
        const v = id(o)
        outputIds[q++] = v
        producer[v] = i
      }
    }
  }
  inputStart[nodes.length] = p
  outputStart[nodes.length] = q
  for (let i = 0; i < graph.outputs.length; i++) id(graph.outputs[i]!.name)
  names.length = count
  return { ids, names, inputStart, inputIds, outputStart, outputIds, producer: producer.subarray(0, count), initializerIds }
}
