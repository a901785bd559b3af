/**
 * Small ONNX graphs that modelgate builds for itself (never for a user's file): a one-node model to probe an
 * execution provider, and the micro-benchmark graphs of the device calibration. Encoded with onnx-proto.
 */
import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** A float32 graph value: name and dims. */
export interface TinyValue {
  readonly name: string
  readonly dims: readonly number[]
}

/** A node of a tiny graph (no attributes needed by any of them). */
export interface TinyNode {
  readonly opType: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
}

/** A float32 graph: inputs are fed by the caller, no initializers (nothing for constant folding to remove). */
export interface TinyGraph {
  readonly inputs: readonly TinyValue[]
  readonly outputs: readonly TinyValue[]
  readonly nodes: readonly TinyNode[]
}

const FLOAT = 1

function valueInfo(v: TinyValue): onnxProto.onnx.IValueInfoProto {
  return { name: v.name, type: { tensorType: { elemType: FLOAT, shape: { dim: v.dims.map((d) => ({ dimValue: d })) } } } }
}

/** Encodes a tiny graph as an ONNX model (IR 8, ai.onnx opset 17). */
export function encodeTinyModel(graph: TinyGraph): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'modelgate',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'modelgate-micro',
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      node: graph.nodes.map((n, i) => ({ name: `n${i}`, opType: n.opType, input: [...n.inputs], output: [...n.outputs] })),
    },
  })
  return onnx.ModelProto.encode(model).finish()
}

let tiny: Uint8Array | undefined

/** A one-node model (Neg on a float32 [1]): what an execution provider must open to count as available. */
export function tinyModelBytes(): Uint8Array {
  tiny ??= encodeTinyModel({ inputs: [{ name: 'x', dims: [1] }], outputs: [{ name: 'y', dims: [1] }], nodes: [{ opType: 'Neg', inputs: ['x'], outputs: ['y'] }] })
  return tiny
}
