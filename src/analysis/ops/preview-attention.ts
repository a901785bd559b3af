/**
 * ai.onnx.preview::FlexAttention (attention with score/probability modifier subgraphs) and LinearAttention (opset 27,
 * the recurrent linear / gated / delta-rule attention of Gated DeltaNet, RetNet, GLA).
 *
 * MACs count the products: QKᵀ and PV for FlexAttention; for LinearAttention the state updates k ⊗ v (accumulated into
 * S), the delta rule's retrieval Sᵀk and the readout qᵀS, each dk·dv per token and head.
 */
import { dimAdd, dimMul, dimProduct, isStaticDim, type Dim } from '../dims.js'
import type { DataTypeName } from '../../onnx/dtypes.js'
import type { OpContext, OpCost, OpRule, OpRuleTable } from '../types.js'
import { numel, tensorOf } from './_helpers.js'
import { divideDim, dtypeFromCode, expectRank, expectSameDim, inputDims, optionalDims, pickOutputs, softmaxFlops } from './_compute-utils.js'

interface FlexDims {
  readonly batch: Dim
  readonly qHeads: Dim
  readonly qLength: Dim
  readonly kvLength: Dim
  readonly qkHead: Dim
  readonly vHead: Dim
}

function flexDims(ctx: OpContext): FlexDims {
  const q = inputDims(ctx, 0, 'Q')
  const k = inputDims(ctx, 1, 'K')
  const v = inputDims(ctx, 2, 'V')
  expectRank(ctx, q, 4, 'Q (batch_size, q_num_heads, q_seq_len, head_size)')
  expectRank(ctx, k, 4, 'K (batch_size, kv_num_heads, kv_seq_len, head_size)')
  expectRank(ctx, v, 4, 'V (batch_size, kv_num_heads, kv_seq_len, v_head_size)')
  const dtypes = [0, 1, 2].map((i) => ctx.tensor(i).dtype)
  if (dtypes[1] !== dtypes[0] || dtypes[2] !== dtypes[0]) ctx.fail('Q, K and V should have the same element type', dtypes)
  expectSameDim(ctx, k[1], v[1], 'K and V head counts differ')
  expectSameDim(ctx, k[2], v[2], 'K and V sequence lengths differ')
  expectSameDim(ctx, q[3], k[3], 'Q and K head sizes differ')
  const [hq, hkv] = [q[1]!, k[1]!]
  if (isStaticDim(hq) && isStaticDim(hkv) && hq !== hkv && (hkv <= 0 || hq % hkv !== 0)) {
    ctx.fail(`q_num_heads (${hq}) should be a multiple of kv_num_heads (${hkv})`, [hq, hkv])
  }
  const batch = isStaticDim(q[0]) ? q[0] : isStaticDim(k[0]) ? k[0] : q[0]!
  return { batch, qHeads: hq, qLength: q[2]!, kvLength: k[2]!, qkHead: q[3]!, vHead: v[3]! }
}

/** The softmax (and modifier) element type: softmax_precision, else float64 for float64 inputs, else float32. */
function softmaxType(ctx: OpContext): DataTypeName {
  if (ctx.hasAttr('softmax_precision')) return dtypeFromCode(ctx, ctx.attrInt('softmax_precision'), 'softmax_precision')
  return ctx.tensor(0).dtype === 'float64' ? 'float64' : 'float32'
}

/** The cost of one run of a modifier subgraph on the (B, Hq, L, S) scores. */
function modifierCost(ctx: OpContext, name: string, scores: readonly Dim[]): OpCost {
  const graph = ctx.attrGraph(name)
  if (graph === undefined) return { macs: 0, flops: 0 }
  return ctx.inferSubgraph(graph, [tensorOf(softmaxType(ctx), scores)]).cost
}

const FlexAttention: OpRule = {
  formula:
    'MACs = B·Hq·L·S·(head_size + v_head_size) (Q·Kᵀ, P·V); FLOPs = 2·MACs + scores (× scale) + 5·scores − 2·rows (softmax) + the score_mod and prob_mod subgraphs (one run each on the scores), scores = B·Hq·L·S, rows = B·Hq·L',
  infer(ctx) {
    const d = flexDims(ctx)
    return [tensorOf(ctx.tensor(0).dtype, [d.batch, d.qHeads, d.qLength, d.vHead])]
  },
  cost(ctx) {
    const d = flexDims(ctx)
    const scoreDims = [d.batch, d.qHeads, d.qLength, d.kvLength]
    const scores = dimProduct(scoreDims)
    const rows = dimProduct(scoreDims.slice(0, 3))
    const macs = dimMul(scores, dimAdd(d.qkHead, d.vHead))
    let total: OpCost = { macs, flops: dimAdd(dimMul(2, macs), dimAdd(scores, softmaxFlops(scores, rows))) }
    for (const name of ['score_mod', 'prob_mod']) {
      const mod = modifierCost(ctx, name, scoreDims)
      total = { macs: dimAdd(total.macs, mod.macs), flops: dimAdd(total.flops, mod.flops) }
    }
    return total
  },
}

