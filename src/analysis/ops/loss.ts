/**
 * Losses: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (reduction none / sum / mean, optional log_prob).
 *
 * With E = N·d1·…·dk target elements: gathering is free; each picked log-probability is negated (E), weighted (E,
 * when weights are given) and compared with ignore_index (E, when set); `sum` adds E values, `mean` also sums the
 * weights (or counts the kept elements) and divides once: 2·E + 1.
 */
import { dimAdd, dimMul, dimProduct, dimSub, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { numel, tensorOf } from './_helpers.js'
import { expectSameDim, inputDims, pickOutputs } from './_compute-utils.js'

function reductionOf(ctx: OpContext): string {
  const r = ctx.attrString('reduction', 'mean')
  if (r !== 'none' && r !== 'sum' && r !== 'mean') ctx.fail(`unknown reduction ${r}`, r)
  return r
}

/** Target dims [N, d1, …] from input [N, C, d1, …], checked against the target's. */
function targetDims(ctx: OpContext): Dim[] {
  const x = inputDims(ctx, 0, 'input')
  const target = inputDims(ctx, 1, 'target')
  if (x.length < 2) ctx.fail(`input should have rank ≥ 2 (N, C, …), not ${x.length}`, x)
  if (target.length !== x.length - 1) ctx.fail(`target should have rank ${x.length - 1}, not ${target.length}`, target)
  const dims = [x[0]!, ...x.slice(2)]
  dims.forEach((d, i) => expectSameDim(ctx, target[i], d, `target dim ${i} ≠ input`))
  return dims
}

function lossOutput(ctx: OpContext): ReturnType<typeof tensorOf> {
  const dims = targetDims(ctx)
  return tensorOf(ctx.tensor(0).dtype, reductionOf(ctx) === 'none' ? dims : [])
}

/** FLOPs of picking, negating, weighting and reducing the E target elements. */
function nllFlops(ctx: OpContext, weightIndex: number): Dim {
  const e = dimProduct(targetDims(ctx))
  let perElement = 1
  if (ctx.optionalTensor(weightIndex) !== undefined) perElement++
  if (ctx.hasAttr('ignore_index')) perElement++
  const reduction = reductionOf(ctx)
  const reduce: Dim = reduction === 'sum' ? e : reduction === 'mean' ? dimAdd(dimMul(2, e), 1) : 0
  return dimAdd(dimMul(perElement, e), reduce)
}

const REDUCTION_FORMULA =
  'E (negate) + E (× weight, when given) + E (ignore_index test, when set) + E (sum) or 2·E + 1 (mean), E = target elements'

const NegativeLogLikelihoodLoss: OpRule = {
  formula: `FLOPs = ${REDUCTION_FORMULA}`,
  infer(ctx) {
    return [lossOutput(ctx)]
  },
  cost(ctx) {
    return { macs: 0, flops: nllFlops(ctx, 2) }
  },
}

const SoftmaxCrossEntropyLoss: OpRule = {
  formula: `FLOPs = 5·in − E (log-softmax over C, as LogSoftmax: max, subtract, exp, sum, log, subtract) + ${REDUCTION_FORMULA}`,
  infer(ctx) {
    const scores = ctx.tensor(0)
    return pickOutputs(ctx, [lossOutput(ctx), tensorOf(scores.dtype, scores.dims)])
  },
  cost(ctx) {
    // max: in − E comparisons, subtract in, exp in, sum in − E adds, log E, subtract in
    const logSoftmax = dimSub(dimMul(5, numel(ctx.tensor(0).dims) ?? 0), dimProduct(targetDims(ctx)))
    return { macs: 0, flops: dimAdd(logSoftmax, nllFlops(ctx, 2)) }
  },
}

/** The loss family's rules. */
export const LOSS_RULES: OpRuleTable = {
  NegativeLogLikelihoodLoss,
  SoftmaxCrossEntropyLoss,
}
