/**
 * ConvTranspose. Its MACs are counted on the input side, as torchvision/fvcore do: every input element is multiplied
 * by a (Cout/group)·∏kernel slice of the weights, N·Cin·∏in_spatial·(Cout/group)·∏kernel in all (independent of
 * strides, pads and output_padding, which only decide where the products land).
 */
import { dimAdd, dimMul, dimProduct, isStaticDim } from '../dims.js'
import type { OpRule, OpRuleTable } from '../types.js'
import { numel, outputElements, tensorOf } from './_helpers.js'
import { expectSameDim, inputDims } from './_compute-utils.js'
import { kernelShape } from './_conv-utils.js'
import { convTransposeOutputDims, readWindowAttrs } from './_window-utils.js'

const ConvTranspose: OpRule = {
  formula: 'MACs = N·Cin·∏in_spatial·(Cout/group)·∏kernel; FLOPs = 2·MACs + out (bias, when B is given)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const w = inputDims(ctx, 1, 'W')
    if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
    if (w.length !== x.length) ctx.fail(`W has rank ${w.length} but X has rank ${x.length}`, [x, w])
    const group = ctx.attrInt('group', 1)
    if (group <= 0) ctx.fail(`group should be positive, not ${group}`, group)
    // W is [Cin, Cout/group, k…]
    expectSameDim(ctx, x[1], w[0], 'input channels ≠ W dim 0')
    if (isStaticDim(x[1]) && x[1] % group !== 0) ctx.fail(`input channels ${x[1]} are not divisible by group ${group}`, x[1])
    const kernel = kernelShape(ctx, w.slice(2))
    const attrs = readWindowAttrs(ctx, kernel)
    const outputPadding = ctx.attrInts('output_padding', [])
    if (outputPadding.length !== 0 && outputPadding.length !== kernel.length) {
      ctx.fail(`output_padding should have ${kernel.length} values, not ${outputPadding.length}`, outputPadding)
    }
    const spatial = convTransposeOutputDims(ctx, x.slice(2), attrs, outputPadding, ctx.attrInts('output_shape', []))
    return [tensorOf(ctx.tensor(0).dtype, [x[0]!, dimMul(w[1]!, group), ...spatial])]
  },
  cost(ctx, outputs) {
    const inElements = numel(ctx.tensor(0).dims) ?? 0
    const w = inputDims(ctx, 1, 'W')
    const macs = dimMul(inElements, dimProduct(w.slice(1)))
    return { macs, flops: dimAdd(dimMul(2, macs), ctx.optionalTensor(2) === undefined ? 0 : outputElements(outputs)) }
  },
}

/** ConvTranspose, merged into CONV_RULES. */
export const CONV_TRANSPOSE_RULES: OpRuleTable = { ConvTranspose }
