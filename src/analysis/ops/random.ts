/**
 * Random generators: RandomNormal, RandomUniform, their *Like variants, Bernoulli and Multinomial.
 *
 * Cost convention: drawing the underlying standard sample is not arithmetic of the spec's formula (the generator is
 * implementation-defined, as for Dropout's mask), so only the spec's transformation of the draw is counted: the scale
 * and shift of RandomNormal / RandomUniform (0 when they are the identity: mean 0 and scale 1, low 0 and high 1 —
 * which keeps Bernoulli equal to its function body RandomUniformLike(0, 1) → Greater → Cast), Bernoulli's comparison,
 * Multinomial's CDF and search. No value is ever propagated: outputs are random.
 */
import { dimAdd, dimMul, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpCost, OpRule, OpRuleTable } from '../types.js'
import { dimsOf, numel, outputElements, tensorOf } from './_helpers.js'
import { expectRank, inputDims } from './_compute-utils.js'
import { dtypeAttr } from './_tensor-utils.js'

/** FLOPs of `scale·draw + shift` per output element, 0 when the transformation is the identity. */
function affineDrawCost(outputs: Parameters<OpRule['cost']>[1], scale: number, shift: number): OpCost {
  const flops = (scale !== 1 ? 1 : 0) + (shift !== 0 ? 1 : 0)
  return { macs: 0, flops: dimMul(outputElements(outputs), flops) }
}

function normalScaleShift(ctx: OpContext): [number, number] {
  return [ctx.attrFloat('scale', 1), ctx.attrFloat('mean', 0)]
}

function uniformScaleShift(ctx: OpContext): [number, number] {
  const low = ctx.attrFloat('low', 0)
  return [ctx.attrFloat('high', 1) - low, low]
}

function shapeAttr(ctx: OpContext): Dim[] {
  const shape = ctx.attrInts('shape')
  for (const d of shape) if (d < 0) ctx.fail(`shape should not have negative dims, not ${d}`, shape)
  return [...shape]
}

/** RandomNormal / RandomUniform: the shape and dtype are attributes. */
function generatorRule(what: string, params: (ctx: OpContext) => [number, number]): OpRule {
  return {
    formula: `FLOPs = 2·out (${what}: × scale, + shift per draw; 1 or 0 when either is the identity)`,
    infer(ctx) {
      return [tensorOf(dtypeAttr(ctx, 'dtype', 'float32'), shapeAttr(ctx))]
    },
    cost(ctx, outputs) {
      return affineDrawCost(outputs, ...params(ctx))
    },
  }
}

/** RandomNormalLike / RandomUniformLike: the input's shape, the dtype attribute or the input's dtype. */
function likeRule(what: string, params: (ctx: OpContext) => [number, number]): OpRule {
  return {
    formula: `FLOPs = 2·out (${what}: × scale, + shift per draw; 1 or 0 when either is the identity)`,
    infer(ctx) {
      const x = ctx.tensor(0)
      return [tensorOf(dtypeAttr(ctx, 'dtype', x.dtype), x.dims)]
    },
    cost(ctx, outputs) {
      return affineDrawCost(outputs, ...params(ctx))
    },
  }
}

const Bernoulli: OpRule = {
  formula: 'FLOPs = out (the uniform draw compared with p)',
  infer(ctx) {
    const x = ctx.tensor(0)
    return [tensorOf(dtypeAttr(ctx, 'dtype', x.dtype), x.dims)]
  },
  cost(_ctx, outputs) {
    return { macs: 0, flops: outputElements(outputs) }
  },
}

/** ⌈log₂ n⌉ for a known count, else a symbol (a binary search over a symbolic number of classes). */
function searchSteps(ctx: OpContext, classes: Dim): Dim {
  if (!isStaticDim(classes)) return ctx.freshDim('log2_class_size')
  return classes <= 1 ? 0 : Math.ceil(Math.log2(classes))
}

function multinomialDims(ctx: OpContext): { batch: Dim; classes: Dim; samples: number } {
  const x = inputDims(ctx, 0, 'input')
  expectRank(ctx, x, 2, 'input (batch_size, class_size)')
  const samples = ctx.attrInt('sample_size', 1)
  if (samples < 1) ctx.fail(`sample_size should be ≥ 1, not ${samples}`, samples)
  return { batch: x[0]!, classes: x[1]!, samples }
}

const Multinomial: OpRule = {
  formula:
    'FLOPs = 2·in (exp of each log-probability, running sum into the CDF) + out·(1 + ⌈log₂ class_size⌉) (scale a uniform draw by the row total, binary search of the CDF)',
  infer(ctx) {
    const { batch, samples } = multinomialDims(ctx)
    return [tensorOf(dtypeAttr(ctx, 'dtype', 'int32'), [batch, samples])]
  },
  cost(ctx, outputs) {
    const { classes } = multinomialDims(ctx)
    const input = numel(dimsOf(ctx, ctx.tensor(0))) ?? 0
    const perSample = dimAdd(1, searchSteps(ctx, classes))
    return { macs: 0, flops: dimAdd(dimMul(2, input), dimMul(outputElements(outputs), perSample)) }
  },
}

/** The random generators' rules. */
export const RANDOM_RULES: OpRuleTable = {
  RandomNormal: generatorRule('normal', normalScaleShift),
  RandomUniform: generatorRule('uniform', uniformScaleShift),
  RandomNormalLike: likeRule('normal', normalScaleShift),
  RandomUniformLike: likeRule('uniform', uniformScaleShift),
  Bernoulli,
  Multinomial,
}
