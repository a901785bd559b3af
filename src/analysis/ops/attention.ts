/**
 * Attention ops: ai.onnx Attention (opset 23+) and RotaryEmbedding, and the contrib com.microsoft::Attention and
 * com.microsoft::MultiHeadAttention (attention-ms.ts).
 *
 * MACs are the Q·Kᵀ and scores·V products (plus the input projection of ops that carry weights); the scaling, soft
 * cap, mask and softmax are FLOPs. Softmax is counted as the Softmax rule does: 5·scores − 2·rows (max, subtract, exp,
 * sum, divide; a row is one query's scores).
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { numel, tensorOf } from './_helpers.js'
import { divideDim, expectRank, expectSameDim, inputDims, optionalDims, pickOutputs, softmaxFlops } from './_compute-utils.js'
import { MS_ATTENTION_RULES } from './attention-ms.js'

/** The sizes an ai.onnx Attention node works with. */
interface AttentionDims {
  readonly batch: Dim
  readonly qHeads: Dim
  readonly kvHeads: Dim
  readonly qSeq: Dim
  readonly kvSeq: Dim
  readonly total: Dim
  readonly headSize: Dim
  readonly vHeadSize: Dim
  readonly threeD: boolean
}

function attentionDims(ctx: OpContext): AttentionDims {
  const q = inputDims(ctx, 0, 'Q')
  const k = inputDims(ctx, 1, 'K')
  const v = inputDims(ctx, 2, 'V')
  expectRank(ctx, q, [3, 4], 'Q')
  const threeD = q.length === 3
  let d: Omit<AttentionDims, 'total'>
  if (threeD) {
    expectRank(ctx, k, 3, 'K')
    expectRank(ctx, v, 3, 'V')
    const qHeads = ctx.attrInt('q_num_heads')
    const kvHeads = ctx.attrInt('kv_num_heads')
    const headSize = divideDim(ctx, q[2]!, qHeads, 'Q hidden size / q_num_heads')
    expectSameDim(ctx, divideDim(ctx, k[2]!, kvHeads, 'K hidden size / kv_num_heads'), headSize, 'K head size ≠ Q head size')
    d = {
      batch: q[0]!,
      qHeads,
      kvHeads,
      qSeq: q[1]!,
      kvSeq: k[1]!,
      headSize,
      vHeadSize: divideDim(ctx, v[2]!, kvHeads, 'V hidden size / kv_num_heads'),
      threeD,
    }
  } else {
    expectRank(ctx, k, 4, 'K')
    expectRank(ctx, v, 4, 'V')
    expectSameDim(ctx, k[3], q[3], 'K head size ≠ Q head size')
    d = { batch: q[0]!, qHeads: q[1]!, kvHeads: k[1]!, qSeq: q[2]!, kvSeq: k[2]!, headSize: q[3]!, vHeadSize: v[3]!, threeD }
  }
  const pastKey = optionalDims(ctx, 4)
  if (pastKey !== undefined) expectRank(ctx, pastKey, 4, 'past_key')
  return { ...d, total: pastKey === undefined ? d.kvSeq : dimAdd(pastKey[2]!, d.kvSeq) }
}

const Attention: OpRule = {
  formula:
    'MACs = B·Hq·Sq·T·(head + v_head) (Q·Kᵀ and scores·V, T = past + kv sequence); FLOPs = 2·MACs + |Q| + B·Hkv·T·head (Q and K × √scale) + 3·scores (softcap, when set) + scores (mask, when attn_mask or is_causal) + 5·scores − 2·rows (softmax), scores = B·Hq·Sq·T, rows = B·Hq·Sq',
  infer(ctx) {
    const d = attentionDims(ctx)
    const q = ctx.tensor(0)
    const y = d.threeD ? [d.batch, d.qSeq, dimMul(d.qHeads, d.vHeadSize)] : [d.batch, d.qHeads, d.qSeq, d.vHeadSize]
    return pickOutputs(ctx, [
      tensorOf(q.dtype, y),
      tensorOf(ctx.tensor(1).dtype, [d.batch, d.kvHeads, d.total, d.headSize]),
      tensorOf(ctx.tensor(2).dtype, [d.batch, d.kvHeads, d.total, d.vHeadSize]),
      tensorOf(q.dtype, [d.batch, d.qHeads, d.qSeq, d.total]),
    ])
  },
  cost(ctx) {
    const d = attentionDims(ctx)
    const scores = dimProduct([d.batch, d.qHeads, d.qSeq, d.total])
    const macs = dimMul(scores, dimAdd(d.headSize, d.vHeadSize))
    let perScore = 0
    if (ctx.attrFloat('softcap', 0) !== 0) perScore += 3
    if (ctx.optionalTensor(3) !== undefined || ctx.attrInt('is_causal', 0) !== 0) perScore += 1
    const scaling = dimAdd(numel(ctx.tensor(0).dims) ?? 0, dimProduct([d.batch, d.kvHeads, d.total, d.headSize]))
    const softmax = softmaxFlops(scores, dimProduct([d.batch, d.qHeads, d.qSeq]))
    return { macs, flops: dimAdd(dimAdd(dimMul(2, macs), scaling), dimAdd(dimMul(perScore, scores), softmax)) }
  },
}

/** Elements RotaryEmbedding rotates: B·S·heads·rotary_dim (all of X when rotary_embedding_dim is 0). */
function rotatedElements(ctx: OpContext): Dim {
  const x = inputDims(ctx, 0, 'X')
  expectRank(ctx, x, [3, 4], 'X')
  const rot = ctx.attrInt('rotary_embedding_dim', 0)
  if (rot === 0) return dimProduct(x)
  if (x.length === 4) return dimProduct([x[0]!, x[1]!, x[2]!, rot])
  const heads = ctx.attrInt('num_heads', 0)
  if (heads <= 0) ctx.fail('num_heads is required for a 3-D input with rotary_embedding_dim', heads)
  return dimProduct([x[0]!, x[1]!, heads, rot])
}

/** A RotaryEmbedding rule (ai.onnx and com.microsoft differ only in which elements rotate): X's type out, 3 FLOPs per rotated element. */
export function rotaryEmbeddingRule(rotated: (ctx: OpContext) => Dim): OpRule {
  return {
    formula: 'FLOPs = 3·rotated (each pair: x1·cos − x2·sin, x2·cos + x1·sin), rotated = B·S·heads·rotary_dim',
    infer(ctx) {
      const x = ctx.tensor(0)
      rotated(ctx)
      return [tensorOf(x.dtype, x.dims)]
    },
    cost(ctx) {
      return { macs: 0, flops: dimMul(3, rotated(ctx)) }
    },
  }
}

const RotaryEmbedding = rotaryEmbeddingRule(rotatedElements)

/** The attention family's rules. */
export const ATTENTION_RULES: OpRuleTable = {
  Attention,
  RotaryEmbedding,
  ...MS_ATTENTION_RULES,
}
