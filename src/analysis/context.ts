/**
 * The OpContext that op rules see: a node, its input types, attribute accessors and the engine's services.
 */
import { ModelgateError } from '../errors.js'
import type { AttributeValue, OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/types.js'
import { symbolDim, type Dim } from './dims.js'
import type { InferredType, OpContext, SubgraphResult, TensorType } from './types.js'

/** Engine services an OpContext delegates to. */
export interface InferenceServices {
  /** A constant tensor as a type, with its value when small. */
  readTensor(tensor: OnnxTensor): TensorType
  /** Infers a subgraph that sees the enclosing scope. */
  inferSubgraph(graph: OnnxGraph, inputs: readonly (InferredType | undefined)[]): SubgraphResult
}

/** Label of a node in messages: its name, or `OpType#index` when unnamed. */
export function nodeLabel(node: OnnxNode): string {
  return node.name !== '' ? node.name : `${node.opType}(${node.outputs[0] ?? '?'})`
}

/** Builds the context an op rule is called with. */
export function createOpContext(
  node: OnnxNode,
  opset: number,
  inputs: readonly (InferredType | undefined)[],
  services: InferenceServices,
): OpContext {
  const label = nodeLabel(node)
  const fail = (problem: string, value?: unknown): never => {
    throw new ModelgateError('E_SHAPE_INFERENCE', `Node ${label} (${node.opType}): ${problem}.`, { node: label, value })
  }
  const attr = <T extends AttributeValue['type']>(name: string, type: T): Extract<AttributeValue, { type: T }> | undefined => {
    const a = node.attributes.get(name)
    if (a === undefined) return undefined
    if (a.type !== type) fail(`attribute ${name} should be of type ${type}, not ${a.type}`, a.type)
    return a as Extract<AttributeValue, { type: T }>
  }
  const required = <V>(name: string, v: V | undefined): V => (v === undefined ? fail(`attribute ${name} is required`) : v)

  return {
    node,
    opset,
    inputs,
    tensor(i) {
      const t = inputs[i]
      if (t === undefined) return fail(`input ${i} is missing`)
      if (t.kind !== 'tensor') return fail(`input ${i} should be a tensor, not a ${t.kind}`)
      return t
    },
    optionalTensor(i) {
      const t = inputs[i]
      if (t === undefined) return undefined
      if (t.kind !== 'tensor') return fail(`input ${i} should be a tensor, not a ${t.kind}`)
      return t
    },
    hasAttr: (name) => node.attributes.has(name),
    attrInt: (name, fallback) => attr(name, 'int')?.value ?? required(name, fallback),
    attrInts: (name, fallback) => attr(name, 'ints')?.value ?? required(name, fallback),
    attrFloat: (name, fallback) => {
      const a = node.attributes.get(name)
      // some exporters write integral floats as ints
      if (a?.type === 'int') return a.value
      return attr(name, 'float')?.value ?? required(name, fallback)
    },
    attrFloats: (name, fallback) => attr(name, 'floats')?.value ?? required(name, fallback),
    attrString: (name, fallback) => attr(name, 'string')?.value ?? required(name, fallback),
    attrStrings: (name, fallback) => attr(name, 'strings')?.value ?? required(name, fallback),
    attrTensor: (name) => {
      const a = attr(name, 'tensor')
      return a === undefined ? undefined : services.readTensor(a.value)
    },
    attrGraph: (name) => attr(name, 'graph')?.value,
    constant: (tensor) => services.readTensor(tensor),
    freshDim: (what: string): Dim => symbolDim(`${label}.${what}`),
    inferSubgraph: (graph, subInputs) => services.inferSubgraph(graph, subInputs),
    fail,
  }
}
