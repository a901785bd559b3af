/**
 * onnxruntime's contrib normalizations: com.microsoft::SkipLayerNormalization and SkipSimplifiedLayerNormalization
 * (residual add fused with LayerNorm / RMSNorm over the last axis) and SimplifiedLayerNormalization (RMSNorm, registered
 * by onnxruntime in the default domain).
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { broadcastDims, tensorOf } from './_helpers.js'
import { expectRank, inputDims, pickOutputs } from './_compute-utils.js'
import { meanVarianceFlops, rmsFlops, rmsNormRule, statDims } from './_norm-utils.js'

function skipRule(simplified: boolean): OpRule {
  // SkipLayerNormalization: input, skip, gamma, beta?, bias?; the simplified one: input, skip, gamma, bias?
  const biasIndex = simplified ? 3 : 4
  const norm = simplified ? '4·in + 4·rows (RMSNorm)' : '7·in (6 without beta) + 5·rows (LayerNorm)'
  return {
    formula: `FLOPs = in (+ skip) + in (+ bias, when given) + ${norm}, rows = in / hidden`,
    infer(ctx) {
      const xt = ctx.tensor(0)
      const x = inputDims(ctx, 0, 'input')
      expectRank(ctx, x, [2, 3], 'input')
      const skip = inputDims(ctx, 1, 'skip')
      broadcastDims(ctx, [x, skip])
      const stat = tensorOf('float32', statDims(x, x.length - 1))
      return pickOutputs(ctx, [tensorOf(xt.dtype, x), stat, stat, tensorOf(xt.dtype, x)])
    },
    cost(ctx: OpContext) {
      const x = inputDims(ctx, 0, 'input')
      const elements = dimProduct(x)
      const rows: Dim = dimProduct(x.slice(0, -1))
      const adds = dimMul(ctx.optionalTensor(biasIndex) === undefined ? 1 : 2, elements)
      const normFlops = simplified
        ? rmsFlops(elements, rows)
        : meanVarianceFlops(elements, rows, ctx.optionalTensor(3) !== undefined)
      return { macs: 0, flops: dimAdd(adds, normFlops) }
    },
  }
}

/** The contrib normalization rules, merged into NORM_RULES. */
export const MS_NORM_RULES: OpRuleTable = {
  'com.microsoft::SkipLayerNormalization': skipRule(false),
  'com.microsoft::SkipSimplifiedLayerNormalization': skipRule(true),
  SimplifiedLayerNormalization: rmsNormRule(),
  'com.microsoft::SimplifiedLayerNormalization': rmsNormRule(),
}
