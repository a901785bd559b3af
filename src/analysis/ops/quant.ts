/**
 * Linear (de)quantization: QuantizeLinear, DequantizeLinear (per-tensor, per-axis and blocked: the scale's shape does
 * not change the output's) and DynamicQuantizeLinear.
 */
import type { DataTypeName } from '../../onnx/dtypes.js'
import { dimAdd, dimMul } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { numel, outputElements, tensorOf } from './_helpers.js'
import { dtypeFromCode, pickOutputs } from './_compute-utils.js'

/** output_dtype (opset 21+ QuantizeLinear, 25+ DequantizeLinear) when set and non-zero. */
function outputDtype(ctx: OpContext): DataTypeName | undefined {
  const code = ctx.attrInt('output_dtype', 0)
  return code === 0 ? undefined : dtypeFromCode(ctx, code, 'output_dtype')
}

function checkedScale(ctx: OpContext): void {
  const x = ctx.tensor(0)
  const scale = ctx.tensor(1)
  if (x.dims === undefined || scale.dims === undefined) return
  // onnxruntime also accepts a [1] zero point with a scalar scale, so only the scale's rank is checked
  if (scale.dims.length > 1 && scale.dims.length !== x.dims.length) {
    ctx.fail(`the scale should be a scalar, 1-D or of the input's rank ${x.dims.length}`, scale.dims)
  }
}

const QuantizeLinear: OpRule = {
  formula: 'FLOPs = 4·out (divide by scale, round, saturate: 2 comparisons) + out (+ zero point, when given)',
  infer(ctx) {
    checkedScale(ctx)
    const zeroPoint = ctx.optionalTensor(2)
    const dtype = zeroPoint?.dtype ?? outputDtype(ctx) ?? 'uint8'
    return [tensorOf(dtype, ctx.tensor(0).dims)]
  },
  cost(ctx, outputs) {
    const out = outputElements(outputs)
    return { macs: 0, flops: dimMul(ctx.optionalTensor(2) === undefined ? 4 : 5, out) }
  },
}

const DequantizeLinear: OpRule = {
  formula: 'FLOPs = out (× scale) + out (− zero point, when given)',
  infer(ctx) {
    checkedScale(ctx)
    // opset 10/13: always float32; 19+: the scale's type, unless output_dtype says otherwise
    const dtype = ctx.opset < 19 ? 'float32' : (outputDtype(ctx) ?? ctx.tensor(1).dtype)
    return [tensorOf(dtype, ctx.tensor(0).dims)]
  },
  cost(ctx, outputs) {
    const out = outputElements(outputs)
    return { macs: 0, flops: dimMul(ctx.optionalTensor(2) === undefined ? 1 : 2, out) }
  },
}

const DynamicQuantizeLinear: OpRule = {
  formula:
    'FLOPs = 2·in (running min and max) + 7 (scale and zero point) + 5·in (divide, round, + zero point, saturate)',
  infer(ctx) {
    const x = ctx.tensor(0)
    return pickOutputs(ctx, [tensorOf('uint8', x.dims), tensorOf('float32', []), tensorOf('uint8', [])])
  },
  cost(ctx) {
    const input = numel(ctx.tensor(0).dims) ?? 0
    return { macs: 0, flops: dimAdd(dimMul(7, input), 7) }
  },
}

/** The quantization family's rules. */
export const QUANT_RULES: OpRuleTable = {
  QuantizeLinear,
  DequantizeLinear,
  DynamicQuantizeLinear,
}
