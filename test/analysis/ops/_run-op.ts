/**
 * Test helper: runs one op rule on given input types, without a model.
 */
import { createOpContext } from '../../../src/analysis/context.js'
import type { Dim } from '../../../src/analysis/dims.js'
import { findOpRule } from '../../../src/analysis/ops/index.js'
import type { InferredType, OpCost, Scalar, TensorType } from '../../../src/analysis/types.js'
import { ModelgateError } from '../../../src/errors.js'
import type { DataTypeName } from '../../../src/onnx/dtypes.js'
import type { AttributeValue, OnnxTensor } from '../../../src/onnx/types.js'

/** A tensor type for tests. */
export function t(dims: readonly Dim[] | undefined, dtype: DataTypeName = 'float32', value?: readonly Scalar[]): TensorType {
  return value === undefined ? { kind: 'tensor', dtype, dims } : { kind: 'tensor', dtype, dims, value }
}

/** Attribute shorthand: numbers → int (use { float: x } for floats), number[] → ints, string → string. */
export type AttrInput = number | readonly number[] | string | readonly string[] | { float: number } | { floats: readonly number[] } | AttributeValue

function toAttribute(v: AttrInput): AttributeValue {
  if (typeof v === 'number') return { type: 'int', value: v }
  if (typeof v === 'string') return { type: 'string', value: v }
  if (Array.isArray(v)) {
    return v.every((x) => typeof x === 'string')
      ? { type: 'strings', value: v as readonly string[] }
      : { type: 'ints', value: v as readonly number[] }
  }
  const o = v as { float?: number; floats?: readonly number[] }
  if (o.float !== undefined) return { type: 'float', value: o.float }
  if (o.floats !== undefined) return { type: 'floats', value: o.floats }
  return v as AttributeValue
}

/** Runs the registered rule of `opType` and returns its outputs and cost. */
export function runOp(
  opType: string,
  inputs: readonly (InferredType | undefined)[],
  attrs: Record<string, AttrInput> = {},
  { opset = 18, domain = '', outputs = 1 }: { opset?: number; domain?: string; outputs?: number } = {},
): { outputs: readonly (InferredType | undefined)[]; cost: OpCost } {
  const rule = findOpRule(domain, opType)
  if (rule === undefined) throw new Error(`no rule for ${domain}::${opType}`)
  const node = {
    name: `test_${opType}`,
    opType,
    domain,
    inputs: inputs.map((x, i) => (x === undefined ? '' : `in${i}`)),
    outputs: Array.from({ length: outputs }, (_, i) => `out${i}`),
    attributes: new Map(Object.entries(attrs).map(([k, v]) => [k, toAttribute(v)])),
  }
  const ctx = createOpContext(node, opset, inputs, {
    readTensor: (tensor: OnnxTensor) => ({ kind: 'tensor', dtype: tensor.dtype, dims: tensor.dims }),
    inferSubgraph: () => {
      throw new Error('subgraphs are not available in runOp')
    },
  })
  const out = rule.infer(ctx)
  return { outputs: out, cost: rule.cost(ctx, out) }
}

/** The i-th output of a rule run, which must be a tensor. */
export function out(r: { outputs: readonly (InferredType | undefined)[] }, i = 0): TensorType {
  const o = r.outputs[i]
  if (o?.kind !== 'tensor') throw new Error('expected a tensor output')
  return o
}

/** The ModelgateError `f` throws (anything else, or nothing, fails the test). */
export function shapeError(f: () => unknown): ModelgateError {
  try {
    f()
  } catch (e) {
    if (e instanceof ModelgateError) return e
    throw e
  }
  throw new Error('expected an error')
}

/** Every output of a rule run (default-domain op, by opset), each of which must be a tensor. */
export function tensorOutputs(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}, opset = 18, outputs = 1): TensorType[] {
  return runOp(op, inputs, attrs, { opset, outputs }).outputs.map((o) => {
    if (o?.kind !== 'tensor') throw new Error('expected a tensor')
    return o
  })
}

/** The first output of a rule run, which must be a tensor. */
export function tensorOutput(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}, opset = 18, outputs = 1): TensorType {
  return tensorOutputs(op, inputs, attrs, opset, outputs)[0]!
}

/** Whatever `fn` throws (returning normally fails the test). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('expected a failure')
}
