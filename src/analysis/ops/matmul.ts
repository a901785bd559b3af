/**
 * Matrix products: MatMul, MatMulInteger, QLinearMatMul, Gemm, com.microsoft::FusedMatMul, and Einsum (einsum.ts).
 *
 * MACs = ∏batch·M·N·K for every product, activation × activation included (torchvision counts matmul/bmm the same way);
 * Gemm's C, alpha and beta, zero points and requantization are FLOPs only.
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpCost, OpRule, OpRuleTable } from '../types.js'
import { broadcastDims, numel, outputElements, tensorOf } from './_helpers.js'
import { expectSameDim, inputDims } from './_compute-utils.js'
import { EINSUM_RULES } from './einsum.js'

/** A matrix product's output dims and its MACs. */
interface Product {
  readonly out: Dim[]
  readonly macs: Dim
}

/** numpy.matmul semantics: 1-D operands are promoted (and the promoted dim dropped), batch dims broadcast. */
export function matmulProduct(ctx: OpContext, a: readonly Dim[], b: readonly Dim[]): Product {
  if (a.length === 0 || b.length === 0) ctx.fail('MatMul operands must have rank ≥ 1', [a, b])
  const a2 = a.length === 1 ? [1, a[0]!] : a
  const b2 = b.length === 1 ? [b[0]!, 1] : b
  const m = a2[a2.length - 2]!
  const k = a2[a2.length - 1]!
  const kb = b2[b2.length - 2]!
  const n = b2[b2.length - 1]!
  expectSameDim(ctx, k, kb, 'the inner dimensions of the product differ')
  const batch = broadcastDims(ctx, [a2.slice(0, -2), b2.slice(0, -2)])
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])]
  return { out, macs: dimMul(dimProduct(batch), dimMul(dimMul(m, n), k)) }
}

function productOf(ctx: OpContext, ai: number, bi: number): Product {
  return matmulProduct(ctx, inputDims(ctx, ai, 'A'), inputDims(ctx, bi, 'B'))
}

function elements(ctx: OpContext, i: number): Dim {
  return numel(ctx.optionalTensor(i)?.dims) ?? 0
}

const MatMul: OpRule = {
  formula: 'MACs = ∏batch·M·N·K; FLOPs = 2·MACs',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, productOf(ctx, 0, 1).out)]
  },
  cost(ctx) {
    const { macs } = productOf(ctx, 0, 1)
    return { macs, flops: dimMul(2, macs) }
  },
}

const MatMulInteger: OpRule = {
  formula: 'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + |A| (a − a_zero_point, when given) + |B| (b − b_zero_point, when given)',
  infer(ctx) {
    return [tensorOf('int32', productOf(ctx, 0, 1).out)]
  },
  cost(ctx) {
    const { macs } = productOf(ctx, 0, 1)
    const zeroPoints = dimAdd(
      ctx.optionalTensor(2) === undefined ? 0 : elements(ctx, 0),
      ctx.optionalTensor(3) === undefined ? 0 : elements(ctx, 1),
    )
    return { macs, flops: dimAdd(dimMul(2, macs), zeroPoints) }
  },
}

const QLinearMatMul: OpRule = {
  formula: 'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + |A| + |B| (zero-point subtractions) + 5·out (requantize: scale, round, zero point, clamp)',
  infer(ctx) {
    // inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
    const yZeroPoint = ctx.optionalTensor(7)
    return [tensorOf(yZeroPoint?.dtype ?? ctx.tensor(0).dtype, productOf(ctx, 0, 3).out)]
  },
  cost(ctx, outputs) {
    const { macs } = productOf(ctx, 0, 3)
    const zeroPoints = dimAdd(elements(ctx, 0), elements(ctx, 3))
    return { macs, flops: dimAdd(dimAdd(dimMul(2, macs), zeroPoints), dimMul(5, outputElements(outputs))) }
  },
}

