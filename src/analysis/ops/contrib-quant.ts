/**
 * onnxruntime's quantized contrib ops (com.microsoft): the weight-quantized products MatMulNBits, DynamicQuantizeMatMul,
 * MatMulIntegerToFloat, and the QLinear element-wise ops QLinearAdd, QLinearMul, QLinearSigmoid,
 * QLinearGlobalAveragePool, QLinearConcat.
 *
 * Products are MACs as for MatMul. The QLinear ops count the spec's formula literally: dequantize (− zero point,
 * × scale), the float op, quantize (÷ scale, round, + zero point, saturate: 2 comparisons) — onnxruntime may use
 * lookup tables, but the count follows the definition, as everywhere else.
 */
import { dimAdd, dimMul, dimProduct, dimSum, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { broadcastDims, normalizeAxis, numel, outputElements, tensorOf } from './_helpers.js'
import { expectSameDim, inputDims } from './_compute-utils.js'
import { matmulProduct } from './matmul.js'

const MS = 'com.microsoft'

function elements(ctx: OpContext, i: number): Dim {
  return numel(ctx.optionalTensor(i)?.dims) ?? 0
}

function has(ctx: OpContext, i: number): number {
  return ctx.optionalTensor(i) === undefined ? 0 : 1
}

interface NBitsProduct {
  readonly out: Dim[]
  readonly macs: Dim
  readonly k: number
  readonly n: number
}

function nbitsProduct(ctx: OpContext): NBitsProduct {
  const a = inputDims(ctx, 0, 'A')
  if (a.length === 0) ctx.fail('A should have rank ≥ 1')
  const k = ctx.attrInt('K')
  const n = ctx.attrInt('N')
  const bits = ctx.attrInt('bits', 4)
  if (bits < 2 || bits > 8) ctx.fail(`bits should be in [2, 8], not ${bits}`, bits)
  if (ctx.attrInt('block_size') < 1) ctx.fail('block_size should be positive', ctx.attrInt('block_size'))
  expectSameDim(ctx, a[a.length - 1], k, 'the last dim of A ≠ K')
  const rows = a.slice(0, -1)
  return { out: [...rows, n], macs: dimMul(dimProduct(rows), k * n), k, n }
}

// the weights are a packed N×K matrix of `bits`-bit integers, dequantized (w − zero_point)·scale before the product
const MatMulNBits: OpRule = {
  formula:
    'MACs = ∏A[:-1]·N·K (as MatMul; B is the packed N×K weight); FLOPs = 2·MACs + 2·N·K (dequantize each weight: − zero point, × scale) + out (+ bias, when given)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, nbitsProduct(ctx).out)]
  },
  cost(ctx, outputs) {
    const { macs, k, n } = nbitsProduct(ctx)
    const bias = dimMul(has(ctx, 5), outputElements(outputs))
    return { macs, flops: dimAdd(dimAdd(dimMul(2, macs), 2 * k * n), bias) }
  },
}

function product(ctx: OpContext): { out: Dim[]; macs: Dim } {
  return matmulProduct(ctx, inputDims(ctx, 0, 'A'), inputDims(ctx, 1, 'B'))
}

// A is quantized at run time as DynamicQuantizeLinear does (7·|A| + 7), then an integer product, scaled back
const DynamicQuantizeMatMul: OpRule = {
  formula:
    'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + 7·|A| + 7 (quantize A: min, max, scale and zero point, ÷, round, + zero point, saturate) + |A| (− a_zero_point) + |B| (− b_zero_point, when given) + out (× a_scale·b_scale) + out (+ bias, when given)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, product(ctx).out)]
  },
  cost(ctx, outputs) {
    const { macs } = product(ctx)
    const a = elements(ctx, 0)
    const extra = dimSum([dimMul(8, a), 7, dimMul(has(ctx, 3), elements(ctx, 1)), dimMul(1 + has(ctx, 4), outputElements(outputs))])
    return { macs, flops: dimAdd(dimMul(2, macs), extra) }
  },
}

const MatMulIntegerToFloat: OpRule = {
  formula:
    'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + |A| (− a_zero_point, when given) + |B| (− b_zero_point, when given) + out (× a_scale·b_scale) + out (+ bias, when given)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(2).dtype, product(ctx).out)]
  },
  cost(ctx, outputs) {
    const { macs } = product(ctx)
    const zeroPoints = dimAdd(dimMul(has(ctx, 4), elements(ctx, 0)), dimMul(has(ctx, 5), elements(ctx, 1)))
    return { macs, flops: dimSum([dimMul(2, macs), zeroPoints, dimMul(1 + has(ctx, 6), outputElements(outputs))]) }
  },
}

/** A QLinear binary op: A at 0, B at 3, broadcast; the result has A's type. */
function qlinearBinary(formula: string, perOut: number, once: number): OpRule {
  return {
    formula,
    infer(ctx) {
      const a = ctx.tensor(0)
      const b = ctx.tensor(3)
      if (a.dtype !== b.dtype) ctx.fail(`A and B should have the same type, not ${a.dtype} and ${b.dtype}`)
      return [tensorOf(a.dtype, broadcastDims(ctx, [inputDims(ctx, 0, 'A'), inputDims(ctx, 3, 'B')]))]
    },
    cost(_ctx, outputs) {
      return { macs: 0, flops: dimAdd(dimMul(perOut, outputElements(outputs)), once) }
    },
  }
}

