/**
 * Parameter classes. Learnable = floating-point weight tensors (initializers or Constant payloads, each tensor
 * counted once however many nodes share it) and the integer weights of quantized ops; buffers = BatchNorm running
 * mean/var; constants = integer tensors (shapes, indices) and 1-element scalars; unused = initializers no node reads.
 */
import { byteSize, isFloatType, type DataTypeName } from '../onnx/dtypes.js'
import type { OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/types.js'
import { hasSubgraphs, nodeReads } from './graph-order.js'

/** The class of a stored tensor. */
export type ParamClass = 'learnable' | 'buffer' | 'constant' | 'unused'

/** Counts by class, and learnable counts by element type. */
export interface ParamsStats {
  /** Learnable parameters (elements). */
  readonly learnable: number
  /** BatchNorm running mean/var (elements). */
  readonly buffers: number
  /** Integer tensors and 1-element scalars (elements). */
  readonly constants: number
  /** Initializers that no node reads (elements). */
  readonly unused: number
  /** Learnable parameters by element type: elements and bytes. */
  readonly byDtype: Readonly<Record<string, { readonly count: number; readonly bytes: number }>>
  /** Number of stored tensors in each class. */
  readonly tensors: Readonly<Record<ParamClass, number>>
  /** Learnable tensors read by more than one node (counted once). */
  readonly sharedTensors: number
  /** Bytes of every stored tensor that some node reads (learnable + buffers + constants). */
  readonly weightsBytes: number
}

/** A stored tensor and its class. */
export interface ClassifiedTensor {
  readonly tensor: OnnxTensor
  readonly cls: ParamClass
  readonly elements: number
  readonly bytes: number
  readonly readers: number
}

/** Inputs of quantized ops that hold integer weights (op → input positions). */
const QUANTIZED_WEIGHT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  DequantizeLinear: [0],
  QLinearConv: [3],
  QLinearMatMul: [0, 3],
  ConvInteger: [1],
  MatMulInteger: [1],
  'com.microsoft::MatMulNBits': [1],
  'com.microsoft::QAttention': [1],
  'com.microsoft::DynamicQuantizeMatMul': [1],
}

const BN_BUFFER_INPUTS = [3, 4]

interface Use {
  readonly node: OnnxNode
  readonly index: number
}

/** Classifies every stored tensor of the model (main graph and subgraphs, initializers and Constant payloads). */
export function classifyTensors(graph: OnnxGraph): ClassifiedTensor[] {
  const stored: OnnxTensor[] = []
  const graphOutputs = new Set<string>()
  const nodesOf: OnnxNode[] = []
  const visit = (g: OnnxGraph): void => {
    for (const t of g.initializers) stored.push(t)
    for (const o of g.outputs) graphOutputs.add(o.name)
    for (const node of g.nodes) {
      nodesOf.push(node)
      if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) {
        const value = node.attributes.get('value')
        if (value?.type === 'tensor' && node.outputs[0]) stored.push({ ...value.value, name: node.outputs[0] })
      }
      for (const a of node.attributes.values()) {
        if (a.type === 'graph') visit(a.value)
        else if (a.type === 'graphs') a.value.forEach(visit)
      }
    }
  }
  visit(graph)
  // uses are recorded for stored tensors only: nothing else is classified
  const storedNames = new Set(stored.map((t) => t.name))
  const uses = new Map<string, Use[]>()
  const addUse = (node: OnnxNode, name: string, index: number): void => {
    if (!storedNames.has(name)) return
    const list = uses.get(name)
    if (list) list.push({ node, index })
    else uses.set(name, [{ node, index }])
  }
  for (const node of nodesOf) {
    node.inputs.forEach((name, index) => {
      if (name !== '') addUse(node, name, index)
    })
    // names read from inside the node's subgraphs (an If branch using an outer weight)
    if (hasSubgraphs(node)) for (const name of nodeReads(node).slice(node.inputs.filter((n) => n !== '').length)) addUse(node, name, -1)
  }
  const seen = new Set<string>()
  const out: ClassifiedTensor[] = []
  for (const tensor of stored) {
    if (seen.has(tensor.name)) continue
    seen.add(tensor.name)
    const elements = tensor.dims.reduce((a, b) => a * b, 1)
    const bytes = byteSize(tensor.dtype, elements)
    const tensorUses = uses.get(tensor.name) ?? []
    out.push({ tensor, cls: classify(tensor, elements, tensorUses, graphOutputs.has(tensor.name)), elements, bytes, readers: new Set(tensorUses.map((u) => u.node)).size })
  }
  return out
}

function classify(tensor: OnnxTensor, elements: number, uses: readonly Use[], isOutput: boolean): ParamClass {
  if (uses.length === 0 && !isOutput) return 'unused'
  if (uses.length > 0 && uses.every((u) => u.node.opType === 'BatchNormalization' && BN_BUFFER_INPUTS.includes(u.index))) return 'buffer'
  const quantizedWeight = uses.some((u) => {
    const key = u.node.domain === '' || u.node.domain === 'ai.onnx' ? u.node.opType : `${u.node.domain}::${u.node.opType}`
    return QUANTIZED_WEIGHT_INPUTS[key]?.includes(u.index) ?? false
  })
  if (elements > 1 && (isFloatType(tensor.dtype) || (quantizedWeight && tensor.dtype !== 'int64' && tensor.dtype !== 'int32'))) return 'learnable'
  return 'constant'
}

/** Totals by class. */
export function summarizeParams(classified: readonly ClassifiedTensor[]): ParamsStats {
  const sums: Record<ParamClass, number> = { learnable: 0, buffer: 0, constant: 0, unused: 0 }
  const tensors: Record<ParamClass, number> = { learnable: 0, buffer: 0, constant: 0, unused: 0 }
  const byDtype: Record<string, { count: number; bytes: number }> = {}
  let sharedTensors = 0
  let weightsBytes = 0
  for (const c of classified) {
    sums[c.cls] += c.elements
    tensors[c.cls]++
    if (c.cls !== 'unused') weightsBytes += c.bytes
    if (c.cls === 'learnable') {
      const entry = (byDtype[c.tensor.dtype as DataTypeName] ??= { count: 0, bytes: 0 })
      entry.count += c.elements
      entry.bytes += c.bytes
      if (c.readers > 1) sharedTensors++
    }
  }
  return { learnable: sums.learnable, buffers: sums.buffer, constants: sums.constant, unused: sums.unused, byDtype, tensors, sharedTensors, weightsBytes }
}
