/**
 * Helpers shared by the compute-op families (conv, matmul, attention, rnn, norm, pool, resize, quant, loss).
 */
import { dataTypeName, type DataTypeName } from '../../onnx/dtypes.js'
import { dimFloorDiv, dimMul, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { InferredType, OpContext, TensorType } from '../types.js'
import { dimsOf, knownValue, staticValue } from './_helpers.js'

/** True when the node produces output `i` (the name is present and not empty). */
function wantsOutput(ctx: OpContext, i: number): boolean {
  const name = ctx.node.outputs[i]
  return name !== undefined && name !== ''
}

/** One entry per node output: the type for the outputs the node produces, undefined for omitted ones. */
export function pickOutputs(ctx: OpContext, types: readonly (InferredType | undefined)[]): (InferredType | undefined)[] {
  return ctx.node.outputs.map((_, i) => (wantsOutput(ctx, i) ? types[i] : undefined))
}

/** Dims of a required input, failing with a message naming it when its rank is unknown. */
export function inputDims(ctx: OpContext, i: number, what: string): readonly Dim[] {
  return dimsOf(ctx, ctx.tensor(i), what)
}

/** Dims of an optional input, or undefined when absent or of unknown rank. */
export function optionalDims(ctx: OpContext, i: number): readonly Dim[] | undefined {
  return ctx.optionalTensor(i)?.dims
}

/** Fails unless the tensor has the given rank. */
export function expectRank(ctx: OpContext, dims: readonly Dim[], rank: number | readonly number[], what: string): void {
  const ok = typeof rank === 'number' ? dims.length === rank : rank.includes(dims.length)
  if (!ok) ctx.fail(`${what} should have rank ${typeof rank === 'number' ? rank : rank.join(' or ')}, not ${dims.length}`, dims)
}

/** Fails when two dims are both known and differ. */
export function expectSameDim(ctx: OpContext, a: Dim | undefined, b: Dim | undefined, what: string): void {
  if (isStaticDim(a) && isStaticDim(b) && a !== b) ctx.fail(`${what}: ${a} ≠ ${b}`, [a, b])
}

/** A dim divided by a known positive count: exact when divisible, failing when a known dim is not. */
export function divideDim(ctx: OpContext, d: Dim, by: number, what: string): Dim {
  if (by <= 0) ctx.fail(`${what}: cannot divide by ${by}`, by)
  if (isStaticDim(d) && d % by !== 0) ctx.fail(`${what}: ${d} is not divisible by ${by}`, [d, by])
  return dimFloorDiv(d, by)
}

/** The name of a TensorProto.DataType code given in an attribute, failing for an unknown code. */
export function dtypeFromCode(ctx: OpContext, code: number, what: string): DataTypeName {
  const name = dataTypeName(code)
  if (name === undefined || name === 'undefined') ctx.fail(`${what}: unknown data type ${code}`, code)
  return name
}

/** Known integer values of an optional 1-D input (e.g. Resize sizes), or undefined. */
export function intsValue(t: TensorType | undefined): number[] | undefined {
  return staticValue(t)?.map((v) => Math.trunc(v))
}

/** The known value of a shape-like input as dims (symbolic elements kept, e.g. sizes computed from Shape), or undefined. */
export function dimsValue(t: TensorType | undefined): Dim[] | undefined {
  return knownValue(t)?.map((v) => (typeof v === 'number' ? Math.trunc(v) : v))
}

/** a − b for counts that may be symbolic (never negative when both are known). */
export function countDiff(a: Dim, b: Dim): Dim {
  const d = dimSub(a, b)
  return isStaticDim(d) && d < 0 ? 0 : d
}

/**
 * FLOPs of a softmax over `rows` rows of `elements` values in all, as the Softmax rule counts them: max (out − rows
 * comparisons), subtract, exp, sum (out − rows adds), divide: 5·out − 2·rows.
 */
export function softmaxFlops(elements: Dim, rows: Dim): Dim {
  return dimSub(dimMul(5, elements), dimMul(2, rows))
}

/** FLOPs of one evaluation of an activation function named in RNN attributes (per element). */
export function activationFlops(name: string): number {
  switch (name.toLowerCase()) {
    case 'sigmoid': return 4 // neg, exp, add, div
    case 'tanh': return 1
    case 'relu': return 1 // max
    case 'affine': return 2 // mul, add
    case 'leakyrelu': return 2 // compare, mul
    case 'thresholdedrelu': return 1 // compare
    case 'scaledtanh': return 3 // mul, tanh, mul
    case 'hardsigmoid': return 4 // mul, add, max, min
    case 'elu': return 4 // compare, exp, sub, mul
    case 'softsign': return 3 // abs, add, div
    case 'softplus': return 3 // exp, add, log
    default: return 1
  }
}