// C = (A_scale·(A − A_zp) + B_scale·(B − B_zp)) / C_scale + C_zp, then round and saturate
const QLinearAdd = qlinearBinary(
  'FLOPs = 10·out (A_scale·(A − A_zp), B_scale·(B − B_zp), +, ÷ C_scale, + C_zp, round, saturate: 2 comparisons)',
  10, 0,
)

// C = ((A − A_zp)·(B − B_zp))·(A_scale·B_scale) / C_scale + C_zp, then round and saturate
const QLinearMul = qlinearBinary(
  'FLOPs = 9·out ((A − A_zp)·(B − B_zp), × (A_scale·B_scale), ÷ C_scale, + C_zp, round, saturate: 2 comparisons) + 1 (A_scale·B_scale)',
  9, 1,
)

// quantize(Sigmoid(dequantize(x)))
const QLinearSigmoid: OpRule = {
  formula: 'FLOPs = 11·out (dequantize: − zero point, × scale; sigmoid (4); quantize: ÷ scale, round, + zero point, saturate: 2 comparisons)',
  infer(ctx) {
    const x = ctx.tensor(0)
    return [tensorOf(x.dtype, x.dims)]
  },
  cost(_ctx, outputs) {
    return { macs: 0, flops: dimMul(11, outputElements(outputs)) }
  },
}

// Dequantize(X) → GlobalAveragePool → Quantize; channels_last puts C last
const QLinearGlobalAveragePool: OpRule = {
  formula:
    'FLOPs = 2·in (dequantize: − zero point, × scale) + in (in − out adds, out divides) + 5·out (quantize: ÷ scale, round, + zero point, saturate: 2 comparisons)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
    const out = ctx.attrInt('channels_last', 0) !== 0
      ? [x[0]!, ...x.slice(1, -1).map(() => 1), x[x.length - 1]!]
      : [x[0]!, x[1]!, ...x.slice(2).map(() => 1)]
    return [tensorOf(ctx.tensor(0).dtype, out)]
  },
  cost(ctx, outputs) {
    const input = elements(ctx, 0)
    return { macs: 0, flops: dimAdd(dimMul(3, input), dimMul(5, outputElements(outputs))) }
  },
}

/** Dims of QLinearConcat's tensors: (tensor, scale, zero point) triples after Y_scale and Y_zero_point. */
function concatParts(ctx: OpContext): (readonly Dim[])[] {
  const tail = ctx.node.inputs.length - 2
  if (tail < 3 || tail % 3 !== 0) ctx.fail(`the inputs after Y_scale and Y_zero_point should be (tensor, scale, zero point) triples, not ${tail} inputs`, tail)
  return Array.from({ length: tail / 3 }, (_, i) => inputDims(ctx, 2 + 3 * i, `input ${i}`))
}

// every element is requantized from its input's scale and zero point to Y's
const QLinearConcat: OpRule = {
  formula: 'FLOPs = 7·out (requantize each element: − zero point, × scale, ÷ Y_scale, round, + Y_zero_point, saturate: 2 comparisons)',
  infer(ctx) {
    const parts = concatParts(ctx)
    const first = parts[0]!
    const axis = normalizeAxis(ctx, ctx.attrInt('axis'), first.length)
    const out = [...first]
    for (const [j, p] of parts.slice(1).entries()) {
      if (p.length !== first.length) ctx.fail(`input ${j + 1} has rank ${p.length}, not ${first.length}`, p)
      p.forEach((d, i) => { if (i !== axis) expectSameDim(ctx, d, first[i], `input ${j + 1} differs in dim ${i}`) })
    }
    out[axis] = dimSum(parts.map((p) => p[axis]!))
    // Y has Y_zero_point's type
    return [tensorOf(ctx.optionalTensor(1)?.dtype ?? ctx.tensor(2).dtype, out)]
  },
  cost(_ctx, outputs) {
    return { macs: 0, flops: dimMul(7, outputElements(outputs)) }
  },
}

/** The quantized contrib rules, merged into CONTRIB_RULES. */
export const CONTRIB_QUANT_RULES: OpRuleTable = {
  [`${MS}::MatMulNBits`]: MatMulNBits,
  [`${MS}::DynamicQuantizeMatMul`]: DynamicQuantizeMatMul,
  [`${MS}::MatMulIntegerToFloat`]: MatMulIntegerToFloat,
  [`${MS}::QLinearAdd`]: QLinearAdd,
  [`${MS}::QLinearMul`]: QLinearMul,
  [`${MS}::QLinearSigmoid`]: QLinearSigmoid,
  [`${MS}::QLinearGlobalAveragePool`]: QLinearGlobalAveragePool,
  [`${MS}::QLinearConcat`]: QLinearConcat,
}
