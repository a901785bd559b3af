/**
 * Resampling: Resize (opsets 10–19+), Upsample (7: scales attribute, 9: scales input), and GridSample / AffineGrid
 * (grid-sample.ts).
 *
 * Output dims follow onnxruntime: floor(float32(scale)·in) per axis for scales; sizes as given, or rounded from one
 * common scale under keep_aspect_ratio_policy. The coordinate mode only matters for the cost.
 */
import { dimFloorDiv, dimMul, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { normalizeAxis, numel, staticValue, tensorOf } from './_helpers.js'
import { dimsValue, inputDims } from './_compute-utils.js'
import { interpolationFlops } from './_resample-utils.js'
import { GRID_RULES } from './grid-sample.js'

/** floor(in·scale) as onnxruntime computes it in float32; exact or a fresh symbol for a symbolic dim. */
function scaledDim(ctx: OpContext, d: Dim, scale: number, axis: number): Dim {
  if (isStaticDim(d)) return Math.floor(Math.fround(Math.fround(d) * Math.fround(scale)))
  if (scale === 1) return d
  if (Number.isInteger(scale) && scale > 0) return dimMul(d, scale)
  const inverse = 1 / scale
  if (Number.isInteger(inverse) && inverse > 0) return dimFloorDiv(d, inverse)
  return ctx.freshDim(`resized_${axis}`)
}

/** The axes a Resize's scales/sizes refer to (the `axes` attribute of opset 18+, else all). */
function resizeAxes(ctx: OpContext, rank: number): number[] {
  if (ctx.opset < 18 || !ctx.hasAttr('axes')) return Array.from({ length: rank }, (_, i) => i)
  return ctx.attrInts('axes').map((a) => normalizeAxis(ctx, a, rank))
}

function fromSizes(ctx: OpContext, x: readonly Dim[], axes: readonly number[], sizes: readonly Dim[]): Dim[] {
  if (sizes.length !== axes.length) ctx.fail(`sizes has ${sizes.length} values for ${axes.length} axes`, sizes)
  const out = [...x]
  const policy = ctx.opset >= 18 ? ctx.attrString('keep_aspect_ratio_policy', 'stretch') : 'stretch'
  if (policy === 'stretch') {
    axes.forEach((a, i) => (out[a] = sizes[i]!))
    return out
  }
  if (policy !== 'not_larger' && policy !== 'not_smaller') ctx.fail(`unknown keep_aspect_ratio_policy ${policy}`, policy)
  const inputs = axes.map((a) => x[a]!)
  if (!inputs.every(isStaticDim) || !sizes.every(isStaticDim)) {
    axes.forEach((a) => (out[a] = ctx.freshDim(`resized_${a}`)))
    return out
  }
  const ratios = inputs.map((d, i) => Math.fround((sizes[i] as number) / d))
  const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios)
  axes.forEach((a, i) => (out[a] = Math.round(Math.fround(scale * inputs[i]!))))
  return out
}

function fromScales(ctx: OpContext, x: readonly Dim[], axes: readonly number[], scales: readonly number[]): Dim[] {
  if (scales.length !== axes.length) ctx.fail(`scales has ${scales.length} values for ${axes.length} axes`, scales)
  if (scales.some((s) => !(s > 0))) ctx.fail('scales should be positive', scales)
  const out = [...x]
  axes.forEach((a, i) => (out[a] = scaledDim(ctx, x[a]!, scales[i]!, a)))
  return out
}

function resizeDims(ctx: OpContext): Dim[] {
  const x = inputDims(ctx, 0, 'X')
  const axes = resizeAxes(ctx, x.length)
  const fresh = (): Dim[] => {
    const out = [...x]
    axes.forEach((a) => (out[a] = ctx.freshDim(`resized_${a}`)))
    return out
  }
  if (ctx.opset < 11) {
    const scales = staticValue(ctx.tensor(1))
    return scales === undefined ? fresh() : fromScales(ctx, x, axes, scales)
  }
  // opset 11+: X, roi, scales, sizes; exactly one of scales/sizes is non-empty
  const sizesT = ctx.optionalTensor(3)
  const sizesGiven = sizesT !== undefined && numel(sizesT.dims) !== 0
  if (sizesGiven) {
    const sizes = dimsValue(sizesT)
    return sizes === undefined ? fresh() : fromSizes(ctx, x, axes, sizes)
  }
  const scalesT = ctx.optionalTensor(2)
  if (scalesT === undefined || numel(scalesT.dims) === 0) ctx.fail('one of scales and sizes must be given')
  const scales = staticValue(scalesT)
  return scales === undefined ? fresh() : fromScales(ctx, x, axes, scales)
}

function resampleCost(ctx: OpContext, mode: string, transform: string, outputs: Parameters<OpRule['cost']>[1]): { macs: Dim; flops: Dim } {
  const out = outputs[0]
  const inDims = ctx.tensor(0).dims
  if (out?.kind !== 'tensor' || out.dims === undefined || inDims === undefined) return { macs: 0, flops: 0 }
  const resized = out.dims.map((_, i) => i).filter((i) => out.dims![i] !== inDims[i])
  return { macs: 0, flops: interpolationFlops(out.dims, resized, mode, transform) }
}

const RESAMPLE_FORMULA =
  'FLOPs = out·i + Σ over resized axes of out_axis·c; i = 0 (nearest), 3·(2^d − 1) (linear), 7·(4^d − 1)/3 (cubic), d = resized axes; c = coordinate transform (asymmetric 1, align_corners 2, half_pixel 3, pytorch_half_pixel 4, half_pixel_symmetric 4, tf_crop_and_resize 5) + 1 (nearest rounding) / 2 (linear floor, fraction) / 26 (cubic floor, fraction, 4 weights); antialias filters counted as the plain ones'

const Resize: OpRule = {
  formula: RESAMPLE_FORMULA,
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, resizeDims(ctx))]
  },
  cost(ctx, outputs) {
    const transform = ctx.opset < 11 ? 'asymmetric' : ctx.attrString('coordinate_transformation_mode', 'half_pixel')
    return resampleCost(ctx, ctx.attrString('mode', 'nearest'), transform, outputs)
  },
}

const Upsample: OpRule = {
  formula:
    'FLOPs = out·i + Σ over resized axes of out_axis·c; i = 0 (nearest), 3·(2^d − 1) (linear), d = resized axes; c = 1 (asymmetric coordinate) + 1 (nearest rounding) / 2 (linear floor, fraction)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const axes = x.map((_, i) => i)
    const scales = ctx.opset < 9 ? ctx.attrFloats('scales') : staticValue(ctx.tensor(1))
    if (scales === undefined) return [tensorOf(ctx.tensor(0).dtype, x.map((_, i) => ctx.freshDim(`resized_${i}`)))]
    return [tensorOf(ctx.tensor(0).dtype, fromScales(ctx, x, axes, scales))]
  },
  cost(ctx, outputs) {
    return resampleCost(ctx, ctx.attrString('mode', 'nearest'), 'asymmetric', outputs)
  },
}

/** The resampling family's rules. */
export const RESIZE_RULES: OpRuleTable = {
  Resize,
  Upsample,
  ...GRID_RULES,
}
