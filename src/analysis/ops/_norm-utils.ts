/**
 * Cost formulas and stat-output shapes shared by the normalization rules.
 */
import type { DataTypeName } from '../../onnx/dtypes.js'
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule } from '../types.js'
import { normalizeAxis, tensorOf } from './_helpers.js'
import { dtypeFromCode, inputDims, pickOutputs } from './_compute-utils.js'

/** FLOPs of a mean/variance normalization of `elements` values in `groups` groups (7 or 6 per element, 5 per group). */
export function meanVarianceFlops(elements: Dim, groups: Dim, withBias: boolean): Dim {
  return dimAdd(dimMul(withBias ? 7 : 6, elements), dimMul(5, groups))
}

/** FLOPs of a root-mean-square normalization: x², Σ, × 1/rms, × scale per element; divide, + ε, √, reciprocal per group. */
export function rmsFlops(elements: Dim, groups: Dim): Dim {
  return dimAdd(dimMul(4, elements), dimMul(4, groups))
}

/** The stash type's dtype (Mean/InvStdDev outputs), float32 by default. */
export function stashType(ctx: OpContext): DataTypeName {
  return dtypeFromCode(ctx, ctx.attrInt('stash_type', 1), 'stash_type')
}

/** Dims of a normalization's per-group statistics: X's dims up to axis, then ones. */
export function statDims(dims: readonly Dim[], axis: number): Dim[] {
  return dims.map((d, i) => (i < axis ? d : 1))
}

/**
 * RMS normalization over the axes from `axis` on (ai.onnx RMSNormalization; onnxruntime's SimplifiedLayerNormalization,
 * whose optional output 1 is inv_std_var).
 */
export function rmsNormRule(): OpRule {
  return {
    formula: 'FLOPs = 4·in (x², sum, × 1/rms, × scale) + 4·groups (divide, + ε, √, reciprocal), groups = ∏X[:axis]',
    infer(ctx) {
      const xt = ctx.tensor(0)
      const x = inputDims(ctx, 0, 'X')
      const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
      return pickOutputs(ctx, [tensorOf(xt.dtype, x), tensorOf(stashType(ctx), statDims(x, axis))])
    },
    cost(ctx) {
      const x = inputDims(ctx, 0, 'X')
      const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
      return { macs: 0, flops: rmsFlops(dimProduct(x), dimProduct(x.slice(0, axis))) }
    },
  }
}
