/**
 * onnxruntime's contrib attention ops: com.microsoft::Attention (with its fused Q/K/V input projection) and
 * com.microsoft::MultiHeadAttention (projections done outside, bias optional).
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { tensorOf } from './_helpers.js'
import { dimsValue, divideDim, expectRank, expectSameDim, inputDims, optionalDims, pickOutputs, softmaxFlops } from './_compute-utils.js'

/** FLOPs on the scores: the scale, one add per mask/bias input present (and the causal mask), the softmax. */
function scoreFlops(ctx: OpContext, scores: Dim, rows: Dim, maskInputs: readonly number[], causal: boolean): Dim {
  const perScore = 1 + maskInputs.filter((i) => ctx.optionalTensor(i) !== undefined).length + (causal ? 1 : 0)
  return dimAdd(dimMul(perScore, scores), softmaxFlops(scores, rows))
}

interface MsAttentionDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly inputHidden: Dim
  readonly heads: number
  readonly qkvHidden: readonly [Dim, Dim, Dim]
  readonly headSize: Dim
  readonly vHeadSize: Dim
  readonly present: readonly Dim[]
  readonly total: Dim
}

function msAttentionDims(ctx: OpContext): MsAttentionDims {
  const x = inputDims(ctx, 0, 'input')
  const w = inputDims(ctx, 1, 'weights')
  expectRank(ctx, x, 3, 'input')
  expectRank(ctx, w, 2, 'weights')
  expectSameDim(ctx, w[0], x[2], 'weights rows ≠ input hidden size')
  const heads = ctx.attrInt('num_heads')
  const sizes = ctx.attrInts('qkv_hidden_sizes', [])
  let qkv: [Dim, Dim, Dim]
  if (sizes.length === 3) {
    qkv = [sizes[0]!, sizes[1]!, sizes[2]!]
    expectSameDim(ctx, w[1], sizes[0]! + sizes[1]! + sizes[2]!, 'weights columns ≠ Σ qkv_hidden_sizes')
  } else {
    const each = divideDim(ctx, w[1]!, 3, 'weights columns / 3')
    qkv = [each, each, each]
  }
  const headSize = divideDim(ctx, qkv[0], heads, 'hidden size / num_heads')
  const vHeadSize = divideDim(ctx, qkv[2], heads, 'v hidden size / num_heads')
  const [batch, seq] = [x[0]!, x[1]!]
  const past = optionalDims(ctx, 4)
  let total: Dim = seq
  let present: Dim[] = [2, batch, heads, seq, headSize]
  if (past !== undefined) {
    expectRank(ctx, past, 5, 'past')
    if (ctx.attrInt('past_present_share_buffer', 0) !== 0) {
      // present aliases past; the sequence actually attended is past_sequence_length + S
      present = [...past]
      const pastLength = dimsValue(ctx.optionalTensor(6))?.[0]
      total = pastLength === undefined ? ctx.freshDim('total_sequence_length') : dimAdd(pastLength, seq)
    } else {
      total = dimAdd(past[3]!, seq)
      present = [2, batch, heads, total, headSize]
    }
  }
  return { batch, seq, inputHidden: x[2]!, heads, qkvHidden: qkv, headSize, vHeadSize, present, total }
}

const MsAttention: OpRule = {
  formula:
    'MACs = B·S·in_hidden·(Dq + Dk + Dv) (input projection) + B·heads·S·T·(head + v_head) (Q·Kᵀ, scores·V); FLOPs = 2·MACs + B·S·(Dq + Dk + Dv) (bias, when given) + scores·(1 scale + 1 per mask_index/attention_bias/unidirectional mask) + 5·scores − 2·rows (softmax), scores = B·heads·S·T, rows = B·heads·S',
  infer(ctx) {
    const d = msAttentionDims(ctx)
    const dtype = ctx.tensor(0).dtype
    return pickOutputs(ctx, [tensorOf(dtype, [d.batch, d.seq, d.qkvHidden[2]]), tensorOf(dtype, d.present)])
  },
  cost(ctx) {
    const d = msAttentionDims(ctx)
    const tokens = dimMul(d.batch, d.seq)
    const projected = dimAdd(dimAdd(d.qkvHidden[0], d.qkvHidden[1]), d.qkvHidden[2])
    const scores = dimProduct([d.batch, d.heads, d.seq, d.total])
    const macs = dimAdd(dimMul(dimMul(tokens, d.inputHidden), projected), dimMul(scores, dimAdd(d.headSize, d.vHeadSize)))
    const rows = dimProduct([d.batch, d.heads, d.seq])
    let flops = dimAdd(dimMul(2, macs), scoreFlops(ctx, scores, rows, [3, 5], ctx.attrInt('unidirectional', 0) !== 0))
    if (ctx.optionalTensor(2) !== undefined) flops = dimAdd(flops, dimMul(tokens, projected))
    return { macs, flops }
  },
}

