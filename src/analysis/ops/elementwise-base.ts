/**
 * Rule builders for the element-wise ops: unary maps, broadcasting binary ops (with the opset < 7 legacy
 * broadcast) and variadic ops.
 */
import type { DataTypeName } from '../../onnx/dtypes.js'
import type { Dim } from '../dims.js'
import type { OpContext, OpRule, Scalar, TensorType } from '../types.js'
import { broadcastDims, perElementCost, tensorOf } from './_helpers.js'
import { broadcastValue, integersWithSymbols, normalizeScalar, type ScalarFn } from './_elementwise-utils.js'

/** Builds the element function for a node (attributes read once), or undefined when it has no value rule. */
export type ValueFactory = (ctx: OpContext, dtype: DataTypeName) => ScalarFn | undefined

/** The word after `FLOPs = k·out` in a formula: what each element costs. */
function perElementFormula(flops: number, what: string): string {
  return `FLOPs = ${flops === 1 ? '' : `${flops}·`}out (${what})`
}

export interface UnaryOptions {
  /** FLOPs per output element. */
  readonly flops: number
  /** The operations counted, for the formula. */
  readonly what: string
  /** Output dtype when it is not the input's. */
  readonly dtype?: DataTypeName
  readonly value?: ValueFactory
}

/** An op y = f(x) applied element-wise: same dims as the input. */
export function unaryRule(o: UnaryOptions): OpRule {
  return {
    formula: perElementFormula(o.flops, o.what),
    infer(ctx) {
      const x = ctx.tensor(0)
      const dtype = o.dtype ?? x.dtype
      const fn = x.value === undefined ? undefined : o.value?.(ctx, x.dtype)
      const value = fn === undefined ? undefined : broadcastValue(x.dims, [x], (v) => normalizeScalar(dtype, fn(v)))
      return [tensorOf(dtype, x.dims, value)]
    },
    cost: (_ctx, outputs) => perElementCost(outputs, o.flops),
  }
}

export interface BinaryOptions extends UnaryOptions {
  /** True for the ops whose opset < 7 versions had the `broadcast`/`axis` attributes (output dims = A's). */
  readonly legacyBroadcast?: boolean
  /** The output's dims are the first input's (PRelu: the slope broadcasts to X). */
  readonly firstInputDims?: boolean
}

/**
 * Dims of B as seen by a legacy (opset < 7) broadcast: B's shape is a contiguous run of A's dims starting at
 * `axis` (suffix matching when absent), padded here with 1s so that NumPy broadcasting applies.
 */
function legacyAlign(ctx: OpContext, a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const axis = ctx.hasAttr('axis') ? ctx.attrInt('axis') : a.length - b.length
  const start = axis < 0 ? axis + a.length : axis
  if (start < 0 || start + b.length > a.length) ctx.fail(`cannot broadcast dims [${b.join(', ')}] to [${a.join(', ')}] at axis ${axis}`)
  return [...new Array<Dim>(start).fill(1), ...b, ...new Array<Dim>(a.length - start - b.length).fill(1)]
}

/** Output dims and the (possibly re-aligned) inputs of a binary broadcasting op. */
function binaryDims(ctx: OpContext, o: BinaryOptions, a: TensorType, b: TensorType): [readonly Dim[] | undefined, TensorType] {
  const legacy = o.legacyBroadcast === true && ctx.opset < 7
  if (a.dims === undefined) return [undefined, b]
  if (o.firstInputDims === true) return [a.dims, b]
  if (legacy && ctx.attrInt('broadcast', 0) === 1) {
    if (b.dims === undefined) return [a.dims, b]
    const aligned: TensorType = { ...b, dims: legacyAlign(ctx, a.dims, b.dims) }
    broadcastDims(ctx, [a.dims, aligned.dims ?? []])
    return [a.dims, aligned]
  }
  if (b.dims === undefined) return [undefined, b]
  return [broadcastDims(ctx, [a.dims, b.dims]), b]
}

/** An op c = f(a, b) with multidirectional (NumPy) broadcasting. */
export function binaryRule(o: BinaryOptions): OpRule {
  return {
    formula: perElementFormula(o.flops, o.what),
    infer(ctx) {
      const a = ctx.tensor(0)
      const [dims, b] = binaryDims(ctx, o, a, ctx.tensor(1))
      const dtype = o.dtype ?? a.dtype
      const f = a.value === undefined || b.value === undefined ? undefined : o.value?.(ctx, a.dtype)
      const fn = f === undefined ? undefined : integersWithSymbols(f)
      const value = fn === undefined ? undefined : broadcastValue(dims, [a, b], (x, y) => normalizeScalar(dtype, fn(x, y)))
      return [tensorOf(dtype, dims, value)]
    },
    cost: (_ctx, outputs) => perElementCost(outputs, o.flops),
  }
}

/** The present inputs of a variadic op (Sum, Mean, Max, Min), at least one. */
export function variadicInputs(ctx: OpContext): TensorType[] {
  const inputs: TensorType[] = []
  for (let i = 0; i < ctx.inputs.length; i++) {
    const t = ctx.optionalTensor(i)
    if (t !== undefined) inputs.push(t)
  }
  if (inputs.length === 0) ctx.fail('at least one input is required')
  return inputs
}

/** Broadcast dims of several inputs (undefined when one's rank is unknown). */
export function variadicDims(ctx: OpContext, inputs: readonly TensorType[]): Dim[] | undefined {
  const shapes: (readonly Dim[])[] = []
  for (const t of inputs) {
    if (t.dims === undefined) return undefined
    shapes.push(t.dims)
  }
  return broadcastDims(ctx, shapes)
}

/**
 * A variadic op folding its broadcast inputs with `fold` (Sum, Max, Min; Mean divides after). FLOPs =
 * (n − 1)·out folds, plus `extra`·out.
 */
export function variadicRule(what: string, fold: (a: Scalar, b: Scalar) => Scalar | undefined, finish?: ValueFactory, extra = 0): OpRule {
  return {
    formula: extra === 0 ? `FLOPs = (n − 1)·out (${what}; n inputs)` : `FLOPs = n·out (${what}; n inputs)`,
    infer(ctx) {
      const inputs = variadicInputs(ctx)
      const first = inputs[0]!
      const dims = variadicDims(ctx, inputs)
      const end = finish?.(ctx, first.dtype) ?? ((x: Scalar) => x)
      const value = broadcastValue(dims, inputs, integersWithSymbols((...xs) => {
        let acc: Scalar | undefined = xs[0]!
        for (let i = 1; i < xs.length && acc !== undefined; i++) acc = fold(acc, xs[i]!)
        return normalizeScalar(first.dtype, acc === undefined ? undefined : end(acc, xs.length))
      }))
      return [tensorOf(first.dtype, dims, value)]
    },
    cost(ctx, outputs) {
      const n = ctx.inputs.filter((t) => t !== undefined).length
      return perElementCost(outputs, n - 1 + extra)
    },
  }
}
