/**
 * ai.onnx.preview.training: the optimizers Adagrad, Adam, Momentum (one update step of n tensors) and Gradient.
 *
 * Optimizer costs follow each op's pseudo code in the spec, per element of the optimized tensors X₁…Xₙ, plus the
 * scalar work done once per node (learning-rate schedule, 1 − α …). Gradient's cost is that of back-propagating y
 * through the subgraph its attributes name; that subgraph lies outside the node (a rule sees only the node), so the
 * cost is reported as unresolved symbols rather than guessed.
 */
import { dimAdd, dimMul, dimSum, type Dim } from '../dims.js'
import type { InferredType, OpContext, OpRule, OpRuleTable, TensorType } from '../types.js'
import { numel, tensorOf } from './_helpers.js'
import { pickOutputs } from './_compute-utils.js'

const TRAINING = 'ai.onnx.preview.training'

/** The number of optimized tensors: (inputs − R − T) / groups, failing when the inputs do not split evenly. */
function optimizedCount(ctx: OpContext, groups: number, names: string): number {
  const variadic = ctx.node.inputs.length - 2
  if (variadic < groups || variadic % groups !== 0) {
    ctx.fail(`the inputs after R and T should be ${groups} groups of equal length (${names}), not ${variadic} tensors`, variadic)
  }
  return variadic / groups
}

/** Outputs copy the types of the groups listed in `copied` (group indices among the inputs after R and T). */
function optimizerInfer(ctx: OpContext, groups: number, copied: readonly number[], names: string): (InferredType | undefined)[] {
  const n = optimizedCount(ctx, groups, names)
  const types: TensorType[] = []
  for (const g of copied) {
    for (let i = 0; i < n; i++) {
      const t = ctx.tensor(2 + g * n + i)
      types.push(tensorOf(t.dtype, t.dims))
    }
  }
  return pickOutputs(ctx, types)
}

/** Elements of X₁…Xₙ. */
function optimizedElements(ctx: OpContext, groups: number, names: string): Dim {
  const n = optimizedCount(ctx, groups, names)
  const sizes: Dim[] = []
  for (let i = 0; i < n; i++) sizes.push(numel(ctx.tensor(2 + i).dims) ?? 0)
  return dimSum(sizes)
}

function optimizerRule(
  formula: string,
  groups: number,
  copied: readonly number[],
  names: string,
  perElement: (ctx: OpContext) => number,
  once: number,
): OpRule {
  return {
    formula,
    infer: (ctx) => optimizerInfer(ctx, groups, copied, names),
    cost(ctx) {
      return { macs: 0, flops: dimAdd(dimMul(perElement(ctx), optimizedElements(ctx, groups, names)), once) }
    },
  }
}

// r = R / (1 + T·decay) once; per element: G_reg = λ·X + G (2), H_new = H + G_reg² (2), Sqrt(H_new) + ε (2),
// X_new = X − r·G_reg / H_adaptive (3)
const Adagrad = optimizerRule(
  'FLOPs = 9·|X| (λ·X + G, H + G², √H + ε, X − r·G / H) + 3 (r = R / (1 + T·decay_factor)), |X| = Σ elements of the optimized tensors',
  3, [0, 2], 'X, G, H', () => 9, 3,
)

// beta_adjusted = T > 0 ? β : 1 once; per element: G_reg (2), V_new = α·V + β·G_reg (3), then
// standard: X − R·V_new (2); nesterov: X − R·(G_reg + α·V_new) (4)
const Momentum = optimizerRule(
  'FLOPs = 7·|X| (λ·X + G, α·V + β·G, X − R·V; nesterov: 9·|X|, X − R·(G + α·V)) + 1 (T > 0), |X| = Σ elements of the optimized tensors',
  3, [0, 2], 'X, G, V', (ctx) => (ctx.attrString('mode') === 'nesterov' ? 9 : 7), 1,
)

// per element: G_reg (2), V_new = α·V + (1−α)·G_reg (3), H_new = β·H + (1−β)·G_reg² (4), √H_new + ε (2),
// X_new = X − R_adj·V_new / H_sqrt (3), X_final = (1 − λ_post)·X_new (1) = 15;
// once: 1 − α, 1 − β, 1 − λ_post (3), R_adj = T > 0 ? R·√(1 − βᵀ) / (1 − αᵀ) : R (8)
const Adam = optimizerRule(
  'FLOPs = 15·|X| (λ·X + G, α·V + (1−α)·G, β·H + (1−β)·G², √H + ε, X − R·V / H, (1 − λ_post)·X) + 11 (the scalar coefficients and R_adjusted), |X| = Σ elements of the optimized tensors',
  4, [0, 2, 3], 'X, G, V, H', () => 15, 11,
)

const Gradient: OpRule = {
  formula:
    'MACs, FLOPs = those of back-propagating y through the subgraph that xs and zs name: outside the node, so reported as the unresolved symbols <node>.backward_macs and <node>.backward_elementwise_flops (FLOPs = 2·backward_macs + backward_elementwise_flops)',
  infer(ctx) {
    const xs = ctx.attrStrings('xs')
    const zs = ctx.attrStrings('zs', [])
    ctx.attrString('y')
    if (ctx.node.inputs.length !== xs.length + zs.length) {
      ctx.fail(`Gradient should have one input per name of xs and zs (${xs.length + zs.length}), not ${ctx.node.inputs.length}`)
    }
    // dy/dxᵢ has the shape and type of xᵢ, whose value is the i-th input
    return pickOutputs(ctx, xs.map((_, i) => {
      const x = ctx.tensor(i)
      return tensorOf(x.dtype, x.dims)
    }))
  },
  cost(ctx) {
    const macs = ctx.freshDim('backward_macs')
    return { macs, flops: dimAdd(dimMul(2, macs), ctx.freshDim('backward_elementwise_flops')) }
  },
}

/** The training operators' rules. */
export const TRAINING_RULES: OpRuleTable = {
  [`${TRAINING}::Adagrad`]: Adagrad,
  [`${TRAINING}::Adam`]: Adam,
  [`${TRAINING}::Momentum`]: Momentum,
  [`${TRAINING}::Gradient`]: Gradient,
}
