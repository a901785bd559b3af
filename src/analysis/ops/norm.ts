/**
 * Normalizations: BatchNormalization, InstanceNormalization, LayerNormalization, GroupNormalization,
 * RMSNormalization, LRN, LpNormalization, MeanVarianceNormalization, and onnxruntime's Skip/Simplified variants
 * (norm-ms.ts).
 *
 * FLOPs follow the spec's function bodies. Mean/variance normalizations: per element 1 (mean sum) + 3 (x − mean,
 * square, variance sum) + 1 (× 1/σ) + 1 (× scale) + 1 (+ bias); per normalized group 5 (two divides, + ε, √,
 * reciprocal). Per-channel precomputation is counted once per channel.
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { normalizeAxis, numel, tensorOf } from './_helpers.js'
import { expectRank, inputDims, pickOutputs } from './_compute-utils.js'
import { meanVarianceFlops, rmsNormRule, stashType, statDims } from './_norm-utils.js'
import { MS_NORM_RULES } from './norm-ms.js'

/** Same dims and dtype as input 0. */
function sameAsInput(ctx: OpContext): ReturnType<typeof tensorOf> {
  const x = ctx.tensor(0)
  return tensorOf(x.dtype, x.dims)
}

function inputElements(ctx: OpContext): Dim {
  return numel(ctx.tensor(0).dims) ?? 0
}

/** Whether a BatchNormalization node computes batch statistics. */
function batchNormTraining(ctx: OpContext): boolean {
  if (ctx.opset >= 14) return ctx.attrInt('training_mode', 0) !== 0
  if (ctx.opset < 7 && ctx.hasAttr('is_test')) return ctx.attrInt('is_test') === 0
  // before opset 14 the extra outputs are what asks for training mode
  return ctx.node.outputs.slice(1).some((name) => name !== '')
}

const BatchNormalization: OpRule = {
  formula:
    'FLOPs = 2·out (x·a + b) + 5·C (a = scale/√(var + ε), b = B − mean·a); training mode adds 4·in + 2·C (batch mean and variance) + 6·C (running statistics)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    if (x.length < 1) ctx.fail('X should have rank ≥ 1')
    const channels: Dim = x.length > 1 ? x[1]! : 1
    const statsType = ctx.optionalTensor(3)?.dtype ?? ctx.tensor(0).dtype
    const stat = tensorOf(statsType, [channels])
    return pickOutputs(ctx, [sameAsInput(ctx), stat, stat, stat, stat])
  },
  cost(ctx, outputs) {
    const x = inputDims(ctx, 0, 'X')
    const channels: Dim = x.length > 1 ? x[1]! : 1
    const out = outputs[0]?.kind === 'tensor' ? (numel(outputs[0].dims) ?? 0) : 0
    let flops = dimAdd(dimMul(2, out), dimMul(5, channels))
    if (batchNormTraining(ctx)) flops = dimAdd(flops, dimAdd(dimMul(4, dimProduct(x)), dimMul(8, channels)))
    return { macs: 0, flops }
  },
}

const InstanceNormalization: OpRule = {
  formula: 'FLOPs = 7·in + 5·N·C (mean, variance, normalize, scale, bias per element; per instance: 2 divides, + ε, √, reciprocal)',
  infer(ctx) {
    expectRank(ctx, inputDims(ctx, 0, 'input'), [3, 4, 5, 6, 7, 8], 'input')
    return [sameAsInput(ctx)]
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'input')
    return { macs: 0, flops: meanVarianceFlops(dimProduct(x), dimMul(x[0]!, x[1]!), true) }
  },
}

const LayerNormalization: OpRule = {
  formula: 'FLOPs = 7·in (6 without B) + 5·groups, groups = ∏X[:axis] (2 divides, + ε, √, reciprocal per group)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
    const stat = tensorOf(stashType(ctx), statDims(x, axis))
    return pickOutputs(ctx, [sameAsInput(ctx), stat, stat])
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
    return { macs: 0, flops: meanVarianceFlops(dimProduct(x), dimProduct(x.slice(0, axis)), ctx.optionalTensor(2) !== undefined) }
  },
}

const GroupNormalization: OpRule = {
  formula: 'FLOPs = 7·in + 5·N·num_groups',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    if (x.length < 2) ctx.fail(`X should have rank ≥ 2, not ${x.length}`, x)
    return [sameAsInput(ctx)]
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'X')
    return { macs: 0, flops: meanVarianceFlops(dimProduct(x), dimMul(x[0]!, ctx.attrInt('num_groups')), true) }
  },
}

const RMSNormalization = rmsNormRule()

const LRN: OpRule = {
  formula: 'FLOPs = (size + 4)·out (square, size − 1 window adds, × α/size, + bias, ^β, divide)',
  infer(ctx) {
    expectRank(ctx, inputDims(ctx, 0, 'X'), [3, 4, 5, 6, 7, 8], 'X')
    ctx.attrInt('size')
    return [sameAsInput(ctx)]
  },
  cost(ctx) {
    return { macs: 0, flops: dimMul(ctx.attrInt('size') + 4, inputElements(ctx)) }
  },
}

const LpNormalization: OpRule = {
  formula: 'FLOPs = 3·in (|x| or x², sum, divide) + groups (√, when p = 2), groups = in / X[axis]',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'input')
    normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
    return [sameAsInput(ctx)]
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'input')
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), x.length)
    const groups = dimProduct(x.filter((_, i) => i !== axis))
    return { macs: 0, flops: dimAdd(dimMul(3, dimProduct(x)), ctx.attrInt('p', 2) === 2 ? groups : 0) }
  },
}

const MeanVarianceNormalization: OpRule = {
  formula: 'FLOPs = 5·in (mean sum, x², mean-of-squares sum, x − mean, divide) + 6·groups (2 divides, mean², variance, √, + ε)',
  infer(ctx) {
    return [sameAsInput(ctx)]
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const axes = new Set(ctx.attrInts('axes', [0, 2, 3]).map((a) => normalizeAxis(ctx, a, x.length)))
    const groups = dimProduct(x.filter((_, i) => !axes.has(i)))
    return { macs: 0, flops: dimAdd(dimMul(5, dimProduct(x)), dimMul(6, groups)) }
  },
}

/** The normalization family's rules. */
export const NORM_RULES: OpRuleTable = {
  BatchNormalization,
  InstanceNormalization,
  LayerNormalization,
  GroupNormalization,
  RMSNormalization,
  LRN,
  LpNormalization,
  MeanVarianceNormalization,
  // onnxruntime's pre-opset-17 contrib schema, same semantics
  'com.microsoft::LayerNormalization': LayerNormalization,
  ...MS_NORM_RULES,
}
