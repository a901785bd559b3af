/**
 * Element-wise ops that work along one axis: Softmax, LogSoftmax, Hardmax, CumSum, CumProd; and Det.
 *
 * Costs count the reductions exactly: reducing a row of k elements takes k − 1 operations, so a reduction over
 * `rows` rows of an `out`-element tensor is out − rows.
 */
import { dimAdd, dimFloorDiv, dimMul, dimProduct, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpCost, OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { dimsOf, normalizeAxis, numel, staticValue, tensorOf } from './_helpers.js'
import { normalizeScalar, staticInput } from './_elementwise-utils.js'

/**
 * The number of rows a softmax-like op works on. Before opset 13 the input is coerced to 2-D at `axis`
 * ([d0…d(axis−1)] × [d(axis)…]); since opset 13 a row is the 1-D slice along `axis`.
 */
function softmaxRows(ctx: OpContext, dims: readonly Dim[]): Dim {
  if (ctx.opset < 13) {
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', 1), dims.length)
    return dimProduct(dims.slice(0, axis))
  }
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), dims.length)
  return dimProduct(dims.filter((_, i) => i !== axis))
}

const ROWS = 'rows = out / dim(axis) (before opset 13: the product of the dims before axis)'

/** A softmax-like rule: output = input type; FLOPs = a·out − b·rows. */
function softmaxLike(formula: string, perOut: number, perRow: number): OpRule {
  return {
    formula,
    infer(ctx) {
      const x = ctx.tensor(0)
      if (x.dims !== undefined) softmaxRows(ctx, x.dims)
      return [tensorOf(x.dtype, x.dims)]
    },
    cost(ctx): OpCost {
      const dims = ctx.tensor(0).dims
      if (dims === undefined) return { macs: 0, flops: 0 }
      const out = dimProduct(dims)
      return { macs: 0, flops: dimSub(dimMul(out, perOut), dimMul(softmaxRows(ctx, dims), perRow)) }
    },
  }
}

/** The axis of CumSum/CumProd (input 1), normalised; undefined when not known statically. */
function cumAxis(ctx: OpContext, rank: number): number | undefined {
  const v = staticValue(ctx.tensor(1))
  if (v === undefined) return undefined
  if (v.length !== 1) ctx.fail('axis should be a scalar or a 1-element tensor', v)
  return normalizeAxis(ctx, v[0]!, rank)
}

/** The running sums/products of a known value along `axis` (exclusive, reverse as the attributes say). */
function cumulativeValue(ctx: OpContext, x: TensorType, axis: number, op: (a: Scalar, b: Scalar) => Scalar, identity: number): Scalar[] | undefined {
  const known = staticInput(x)
  if (known === undefined) return undefined
  const { dims, value } = known
  // symbolic dims only meet integers (see integersWithSymbols)
  if (value.some((v) => typeof v === 'string') && value.some((v) => typeof v === 'number' && !Number.isInteger(v))) return undefined
  const exclusive = ctx.attrInt('exclusive', 0) !== 0
  const reverse = ctx.attrInt('reverse', 0) !== 0
  const len = dims[axis]!
  const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1)
  const out = new Array<Scalar>(value.length)
  for (let base = 0; base < value.length; base += len * inner) {
    for (let j = 0; j < inner; j++) {
      let acc: Scalar = identity
      for (let k = 0; k < len; k++) {
        const i = base + (reverse ? len - 1 - k : k) * inner + j
        const next = op(acc, value[i]!)
        out[i] = normalizeScalar(x.dtype, exclusive ? acc : next) ?? 0
        acc = next
      }
    }
  }
  return out
}

/** CumSum / CumProd: one operation per element but the first of each row. */
function cumulative(what: string, op: (a: Scalar, b: Scalar) => Scalar, identity: number): OpRule {
  return {
    formula: `FLOPs = out − rows (${what}; a row is the 1-D slice along axis)`,
    infer(ctx) {
      const x = ctx.tensor(0)
      const axis = x.dims === undefined ? undefined : cumAxis(ctx, x.dims.length)
      return [tensorOf(x.dtype, x.dims, axis === undefined ? undefined : cumulativeValue(ctx, x, axis, op, identity))]
    },
    cost(ctx): OpCost {
      const dims = ctx.tensor(0).dims
      if (dims === undefined) return { macs: 0, flops: 0 }
      const axis = cumAxis(ctx, dims.length)
      const rows = axis === undefined ? ctx.freshDim('rows') : dimProduct(dims.filter((_, i) => i !== axis))
      return { macs: 0, flops: dimSub(dimProduct(dims), rows) }
    },
  }
}

/** Det over [*, M, M] → [*]. */
const DET: OpRule = {
  formula: 'FLOPs = batch·(4M³ − 3M² + 5M − 6)/6 (LU elimination: M(M−1)/2 divisions, (M−1)M(2M−1)/3 multiply-subtracts; M − 1 multiplications of the pivots)',
  infer(ctx) {
    const x = ctx.tensor(0)
    if (x.dims === undefined) return [tensorOf(x.dtype, undefined)]
    const dims = x.dims
    if (dims.length < 2) ctx.fail(`the input should have rank ≥ 2, not ${dims.length}`, dims)
    const m = dims[dims.length - 1]!
    const n = dims[dims.length - 2]!
    if (isStaticDim(m) && isStaticDim(n) && m !== n) ctx.fail(`the matrices should be square, not ${n}×${m}`, dims)
    return [tensorOf(x.dtype, dims.slice(0, -2))]
  },
  cost(ctx, outputs): OpCost {
    const x = ctx.tensor(0)
    const out = outputs[0]
    if (x.dims === undefined || out?.kind !== 'tensor') return { macs: 0, flops: 0 }
    const m = dimsOf(ctx, x)[x.dims.length - 1]!
    const m2 = dimMul(m, m)
    const poly = dimAdd(dimSub(dimMul(dimMul(m2, m), 4), dimMul(m2, 3)), dimSub(dimMul(m, 5), 6))
    return { macs: 0, flops: dimMul(numel(out.dims) ?? 0, dimFloorDiv(poly, 6)) }
  },
}

/** Softmax-like, cumulative ops and Det. */
export const AXIS_RULES: OpRuleTable = {
  // exp(x − max) / Σ exp(x − max), as the spec's function body: max and sum reductions, subtraction, exp, division
  Softmax: softmaxLike(`FLOPs = 5·out − 2·rows (max: out − rows, subtraction, exp, sum: out − rows, division); ${ROWS}`, 5, 2),
  // x − max − log Σ exp(x − max)
  LogSoftmax: softmaxLike(`FLOPs = 5·out − rows (max: out − rows, subtraction, exp, sum: out − rows, log: rows, subtraction); ${ROWS}`, 5, 1),
  // one-hot of the argmax: the comparisons of the argmax
  Hardmax: softmaxLike(`FLOPs = out − rows (comparisons of the argmax); ${ROWS}`, 1, 1),
  CumSum: cumulative('additions', dimAdd, 0),
  CumProd: cumulative('multiplications', dimMul, 1),
  Det: DET,
}