/** Gemm's A and B as [M, K] and [K, N] after transA/transB. */
function gemmProduct(ctx: OpContext): Product {
  const a = inputDims(ctx, 0, 'A')
  const b = inputDims(ctx, 1, 'B')
  if (a.length !== 2 || b.length !== 2) ctx.fail(`Gemm needs 2-D A and B, not ranks ${a.length} and ${b.length}`, [a, b])
  const [m, ka] = ctx.attrInt('transA', 0) !== 0 ? [a[1]!, a[0]!] : [a[0]!, a[1]!]
  const [kb, n] = ctx.attrInt('transB', 0) !== 0 ? [b[1]!, b[0]!] : [b[0]!, b[1]!]
  expectSameDim(ctx, ka, kb, 'the inner dimensions of the product differ')
  return { out: [m, n], macs: dimMul(dimMul(m, n), ka) }
}

const Gemm: OpRule = {
  formula:
    'MACs = M·N·K; FLOPs = 2·MACs + out (× alpha, when alpha ≠ 1) + out (+ C, when given) + out (× beta, when C is given and beta ≠ 1)',
  infer(ctx) {
    const { out } = gemmProduct(ctx)
    const c = ctx.optionalTensor(2)
    // C must broadcast to [M, N] (unidirectionally)
    if (c?.dims !== undefined) {
      if (c.dims.length > 2) ctx.fail(`C should have rank ≤ 2, not ${c.dims.length}`, c.dims)
      broadcastDims(ctx, [out, c.dims])
    }
    return [tensorOf(ctx.tensor(0).dtype, out)]
  },
  cost(ctx, outputs): OpCost {
    const { macs } = gemmProduct(ctx)
    const out = outputElements(outputs)
    let flops = dimMul(2, macs)
    if (ctx.attrFloat('alpha', 1) !== 1) flops = dimAdd(flops, out)
    if (ctx.optionalTensor(2) !== undefined) {
      flops = dimAdd(flops, out)
      if (ctx.attrFloat('beta', 1) !== 1) flops = dimAdd(flops, out)
    }
    return { macs, flops }
  },
}

/**
 * FusedMatMul's operand as a plain [batch…, rows, cols] matrix, as onnxruntime's FusedMatMulShapeInference reads it:
 * transBatch moves the leading dim into the row slot, trans swaps rows and cols; vectors are left alone.
 */
function fusedOperand(dims: readonly Dim[], trans: boolean, transBatch: boolean): Dim[] {
  const r = dims.length
  if (r < 2) return [...dims]
  const batch = transBatch ? dims.slice(1, r - 1) : dims.slice(0, r - 2)
  const rowsIdx = transBatch ? 0 : r - 2
  return trans ? [...batch, dims[r - 1]!, dims[rowsIdx]!] : [...batch, dims[rowsIdx]!, dims[r - 1]!]
}

function fusedProduct(ctx: OpContext): Product {
  const a = fusedOperand(inputDims(ctx, 0, 'A'), ctx.attrInt('transA', 0) !== 0, ctx.attrInt('transBatchA', 0) !== 0)
  const b = fusedOperand(inputDims(ctx, 1, 'B'), ctx.attrInt('transB', 0) !== 0, ctx.attrInt('transBatchB', 0) !== 0)
  return matmulProduct(ctx, a, b)
}

const FusedMatMul: OpRule = {
  formula: 'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + out (× alpha, when alpha ≠ 1)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, fusedProduct(ctx).out)]
  },
  cost(ctx, outputs) {
    const { macs } = fusedProduct(ctx)
    const alpha = ctx.attrFloat('alpha', 1) !== 1 ? outputElements(outputs) : 0
    return { macs, flops: dimAdd(dimMul(2, macs), alpha) }
  },
}

/** The matrix-product family's rules. */
export const MATMUL_RULES: OpRuleTable = {
  MatMul,
  MatMulInteger,
  QLinearMatMul,
  Gemm,
  'com.microsoft::FusedMatMul': FusedMatMul,
  ...EINSUM_RULES,
}
