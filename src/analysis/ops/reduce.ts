/**
 * Reductions and ArgMax/ArgMin. The axes moved from an attribute to an optional input (ReduceSum at opset 13,
 * the others at 18); a value is computed for small known inputs, symbolic dims included (shape arithmetic such
 * as ReduceProd of a Shape).
 */
import { dimAdd, dimMul, dimSub, type Dim } from '../dims.js'
import type { OpContext, OpCost, OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { normalizeAxis, numel, staticValue, tensorOf } from './_helpers.js'
import { absScalar, divScalar, integersWithSymbols, isIntegral, maxScalar, minScalar, normalizeScalar, staticInput } from './_elementwise-utils.js'

/** Which axes a reduction reduces. */
type Axes =
  | { readonly kind: 'axes'; readonly axes: ReadonlySet<number> }
  | { readonly kind: 'all' }
  | { readonly kind: 'noop' }
  /** Given as an input whose value is unknown; `count` = its length when static. */
  | { readonly kind: 'unknown'; readonly count: number | undefined }

/**
 * The axes of a reduction: an attribute before opset `inputSince` (13 for ReduceSum, 18 for the others), the
 * optional input 1 since. Empty axes reduce everything, or nothing with noop_with_empty_axes=1 (input versions).
 */
function reductionAxes(ctx: OpContext, rank: number | undefined, inputSince: number): Axes {
  let axes: readonly number[]
  if (ctx.opset < inputSince) {
    axes = ctx.attrInts('axes', [])
  } else {
    const t = ctx.optionalTensor(1)
    const v = staticValue(t)
    if (t !== undefined && v === undefined && !(t.dims?.length === 1 && t.dims[0] === 0)) {
      const n = t.dims?.length === 1 ? t.dims[0] : t.dims?.length === 0 ? 1 : undefined
      return { kind: 'unknown', count: typeof n === 'number' ? n : undefined }
    }
    axes = v ?? []
    if (axes.length === 0 && ctx.attrInt('noop_with_empty_axes', 0) !== 0) return { kind: 'noop' }
  }
  if (axes.length === 0) return { kind: 'all' }
  if (rank === undefined) return { kind: 'unknown', count: new Set(axes).size }
  return { kind: 'axes', axes: new Set(axes.map((a) => normalizeAxis(ctx, a, rank))) }
}

/** Output dims of a reduction. */
function reducedDims(ctx: OpContext, dims: readonly Dim[] | undefined, axes: Axes, keep: boolean): readonly Dim[] | undefined {
  switch (axes.kind) {
    case 'noop':
      return dims
    case 'all':
      return dims === undefined ? (keep ? undefined : []) : keep ? dims.map(() => 1) : []
    case 'axes':
      return dims?.flatMap((d, i) => (!axes.axes.has(i) ? [d] : keep ? [1] : []))
    case 'unknown':
      // which dims are reduced is only known at run time
      if (dims !== undefined && keep) return dims.map((d, i) => (d === 1 ? 1 : ctx.freshDim(`reduced_dim${i}`)))
      if (dims !== undefined && axes.count !== undefined) {
        return Array.from({ length: dims.length - axes.count }, (_, i) => ctx.freshDim(`reduced_dim${i}`))
      }
      return undefined
  }
}

/** Groups the known elements of `x` by output position (reducing `axes`), or undefined when not computable. */
function groups(x: TensorType, axes: Axes): Scalar[][] | undefined {
  const known = staticInput(x)
  if (known === undefined || axes.kind === 'unknown') return undefined
  const { dims, value } = known
  const reduced = (i: number): boolean => axes.kind === 'all' || (axes.kind === 'axes' && axes.axes.has(i))
  const outDims = dims.map((d, i) => (reduced(i) ? 1 : d))
  const out: Scalar[][] = Array.from({ length: outDims.reduce((p, d) => p * d, 1) }, () => [])
  const idx = new Array<number>(dims.length).fill(0)
  for (const v of value) {
    let o = 0
    for (let i = 0; i < dims.length; i++) o = o * outDims[i]! + (reduced(i) ? 0 : idx[i]!)
    out[o]!.push(v)
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++idx[i]! < dims[i]!) break
      idx[i] = 0
    }
  }
  return out
}

/** Numbers only. */
const nums = (xs: readonly Scalar[]): readonly number[] | undefined => (xs.every((x): x is number => typeof x === 'number') ? xs : undefined)
const fold = (xs: readonly Scalar[], init: Scalar, f: (a: Scalar, b: Scalar) => Scalar | undefined): Scalar | undefined =>
  xs.reduce<Scalar | undefined>((acc, x) => (acc === undefined ? undefined : f(acc, x)), init)

interface Reduction {
  /** FLOPs from the input and output element counts (the input is not empty). */
  readonly flops: (inElems: Dim, outElems: Dim) => Dim
  readonly formula: string
  /** The reduced value of one group of elements. */
  readonly value: (xs: readonly Scalar[], integral: boolean) => Scalar | undefined
  readonly inputSince?: number
}

function reductionRule(r: Reduction): OpRule {
  const axesOf = (ctx: OpContext): Axes => reductionAxes(ctx, ctx.tensor(0).dims?.length, r.inputSince ?? 18)
  return {
    formula: `${r.formula}; 0 for an empty input or noop_with_empty_axes`,
    infer(ctx) {
      const x = ctx.tensor(0)
      const axes = axesOf(ctx)
      const dims = reducedDims(ctx, x.dims, axes, ctx.attrInt('keepdims', 1) !== 0)
      if (axes.kind === 'noop') return [tensorOf(x.dtype, dims, x.value)]
      const integral = isIntegral(x.dtype)
      const g = groups(x, axes)
      const values = g?.map((xs) => normalizeScalar(x.dtype, integersWithSymbols((...ys) => r.value(ys, integral))(...xs)))
      const value = values?.every((v): v is Scalar => v !== undefined) === true ? values : undefined
      return [tensorOf(x.dtype, dims, value)]
    },
    cost(ctx, outputs): OpCost {
      const input = numel(ctx.tensor(0).dims)
      const out = outputs[0]
      const output = out?.kind === 'tensor' ? numel(out.dims) : undefined
      if (axesOf(ctx).kind === 'noop' || input === undefined || output === undefined || input === 0) return { macs: 0, flops: 0 }
      return { macs: 0, flops: r.flops(input, output) }
    },
  }
}

