/**
 * Activations (ai.onnx and the com.microsoft GELU family), Where and Clip.
 *
 * Cost convention: each arithmetic operation, comparison, min/max or elementary function of the op's defining
 * formula in the spec is 1 FLOP per element; a piecewise function counts its comparison plus its costlier branch.
 */
import type { OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { perElementCost, tensorOf } from './_helpers.js'
import { broadcastValue, integersWithSymbols, maxScalar, minScalar, normalizeScalar, signRange } from './_elementwise-utils.js'
import { unaryRule, variadicDims } from './elementwise-base.js'

/** An activation whose value is not propagated (never shape arithmetic). */
function act(flops: number, what: string): OpRule {
  return unaryRule({ flops, what })
}

const ACTIVATIONS: OpRuleTable = {
  // max(0, x); a symbol is a size, so ≥ 0
  Relu: unaryRule({
    flops: 1, what: 'max',
    value: () => (x) => (typeof x === 'number' ? Math.max(0, x) : signRange(x)[0] >= 0 ? x : undefined),
  }),
  LeakyRelu: act(2, 'comparison, multiplication'),
  ThresholdedRelu: act(1, 'comparison'),
  // x < 0 ? α·(eˣ − 1) : x
  Elu: act(4, 'comparison, exp, subtraction, multiplication'),
  // x ≤ 0 ? γ·(α·eˣ − α) : γ·x
  Selu: act(5, 'comparison, exp, 2 multiplications, subtraction'),
  // max(0, x) + min(0, α·(exp(x/α) − 1))
  Celu: act(7, 'max, division, exp, subtraction, multiplication, min, addition'),
  // 1 / (1 + e⁻ˣ)
  Sigmoid: act(4, 'negation, exp, addition, division'),
  // max(0, min(1, α·x + β))
  HardSigmoid: act(4, 'multiplication, addition, min, max'),
  // x · HardSigmoid(x) with α = 1/6, β = 0.5
  HardSwish: act(5, 'multiplication, addition, min, max, multiplication'),
  // log(eˣ + 1)
  Softplus: act(3, 'exp, addition, log'),
  // x / (1 + |x|)
  Softsign: act(3, 'abs, addition, division'),
  // x · tanh(softplus(x))
  Mish: act(5, 'exp, addition, log, tanh, multiplication'),
  // x · sigmoid(α·x)
  Swish: act(6, 'multiplication, sigmoid (4), multiplication'),
  // x < −λ ? x + bias : x > λ ? x − bias : 0
  Shrink: act(3, '2 comparisons, addition'),
  Gelu: {
    formula: 'FLOPs = 5·out (division, erf, addition, 2 multiplications); approximate=tanh: 8·out (pow, 4 multiplications, 2 additions, tanh)',
    infer: (ctx) => [ctx.tensor(0)].map((x) => tensorOf(x.dtype, x.dims)),
    cost: (ctx, outputs) => perElementCost(outputs, ctx.attrString('approximate', 'none') === 'tanh' ? 8 : 5),
  },
}

/** The contrib activations of onnxruntime (com.microsoft domain). */
const CONTRIB: OpRuleTable = {
  // 0.5·x·(1 + erf(x/√2))
  'com.microsoft::Gelu': act(5, 'division, erf, addition, 2 multiplications'),
  // 0.5·x·(1 + tanh(0.7978845608·x + 0.0356774·x³)) on x (+ bias: broadcast along the last axis)
  'com.microsoft::FastGelu': {
    formula: 'FLOPs = 8·out (pow, 4 multiplications, 2 additions, tanh) + out with the bias (addition)',
    infer: (ctx) => [ctx.tensor(0)].map((x) => tensorOf(x.dtype, x.dims)),
    cost: (ctx, outputs) => perElementCost(outputs, ctx.optionalTensor(1) === undefined ? 8 : 9),
  },
  // Gelu(A + bias)
  'com.microsoft::BiasGelu': act(6, 'addition, then Gelu: division, erf, addition, 2 multiplications'),
  // x · sigmoid(α·x)
  'com.microsoft::QuickGelu': act(6, 'multiplication, sigmoid (4), multiplication'),
}

/** Where(cond, X, Y): a selection, no arithmetic. */
const WHERE: OpRule = {
  formula: 'FLOPs = 0 (a selection: no arithmetic)',
  infer(ctx) {
    const inputs = [ctx.tensor(0), ctx.tensor(1), ctx.tensor(2)]
    const dims = variadicDims(ctx, inputs)
    const dtype = inputs[1]!.dtype
    const value = broadcastValue(dims, inputs, (c, x, y) => {
      if (typeof c !== 'number') return undefined
      return c !== 0 ? x : y
    })
    return [tensorOf(dtype, dims, value)]
  },
  cost: () => ({ macs: 0, flops: 0 }),
}

/** Clip's bounds: attributes before opset 11, optional inputs since. */
function clipBounds(ctx: Parameters<OpRule['infer']>[0]): { count: number; min: TensorType | undefined; max: TensorType | undefined } {
  if (ctx.opset < 11) {
    const scalar = (v: number): TensorType => ({ kind: 'tensor', dtype: 'float32', dims: [], value: [v] })
    const min = ctx.hasAttr('min') ? scalar(ctx.attrFloat('min')) : undefined
    const max = ctx.hasAttr('max') ? scalar(ctx.attrFloat('max')) : undefined
    return { count: (min ? 1 : 0) + (max ? 1 : 0), min, max }
  }
  const min = ctx.optionalTensor(1)
  const max = ctx.optionalTensor(2)
  return { count: (min ? 1 : 0) + (max ? 1 : 0), min, max }
}

/** Clip: min(max(x, lo), hi); one comparison per bound given. */
const CLIP: OpRule = {
  formula: 'FLOPs = k·out (max with the lower bound, min with the upper; k = number of bounds given)',
  infer(ctx) {
    const x = ctx.tensor(0)
    const { min, max } = clipBounds(ctx)
    // a bound is usable when absent or a known scalar
    const bound = (t: TensorType | undefined): Scalar | null | undefined => (t === undefined ? null : t.value?.length === 1 ? t.value[0] : undefined)
    const lo = bound(min)
    const hi = bound(max)
    const value =
      lo === undefined || hi === undefined
        ? undefined
        : broadcastValue(x.dims, [x], (v) => {
            const above = lo === null ? v : integersWithSymbols(maxScalar)(v, lo)
            return normalizeScalar(x.dtype, hi === null || above === undefined ? above : integersWithSymbols(minScalar)(above, hi))
          })
    return [tensorOf(x.dtype, x.dims, value)]
  },
  cost: (ctx, outputs) => perElementCost(outputs, clipBounds(ctx).count),
}

/** Activations, Where and Clip. */
export const ACTIVATION_RULES: OpRuleTable = { ...ACTIVATIONS, ...CONTRIB, Where: WHERE, Clip: CLIP }