interface MhaDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly kvSeq: Dim
  readonly heads: number
  readonly headSize: Dim
  readonly vHeadSize: Dim
  readonly total: Dim
  readonly presentKey: readonly Dim[]
  readonly presentValue: readonly Dim[]
}

function mhaDims(ctx: OpContext): MhaDims {
  const heads = ctx.attrInt('num_heads')
  const q = inputDims(ctx, 0, 'query')
  const k = optionalDims(ctx, 1)
  const v = optionalDims(ctx, 2)
  expectRank(ctx, q, [3, 5], 'query')
  const [batch, seq] = [q[0]!, q[1]!]
  let kvSeq: Dim
  let headSize: Dim
  let vHeadSize: Dim
  let kvIsCache = false
  if (q.length === 5) {
    // packed QKV: (B, S, N, 3, H)
    kvSeq = seq
    headSize = q[4]!
    vHeadSize = q[4]!
  } else {
    headSize = divideDim(ctx, q[2]!, heads, 'query hidden size / num_heads')
    if (k === undefined) ctx.fail('key is required when query is not packed QKV')
    if (k.length === 5) {
      // packed KV: (B, L, N, 2, H)
      kvSeq = k[1]!
      vHeadSize = k[4]!
    } else if (k.length === 4) {
      // already projected and split into heads: (B, N, L, H); value likewise
      kvIsCache = true
      kvSeq = k[2]!
      vHeadSize = v?.length === 4 ? v[3]! : headSize
    } else {
      expectRank(ctx, k, 3, 'key')
      kvSeq = k[1]!
      vHeadSize = v === undefined ? headSize : divideDim(ctx, v[v.length - 1]!, heads, 'value hidden size / num_heads')
    }
  }
  const pastKey = optionalDims(ctx, 6)
  const pastValue = optionalDims(ctx, 7)
  let total = kvSeq
  let presentKey: Dim[] = [batch, heads, kvSeq, headSize]
  let presentValue: Dim[] = [batch, heads, kvSeq, vHeadSize]
  if (pastKey !== undefined && !kvIsCache) {
    expectRank(ctx, pastKey, 4, 'past_key')
    if (ctx.optionalTensor(8) !== undefined) {
      // buffer sharing: present aliases past, past_sequence_length + L keys are attended
      presentKey = [...pastKey]
      presentValue = pastValue === undefined ? presentValue : [...pastValue]
      const pastLength = dimsValue(ctx.optionalTensor(8))?.[0]
      total = pastLength === undefined ? ctx.freshDim('total_sequence_length') : dimAdd(pastLength, kvSeq)
    } else {
      total = dimAdd(pastKey[2]!, kvSeq)
      presentKey = [batch, heads, total, headSize]
      presentValue = [batch, heads, total, vHeadSize]
    }
  }
  return { batch, seq, kvSeq, heads, headSize, vHeadSize, total, presentKey, presentValue }
}

const MultiHeadAttention: OpRule = {
  formula:
    'MACs = B·heads·S·T·(head + v_head) (Q·Kᵀ, scores·V); FLOPs = 2·MACs + B·(S·D + L·D + L·Dv) (bias, when given) + scores·(1 scale + 1 per key_padding_mask/attention_bias/unidirectional mask) + 5·scores − 2·rows (softmax), scores = B·heads·S·T, rows = B·heads·S',
  infer(ctx) {
    const d = mhaDims(ctx)
    const dtype = ctx.tensor(0).dtype
    return pickOutputs(ctx, [
      tensorOf(dtype, [d.batch, d.seq, dimMul(d.heads, d.vHeadSize)]),
      tensorOf(dtype, d.presentKey),
      tensorOf(dtype, d.presentValue),
      tensorOf(dtype, [d.batch, d.heads, d.seq, d.total]),
    ])
  },
  cost(ctx) {
    const d = mhaDims(ctx)
    const scores = dimProduct([d.batch, d.heads, d.seq, d.total])
    const macs = dimMul(scores, dimAdd(d.headSize, d.vHeadSize))
    const rows = dimProduct([d.batch, d.heads, d.seq])
    let flops = dimAdd(dimMul(2, macs), scoreFlops(ctx, scores, rows, [4, 5], ctx.attrInt('unidirectional', 0) !== 0))
    if (ctx.optionalTensor(3) !== undefined) {
      const qk = dimMul(d.heads, d.headSize)
      const bias = dimAdd(dimMul(d.seq, qk), dimMul(d.kvSeq, dimAdd(qk, dimMul(d.heads, d.vHeadSize))))
      flops = dimAdd(flops, dimMul(d.batch, bias))
    }
    return { macs, flops }
  },
}

/** The contrib attention rules, merged into ATTENTION_RULES. */
export const MS_ATTENTION_RULES: OpRuleTable = {
  'com.microsoft::Attention': MsAttention,
  'com.microsoft::MultiHeadAttention': MultiHeadAttention,
}
