/**
 * Pooling: MaxPool, AveragePool, LpPool, their Global variants, MaxUnpool, MaxRoiPool, RoiAlign.
 *
 * Output sizes follow onnxruntime's PoolAttributes (ceil_mode, dilations, SAME_* auto padding). FLOPs count a full
 * kernel window per output: K − 1 comparisons for max, K − 1 adds and a divide for average (padded positions included,
 * whatever count_include_pad says: it only changes the divisor).
 */
import { dimAdd, dimMul, dimProduct, dimSub, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { numel, outputElements, tensorOf } from './_helpers.js'
import { countDiff, dimsValue, expectRank, inputDims, pickOutputs } from './_compute-utils.js'
import { poolOutputDims, readWindowAttrs } from './_window-utils.js'

function kernelOf(ctx: OpContext, spatialRank: number): readonly number[] {
  const k = ctx.attrInts('kernel_shape')
  if (k.length !== spatialRank) ctx.fail(`kernel_shape has ${k.length} values for ${spatialRank} spatial axes`, k)
  if (k.some((v) => v <= 0)) ctx.fail('kernel_shape values should be positive', k)
  return k
}

function poolDims(ctx: OpContext): Dim[] {
  const x = inputDims(ctx, 0, 'X')
  if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
  const attrs = readWindowAttrs(ctx, kernelOf(ctx, x.length - 2))
  const ceilMode = ctx.attrInt('ceil_mode', 0) !== 0
  return [x[0]!, x[1]!, ...poolOutputDims(ctx, x.slice(2), attrs, ceilMode)]
}

function windowSize(ctx: OpContext): number {
  return ctx.attrInts('kernel_shape').reduce((a, b) => a * b, 1)
}

const MaxPool: OpRule = {
  formula: 'FLOPs = out·(∏kernel − 1) (comparisons)',
  infer(ctx) {
    const dims = poolDims(ctx)
    // Indices (opset 8+) are int64 positions in the flattened input
    return pickOutputs(ctx, [tensorOf(ctx.tensor(0).dtype, dims), tensorOf('int64', dims)])
  },
  cost(ctx, outputs) {
    return { macs: 0, flops: dimMul(outputElements(outputs), windowSize(ctx) - 1) }
  },
}

const AveragePool: OpRule = {
  formula: 'FLOPs = out·∏kernel (∏kernel − 1 adds and a divide)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, poolDims(ctx))]
  },
  cost(ctx, outputs) {
    return { macs: 0, flops: dimMul(outputElements(outputs), windowSize(ctx)) }
  },
}

const LpPool: OpRule = {
  formula: 'FLOPs = 3·∏kernel·out (|x| and ^p per window element, the adds, the final root)',
  infer(ctx) {
    return [tensorOf(ctx.tensor(0).dtype, poolDims(ctx))]
  },
  cost(ctx, outputs) {
    return { macs: 0, flops: dimMul(outputElements(outputs), 3 * windowSize(ctx)) }
  },
}

function globalRule(formula: string, flops: (input: Dim, out: Dim) => Dim): OpRule {
  return {
    formula,
    infer(ctx) {
      const x = inputDims(ctx, 0, 'X')
      if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
      return [tensorOf(ctx.tensor(0).dtype, [x[0]!, x[1]!, ...x.slice(2).map(() => 1)])]
    },
    cost(ctx, outputs) {
      return { macs: 0, flops: flops(numel(ctx.tensor(0).dims) ?? 0, outputElements(outputs)) }
    },
  }
}

const MaxUnpool: OpRule = {
  formula: 'FLOPs = 0 (a scatter)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
    const dtype = ctx.tensor(0).dtype
    const shapeInput = ctx.optionalTensor(2)
    if (shapeInput !== undefined) {
      const known = dimsValue(shapeInput)
      if (known !== undefined) {
        if (known.length !== x.length) ctx.fail(`output_shape has ${known.length} values for rank ${x.length}`, known)
        return [tensorOf(dtype, known)]
      }
      return [tensorOf(dtype, [x[0]!, x[1]!, ...x.slice(2).map((_, i) => ctx.freshDim(`output_${i + 2}`))])]
    }
    const attrs = readWindowAttrs(ctx, kernelOf(ctx, x.length - 2))
    const r = x.length - 2
    const spatial = x.slice(2).map((d, i) => {
      const full = dimAdd(dimMul(dimSub(d, 1), attrs.strides[i]!), attrs.kernel[i]!)
      return dimSub(full, attrs.pads[i]! + attrs.pads[i + r]!)
    })
    return [tensorOf(dtype, [x[0]!, x[1]!, ...spatial])]
  },
  cost() {
    return { macs: 0, flops: 0 }
  },
}

const MaxRoiPool: OpRule = {
  formula: 'FLOPs = out·(b − 1) comparisons, b = elements of a bin (data-dependent: a symbol)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const rois = inputDims(ctx, 1, 'rois')
    expectRank(ctx, x, 4, 'X')
    expectRank(ctx, rois, 2, 'rois')
    const pooled = ctx.attrInts('pooled_shape')
    if (pooled.length !== 2) ctx.fail('pooled_shape should have 2 values', pooled)
    return [tensorOf(ctx.tensor(0).dtype, [rois[0]!, x[1]!, ...pooled])]
  },
  cost(ctx, outputs) {
    return { macs: 0, flops: dimMul(outputElements(outputs), dimSub(ctx.freshDim('bin_elements'), 1)) }
  },
}

const RoiAlign: OpRule = {
  formula:
    'FLOPs = out·s·(7 bilinear + 1 accumulate) (− out for max mode) + 12·R·oh·ow·s (sample positions and weights), s = samples per bin (sampling_ratio², or data-dependent when 0)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const rois = inputDims(ctx, 1, 'rois')
    expectRank(ctx, x, 4, 'X')
    expectRank(ctx, rois, 2, 'rois')
    const h = ctx.attrInt('output_height', 1)
    const w = ctx.attrInt('output_width', 1)
    return [tensorOf(ctx.tensor(0).dtype, [rois[0]!, x[1]!, h, w])]
  },
  cost(ctx, outputs) {
    const ratio = ctx.attrInt('sampling_ratio', 0)
    const samples: Dim = ratio > 0 ? ratio * ratio : ctx.freshDim('samples_per_bin')
    const out = outputElements(outputs)
    const rois = inputDims(ctx, 1, 'rois')
    const bins = dimProduct([rois[0]!, ctx.attrInt('output_height', 1), ctx.attrInt('output_width', 1)])
    let flops = dimAdd(dimMul(dimMul(out, samples), 8), dimMul(dimMul(bins, samples), 12))
    if (ctx.attrString('mode', 'avg') === 'max') flops = countDiff(flops, out)
    return { macs: 0, flops }
  },
}

/** The pooling family's rules. */
export const POOL_RULES: OpRuleTable = {
  MaxPool,
  AveragePool,
  LpPool,
  GlobalAveragePool: globalRule('FLOPs = in (in − out adds, out divides)', (input) => input),
  GlobalMaxPool: globalRule('FLOPs = in − out (comparisons)', (input, out) => countDiff(input, out)),
  GlobalLpPool: globalRule('FLOPs = 3·in (|x|, ^p, add per element; the roots)', (input) => dimMul(3, input)),
  MaxUnpool,
  MaxRoiPool,
  RoiAlign,
}