const inMinusOut = (i: Dim, o: Dim): Dim => dimSub(i, o)

/** ArgMax / ArgMin: int64 indices along `axis`. */
function argRule(better: (a: number, b: number) => boolean): OpRule {
  const argDims = (ctx: OpContext, dims: readonly Dim[]): [number, Dim[]] => {
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', 0), dims.length)
    const keep = ctx.attrInt('keepdims', 1) !== 0
    return [axis, dims.flatMap((d, i) => (i !== axis ? [d] : keep ? [1] : []))]
  }
  return {
    formula: 'FLOPs = in − out (comparisons); 0 for an empty input',
    infer(ctx) {
      const x = ctx.tensor(0)
      if (x.dims === undefined) return [tensorOf('int64', undefined)]
      const [axis, dims] = argDims(ctx, x.dims)
      const last = ctx.attrInt('select_last_index', 0) !== 0
      const g = groups(x, { kind: 'axes', axes: new Set([axis]) })?.map(nums)
      const value = g?.every((xs) => xs !== undefined && xs.length > 0)
        ? (g as (readonly number[])[]).map((xs) => xs.reduce((best, v, i) => (better(v, xs[best]!) || (last && v === xs[best]) ? i : best), 0))
        : undefined
      return [tensorOf('int64', dims, value)]
    },
    cost(ctx, outputs): OpCost {
      const input = numel(ctx.tensor(0).dims)
      const out = outputs[0]
      const output = out?.kind === 'tensor' ? numel(out.dims) : undefined
      if (input === undefined || output === undefined || input === 0) return { macs: 0, flops: 0 }
      return { macs: 0, flops: dimSub(input, output) }
    },
  }
}

/**
 * Reductions (ReduceSum … ReduceLogSumExp, all opsets: axes as attribute or input, keepdims,
 * noop_with_empty_axes) and ArgMax/ArgMin. Reducing k elements takes k − 1 operations, so a reduction of `in`
 * elements to `out` costs in − out, plus the per-element and per-output functions of each op.
 */
export const REDUCE_RULES: OpRuleTable = {
  ReduceSum: reductionRule({
    formula: 'FLOPs = in − out (additions)', flops: inMinusOut, inputSince: 13,
    value: (xs) => fold(xs, 0, dimAdd),
  }),
  ReduceProd: reductionRule({ formula: 'FLOPs = in − out (multiplications)', flops: inMinusOut, value: (xs) => fold(xs, 1, dimMul) }),
  ReduceMax: reductionRule({
    formula: 'FLOPs = in − out (comparisons)', flops: inMinusOut,
    value: (xs) => (xs.length === 0 ? undefined : fold(xs.slice(1), xs[0]!, maxScalar)),
  }),
  ReduceMin: reductionRule({
    formula: 'FLOPs = in − out (comparisons)', flops: inMinusOut,
    value: (xs) => (xs.length === 0 ? undefined : fold(xs.slice(1), xs[0]!, minScalar)),
  }),
  ReduceMean: reductionRule({
    formula: 'FLOPs = in (in − out additions, out divisions)', flops: (i) => i,
    value: (xs, integral) => {
      const sum = fold(xs, 0, dimAdd)
      return sum === undefined || xs.length === 0 ? undefined : divScalar(sum, xs.length, integral)
    },
  }),
  ReduceL1: reductionRule({
    formula: 'FLOPs = 2·in − out (in abs, in − out additions)', flops: (i, o) => dimSub(dimMul(i, 2), o),
    value: (xs) => fold(xs, 0, (a, b) => {
      const m = absScalar(b)
      return m === undefined ? undefined : dimAdd(a, m)
    }),
  }),
  ReduceL2: reductionRule({
    formula: 'FLOPs = 2·in (in squares, in − out additions, out sqrt)', flops: (i) => dimMul(i, 2),
    value: (xs) => {
      const n = nums(xs)
      return n === undefined ? undefined : Math.sqrt(n.reduce((s, v) => s + v * v, 0))
    },
  }),
  ReduceSumSquare: reductionRule({
    formula: 'FLOPs = 2·in − out (in squares, in − out additions)', flops: (i, o) => dimSub(dimMul(i, 2), o),
    value: (xs) => fold(xs, 0, (a, b) => dimAdd(a, dimMul(b, b))),
  }),
  ReduceLogSum: reductionRule({
    formula: 'FLOPs = in (in − out additions, out logs)', flops: (i) => i,
    value: (xs) => {
      const n = nums(xs)
      return n === undefined ? undefined : Math.log(n.reduce((s, v) => s + v, 0))
    },
  }),
  ReduceLogSumExp: reductionRule({
    formula: 'FLOPs = 2·in (in exps, in − out additions, out logs)', flops: (i) => dimMul(i, 2),
    value: (xs) => {
      const n = nums(xs)
      return n === undefined ? undefined : Math.log(n.reduce((s, v) => s + Math.exp(v), 0))
    },
  }),
  ArgMax: argRule((a, b) => a > b),
  ArgMin: argRule((a, b) => a < b),
}
