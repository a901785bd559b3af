/**
 * A synthetic big graph for `npm run bench:analyze`: a chain of small ops with attributes and small initializers,
 * shaped like an exported model's structure (residual adds, transposes, reshapes by constant shapes), so that the
 * analyzer's per-node work — not its weight handling — is what the benchmark measures.
 */
import { ModelBuilder } from '../../fixtures/builder/index.js'

/** Nodes per repeated block (see {@link buildBigGraph}). */
export const BIG_GRAPH_BLOCK_NODES = 10

/** The shape of the activations: [1, C, H, W]. */
const C = 8
const H = 16
const W = 16

/**
 * Builds a chain of `nodes / 10` blocks, each of ten nodes:
 * Conv 1×1 (weight [8, 8, 1, 1] + bias [8]) → LeakyRelu → Mul (per-channel scale [8, 1, 1]) → Add (residual with
 * the block's input) → Transpose → Softmax → Transpose → Reshape [1, 8, 256] → Reshape [1, 8, 16, 16] → Relu.
 * Three float initializers per block (seeded weights), two int64 shape tensors shared by every block.
 * @param nodes number of nodes, a multiple of 10
 * @returns the model builder (input `x` [1, 8, 16, 16], output `y`)
 */
export function bigGraphBuilder(nodes: number): ModelBuilder {
  if (!Number.isInteger(nodes) || nodes <= 0 || nodes % BIG_GRAPH_BLOCK_NODES !== 0) {
    throw new Error(`nodes must be a positive multiple of ${BIG_GRAPH_BLOCK_NODES}, got ${nodes}`)
  }
  const g = new ModelBuilder({ opset: 17, producer: 'modelgate-bench', graphName: 'big_graph' })
  let x = g.input('x', 'float32', [1, C, H, W])
  const flat = g.initializer('shape.flat', 'int64', [3], [1, C, H * W])
  const image = g.initializer('shape.image', 'int64', [4], [1, C, H, W])
  const blocks = nodes / BIG_GRAPH_BLOCK_NODES
  for (let b = 0; b < blocks; b++) {
    const p = `block${b}`
    const w = g.initializer(`${p}.conv.weight`, 'float32', [C, C, 1, 1])
    const bias = g.initializer(`${p}.conv.bias`, 'float32', [C])
    const scale = g.initializer(`${p}.scale`, 'float32', [C, 1, 1])
    const conv = g.op('Conv', [x, w, bias], { kernel_shape: [1, 1], pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], group: 1 }, { name: `${p}.conv` })
    const act = g.op('LeakyRelu', [conv], { alpha: 0.1 }, { name: `${p}.leaky` })
    const scaled = g.op('Mul', [act, scale], undefined, { name: `${p}.mul` })
    const residual = g.op('Add', [scaled, x], undefined, { name: `${p}.add` })
    const nhwc = g.op('Transpose', [residual], { perm: [0, 2, 3, 1] }, { name: `${p}.to_nhwc` })
    const soft = g.op('Softmax', [nhwc], { axis: -1 }, { name: `${p}.softmax` })
    const nchw = g.op('Transpose', [soft], { perm: [0, 3, 1, 2] }, { name: `${p}.to_nchw` })
    const flattened = g.op('Reshape', [nchw, flat], undefined, { name: `${p}.flatten` })
    const unflattened = g.op('Reshape', [flattened, image], undefined, { name: `${p}.unflatten` })
    x = b === blocks - 1
      ? (g.node('Relu', [unflattened], ['y'], undefined, { name: `${p}.relu` })[0] ?? 'y')
      : g.op('Relu', [unflattened], undefined, { name: `${p}.relu` })
  }
  g.output('y', 'float32', [1, C, H, W])
  return g
}

/**
 * The encoded big graph.
 * @param nodes number of nodes, a multiple of 10
 * @returns the model's bytes
 */
export function buildBigGraph(nodes: number): Uint8Array {
  return bigGraphBuilder(nodes).toBytes()
}