const UPDATE_RULES = ['linear', 'gated', 'delta', 'gated_delta']

interface LinearAttentionDims {
  readonly batch: Dim
  readonly tokens: Dim
  readonly qHeads: number
  readonly kvHeads: number
  readonly keyHead: Dim
  readonly valueHead: Dim
  readonly gated: boolean
  readonly delta: boolean
}

function linearAttentionDims(ctx: OpContext): LinearAttentionDims {
  const rule = ctx.attrString('update_rule', 'gated_delta')
  if (!UPDATE_RULES.includes(rule)) ctx.fail(`unknown update_rule '${rule}'`, rule)
  const qHeads = ctx.attrInt('q_num_heads')
  const kvHeads = ctx.attrInt('kv_num_heads')
  if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads !== 0) {
    ctx.fail(`q_num_heads (${qHeads}) should be a positive multiple of kv_num_heads (${kvHeads})`, [qHeads, kvHeads])
  }
  const q = inputDims(ctx, 0, 'query')
  const k = inputDims(ctx, 1, 'key')
  const v = inputDims(ctx, 2, 'value')
  for (const [dims, what] of [[q, 'query'], [k, 'key'], [v, 'value']] as const) expectRank(ctx, dims, 3, `${what} (B, T, H·D)`)
  expectSameDim(ctx, q[1], k[1], 'query and key lengths differ')
  expectSameDim(ctx, k[1], v[1], 'key and value lengths differ')
  const keyHead = divideDim(ctx, q[2]!, qHeads, 'query hidden size / q_num_heads')
  expectSameDim(ctx, divideDim(ctx, k[2]!, kvHeads, 'key hidden size / kv_num_heads'), keyHead, 'query and key head sizes differ')
  const valueHead = divideDim(ctx, v[2]!, kvHeads, 'value hidden size / kv_num_heads')
  const gated = rule === 'gated' || rule === 'gated_delta'
  const delta = rule === 'delta' || rule === 'gated_delta'
  if (gated && ctx.optionalTensor(4) === undefined) ctx.fail(`update_rule '${rule}' requires the decay input`)
  if (delta && ctx.optionalTensor(5) === undefined) ctx.fail(`update_rule '${rule}' requires the beta input`)
  const past = optionalDims(ctx, 3)
  if (past !== undefined) {
    expectRank(ctx, past, 4, 'past_state (B, H_kv, d_k, d_v)')
    expectSameDim(ctx, past[1], kvHeads, 'past_state heads ≠ kv_num_heads')
    expectSameDim(ctx, past[2], keyHead, 'past_state d_k ≠ key head size')
    expectSameDim(ctx, past[3], valueHead, 'past_state d_v ≠ value head size')
  }
  return { batch: q[0]!, tokens: q[1]!, qHeads, kvHeads, keyHead, valueHead, gated, delta }
}

// per token: kv heads update the dk×dv state (k ⊗ v, plus Sᵀk for the delta rule), q heads read it out (qᵀS)
const LinearAttention: OpRule = {
  formula:
    'MACs = B·T·dk·dv·(Hq + Hkv·(1 + δ)) (readout qᵀS; update k ⊗ v; δ = 1 for the delta rules: retrieval Sᵀk); FLOPs = 2·MACs + B·T·Hq·dv (× scale) + gated: |decay| (exp) + B·T·Hkv·dk·dv (decay the state) + delta: 2·B·T·Hkv·dv (v − retrieved, × β)',
  infer(ctx) {
    const d = linearAttentionDims(ctx)
    const dtype = ctx.tensor(0).dtype
    const stateType = ctx.optionalTensor(3)?.dtype ?? dtype
    return pickOutputs(ctx, [
      tensorOf(dtype, [d.batch, d.tokens, dimMul(d.qHeads, d.valueHead)]),
      tensorOf(stateType, [d.batch, d.kvHeads, d.keyHead, d.valueHead]),
    ])
  },
  cost(ctx) {
    const d = linearAttentionDims(ctx)
    const steps = dimMul(d.batch, d.tokens)
    const state = dimMul(d.keyHead, d.valueHead)
    const macs = dimProduct([steps, state, d.qHeads + d.kvHeads * (d.delta ? 2 : 1)])
    let flops = dimAdd(dimMul(2, macs), dimProduct([steps, d.qHeads, d.valueHead]))
    if (d.gated) {
      flops = dimAdd(flops, dimAdd(numel(ctx.optionalTensor(4)?.dims) ?? 0, dimProduct([steps, d.kvHeads, state])))
    }
    if (d.delta) flops = dimAdd(flops, dimProduct([2, steps, d.kvHeads, d.valueHead]))
    return { macs, flops }
  },
}

/** The preview attention rules, merged into PREVIEW_RULES. */
export const PREVIEW_ATTENTION_RULES: OpRuleTable = {
  'ai.onnx.preview::FlexAttention': FlexAttention,
  LinearAttention,
}
