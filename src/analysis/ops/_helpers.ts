/**
 * Small helpers shared by the op rule files (internal to analysis/ops).
 */
import type { DataTypeName } from '../../onnx/dtypes.js'
import { dimMax, dimMul, dimProduct, isStaticDim, type Dim } from '../dims.js'
import { MAX_VALUE_ELEMENTS, type InferredType, type OpContext, type OpCost, type Scalar, type TensorType } from '../types.js'

/** No arithmetic (data movement, shape ops). */
export const ZERO_COST: OpCost = { macs: 0, flops: 0 }

/** A tensor type; the value is kept only when small and consistent with the dims. */
export function tensorOf(dtype: DataTypeName, dims: readonly Dim[] | undefined, value?: readonly Scalar[]): TensorType {
  if (value !== undefined && value.length <= MAX_VALUE_ELEMENTS) return { kind: 'tensor', dtype, dims, value }
  return { kind: 'tensor', dtype, dims }
}

/** Number of elements (symbolic when a dim is). Unknown rank → undefined. */
export function numel(dims: readonly Dim[] | undefined): Dim | undefined {
  return dims === undefined ? undefined : dimProduct(dims)
}

/** Number of elements of a tensor output, 0 when the output is absent or of unknown rank. */
export function outputElements(outputs: readonly (InferredType | undefined)[], index = 0): Dim {
  const out = outputs[index]
  if (out === undefined || out.kind !== 'tensor') return 0
  return numel(out.dims) ?? 0
}

/** FLOPs = k per element of output `index`; MACs 0. */
export function perElementCost(outputs: readonly (InferredType | undefined)[], flopsPerElement: number, index = 0): OpCost {
  return { macs: 0, flops: dimMul(outputElements(outputs, index), flopsPerElement) }
}

/** Numpy-style multidirectional broadcasting of several shapes. */
export function broadcastDims(ctx: OpContext, shapes: readonly (readonly Dim[])[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length))
  const out: Dim[] = []
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1
    for (const s of shapes) {
      const e = s[s.length - rank + i]
      if (e === undefined || e === 1) continue
      if (d === 1 || d === e) d = e
      else if (isStaticDim(d) && isStaticDim(e)) ctx.fail(`cannot broadcast dims ${d} and ${e}`, shapes)
      // a symbol against a number ≠ 1 must equal that number at run time
      else if (isStaticDim(e)) d = e
      else if (!isStaticDim(d)) d = dimMax(d, e)
    }
    out.push(d)
  }
  return out
}

/** Normalises a possibly negative axis for a rank; fails when out of range. */
export function normalizeAxis(ctx: OpContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) ctx.fail(`axis ${axis} is out of range for rank ${rank}`, axis)
  return a
}

/** Dims of a tensor input; fails when its rank is unknown. */
export function dimsOf(ctx: OpContext, t: TensorType, what = 'input'): readonly Dim[] {
  if (t.dims === undefined) ctx.fail(`the rank of ${what} is unknown`)
  return t.dims
}

/** The known value of a tensor as numbers (undefined when unknown or symbolic). */
export function staticValue(t: TensorType | undefined): number[] | undefined {
  if (t?.value === undefined) return undefined
  if (!t.value.every((v): v is number => typeof v === 'number')) return undefined
  return t.value as number[]
}

/** The known value of a tensor (numbers or symbolic dims), or undefined. */
export function knownValue(t: TensorType | undefined): readonly Scalar[] | undefined {
  return t?.value
}
