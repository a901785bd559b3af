/**
 * Convolutions: Conv, ConvInteger, QLinearConv, DeformConv, Col2Im, and ConvTranspose (conv-transpose.ts).
 *
 * MACs follow torchvision's convention (what the published ResNet/MobileNet counts use): output elements × Cin/group ×
 * ∏kernel, nothing else. Bias additions, zero-point subtractions and requantization are FLOPs only.
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpCost, OpRule, OpRuleTable } from '../types.js'
import { dimsOf, numel, outputElements, tensorOf } from './_helpers.js'
import { dimsValue, divideDim, inputDims, intsValue, pickOutputs } from './_compute-utils.js'
import { convShape } from './_conv-utils.js'
import { CONV_TRANSPOSE_RULES } from './conv-transpose.js'

/** MACs of a convolution from its output and weights: out × W[1] (= Cin/group) × ∏W[2:]. */
function convMacsFromWeights(ctx: OpContext, out: Dim, wIndex: number): Dim {
  const w = dimsOf(ctx, ctx.tensor(wIndex), 'W')
  return dimMul(out, dimProduct(w.slice(1)))
}

/** Elements of an optional input (0 when absent). */
function optionalElements(ctx: OpContext, i: number): Dim {
  return numel(ctx.optionalTensor(i)?.dims) ?? 0
}

const Conv: OpRule = {
  formula: 'MACs = N·Cout·∏out_spatial·(Cin/group)·∏kernel; FLOPs = 2·MACs + out (bias, when B is given)',
  infer(ctx) {
    const shape = convShape(ctx, 0, 1)
    return [tensorOf(ctx.tensor(0).dtype, shape.out)]
  },
  cost(ctx, outputs) {
    const out = outputElements(outputs)
    const macs = convMacsFromWeights(ctx, out, 1)
    return { macs, flops: dimAdd(dimMul(2, macs), ctx.optionalTensor(2) === undefined ? 0 : out) }
  },
}

const ConvInteger: OpRule = {
  formula:
    'MACs = N·Cout·∏out_spatial·(Cin/group)·∏kernel; FLOPs = 2·MACs + in (x − x_zero_point, when given) + |W| (w − w_zero_point, when given)',
  infer(ctx) {
    const shape = convShape(ctx, 0, 1)
    return [tensorOf('int32', shape.out)]
  },
  cost(ctx, outputs) {
    const macs = convMacsFromWeights(ctx, outputElements(outputs), 1)
    const zeroPoints = dimAdd(
      ctx.optionalTensor(2) === undefined ? 0 : (numel(ctx.tensor(0).dims) ?? 0),
      ctx.optionalTensor(3) === undefined ? 0 : (numel(ctx.tensor(1).dims) ?? 0),
    )
    return { macs, flops: dimAdd(dimMul(2, macs), zeroPoints) }
  },
}

/** Requantizing one accumulator: × (x_scale·w_scale/y_scale), round, + y_zero_point, clamp (2 comparisons). */
const REQUANTIZE_FLOPS = 5

const QLinearConv: OpRule = {
  formula:
    'MACs = N·Cout·∏out_spatial·(Cin/group)·∏kernel; FLOPs = 2·MACs + in + |W| (zero-point subtractions) + out (bias, when B is given) + 5·out (requantize: scale, round, zero point, clamp)',
  infer(ctx) {
    const shape = convShape(ctx, 0, 3)
    const yZeroPoint = ctx.optionalTensor(7)
    return [tensorOf(yZeroPoint?.dtype ?? ctx.tensor(0).dtype, shape.out)]
  },
  cost(ctx, outputs) {
    const out = outputElements(outputs)
    const macs = convMacsFromWeights(ctx, out, 3)
    const zeroPoints = dimAdd(numel(ctx.tensor(0).dims) ?? 0, numel(ctx.tensor(3).dims) ?? 0)
    const bias = ctx.optionalTensor(8) === undefined ? 0 : out
    return { macs, flops: dimAdd(dimAdd(dimMul(2, macs), zeroPoints), dimAdd(bias, dimMul(REQUANTIZE_FLOPS, out))) }
  },
}

/** Bilinear sampling: per sampled value 4 mul + 3 add; per sampling location (shared by an offset group's channels) 12. */
const BILINEAR_PER_VALUE = 7
const BILINEAR_PER_LOCATION = 12

const DeformConv: OpRule = {
  formula:
    'MACs = N·Cout·∏out_spatial·(Cin/group)·∏kernel; FLOPs = 2·MACs + 12·L·offset_group (per sampling location: position, floor, fraction, 4 bilinear weights) + 7·L·Cin (bilinear interpolation of each sampled value: 4 mul, 3 add) + L·Cin (× mask, when given) + out (bias, when given), L = N·∏out_spatial·∏kernel',
  infer(ctx) {
    const shape = convShape(ctx, 0, 1)
    return [tensorOf(ctx.tensor(0).dtype, shape.out)]
  },
  cost(ctx, outputs) {
    const outDims = outputs[0]?.kind === 'tensor' ? outputs[0].dims : undefined
    if (outDims === undefined) return { macs: 0, flops: 0 }
    const out = dimProduct(outDims)
    const macs = convMacsFromWeights(ctx, out, 1)
    const x = inputDims(ctx, 0, 'X')
    const kernel = dimProduct(inputDims(ctx, 1, 'W').slice(2))
    const locations = dimMul(dimMul(x[0]!, dimProduct(outDims.slice(2))), kernel)
    const samples = dimMul(locations, x[1]!)
    const offsetGroup = ctx.attrInt('offset_group', 1)
    let flops = dimAdd(dimMul(2, macs), dimMul(BILINEAR_PER_VALUE, samples))
    flops = dimAdd(flops, dimMul(BILINEAR_PER_LOCATION * offsetGroup, locations))
    if (ctx.optionalTensor(4) !== undefined) flops = dimAdd(flops, samples)
    if (ctx.optionalTensor(3) !== undefined) flops = dimAdd(flops, out)
    return { macs, flops }
  },
}

const Col2Im: OpRule = {
  formula: 'FLOPs = in (each column element is accumulated into the image)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'input')
    if (x.length !== 3) ctx.fail(`input should have rank 3 (N, C·∏block, L), not ${x.length}`, x)
    const imageT = ctx.tensor(1)
    const blockT = ctx.tensor(2)
    const image = dimsValue(imageT)
    const block = intsValue(blockT)
    const rankDim = imageT.dims?.[0] ?? blockT.dims?.[0]
    const rank = image?.length ?? block?.length ?? (typeof rankDim === 'number' ? rankDim : undefined)
    if (rank === undefined) return [tensorOf(ctx.tensor(0).dtype, undefined)]
    if (image !== undefined && block !== undefined && image.length !== block.length) {
      ctx.fail('image_shape and block_shape have different lengths', [image, block])
    }
    const channels = block === undefined ? ctx.freshDim('channels') : divideDim(ctx, x[1]!, block.reduce((a, b) => a * b, 1), 'C·∏block_shape')
    const spatial: Dim[] = image ?? Array.from({ length: rank }, (_, i) => ctx.freshDim(`image_${i}`))
    return pickOutputs(ctx, [tensorOf(ctx.tensor(0).dtype, [x[0]!, channels, ...spatial])])
  },
  cost(ctx): OpCost {
    return { macs: 0, flops: optionalElements(ctx, 0) }
  },
}

/** The convolution family's rules. */
export const CONV_RULES: OpRuleTable = {
  Conv,
  ConvInteger,
  QLinearConv,
  DeformConv,
  Col2Im,
  ...CONV_TRANSPOSE_RULES,
}
