/**
 * onnxruntime's decoder attention ops (com.microsoft): GroupQueryAttention, DecoderMaskedMultiHeadAttention, QAttention
 * and RotaryEmbedding.
 *
 * As for com.microsoft::Attention: MACs = the Q·Kᵀ and scores·V products (plus QAttention's input projection); FLOPs
 * = 2·MACs + per score 1 (scale) + 1 per mask / bias / causal mask applied + the softmax (5·scores − 2·rows).
 */
import { dimAdd, dimMax, dimMul, dimProduct, dimSum, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { numel, tensorOf } from './_helpers.js'
import { dimsValue, divideDim, expectRank, expectSameDim, inputDims, optionalDims, pickOutputs, softmaxFlops } from './_compute-utils.js'
import { rmsFlops } from './_norm-utils.js'
import { rotaryEmbeddingRule } from './attention.js'

const MS = 'com.microsoft'

/** FLOPs on B·heads·S·T scores: `perScore` element-wise ops each, then the softmax over rows of T. */
function scoreFlops(scores: Dim, rows: Dim, perScore: number): Dim {
  return dimAdd(dimMul(perScore, scores), softmaxFlops(scores, rows))
}

function present(ctx: OpContext, i: number): number {
  return ctx.optionalTensor(i) === undefined ? 0 : 1
}

interface GqaDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly heads: number
  readonly kvHeads: number
  readonly head: Dim
  readonly total: Dim
  readonly presentLength: Dim
}

function gqaDims(ctx: OpContext): GqaDims {
  const heads = ctx.attrInt('num_heads')
  const kvHeads = ctx.attrInt('kv_num_heads')
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads !== 0) {
    ctx.fail(`num_heads (${heads}) should be a positive multiple of kv_num_heads (${kvHeads})`, [heads, kvHeads])
  }
  const q = inputDims(ctx, 0, 'query')
  expectRank(ctx, q, 3, 'query (batch_size, sequence_length, hidden_size)')
  const key = optionalDims(ctx, 1)
  let head: Dim
  if (key === undefined) {
    // packed QKV: (num_heads + 2·kv_num_heads)·head_size
    head = divideDim(ctx, q[2]!, heads + 2 * kvHeads, 'packed QKV size / (num_heads + 2·kv_num_heads)')
  } else {
    expectRank(ctx, key, 3, 'key (batch_size, kv_sequence_length, kv_hidden_size)')
    head = divideDim(ctx, q[2]!, heads, 'query hidden size / num_heads')
    expectSameDim(ctx, key[2], isStaticDim(head) ? head * kvHeads : undefined, 'key hidden size ≠ kv_num_heads·head_size')
  }
  // total_sequence_length is a scalar input; the present buffer holds max(past length, total) positions. Without a
  // past (prefill) onnxruntime takes an unknown total to be the kv sequence length.
  const totalValue = dimsValue(ctx.optionalTensor(6))?.[0]
  const past = optionalDims(ctx, 3)
  const total = totalValue ?? (past === undefined ? (key === undefined ? q[1]! : key[1]!) : ctx.freshDim('total_sequence_length'))
  let presentLength = total
  if (past !== undefined) {
    expectRank(ctx, past, 4, 'past_key (batch_size, kv_num_heads, past_sequence_length, head_size)')
    // past + new positions: max(past, past + sequence) is past + sequence for every size (dimMax decides it)
    presentLength = ctx.attrInt('sliding_window_cache', 0) !== 0 ? past[2]! : dimMax(past[2]!, total)
  }
  return { batch: q[0]!, seq: q[1]!, heads, kvHeads, head, total, presentLength }
}

const GroupQueryAttention: OpRule = {
  formula:
    'MACs = 2·B·heads·S·T·head_size (Q·Kᵀ, scores·V; T = total_sequence_length); FLOPs = 2·MACs + scores·(1 scale + 1 causal mask + 1 attention_bias, when given + 3 softcap, when set) + 5·scores − 2·rows (softmax) + rows (head_sink, when given) + 3·B·S·(heads + kv_heads)·rotary_dim (do_rotary) + RMSNorm of Q and K (q_norm_weight, when given), scores = B·heads·S·T, rows = B·heads·S',
  infer(ctx) {
    const d = gqaDims(ctx)
    const dtype = ctx.tensor(0).dtype
    const cache = ctx.optionalTensor(3)?.dtype ?? dtype
    const kv = [d.batch, d.kvHeads, d.presentLength, d.head]
    return pickOutputs(ctx, [
      tensorOf(dtype, [d.batch, d.seq, dimMul(d.heads, d.head)]),
      tensorOf(cache, kv),
      tensorOf(cache, kv),
      tensorOf(dtype, [d.batch, d.heads, d.seq, d.total]),
    ])
  },
  cost(ctx) {
    const d = gqaDims(ctx)
    const rows = dimProduct([d.batch, d.heads, d.seq])
    const scores = dimMul(rows, d.total)
    const macs = dimProduct([2, scores, d.head])
    const causal = ctx.attrInt('causal', 1) !== 0 ? 1 : 0
    const softcap = ctx.attrFloat('softcap', 0) > 0 ? 3 : 0
    const parts: Dim[] = [dimMul(2, macs), scoreFlops(scores, rows, 1 + causal + present(ctx, 10) + softcap), dimMul(present(ctx, 11), rows)]
    const qkHeads = d.heads + d.kvHeads
    if (ctx.attrInt('do_rotary', 0) !== 0) {
      const cos = optionalDims(ctx, 7)
      const rotary = cos === undefined ? d.head : dimMul(2, cos[cos.length - 1]!)
      parts.push(dimProduct([3, d.batch, d.seq, qkHeads, rotary]))
    }
    if (ctx.optionalTensor(13) !== undefined) {
      const vectors = dimProduct([d.batch, d.seq, qkHeads])
      parts.push(rmsFlops(dimMul(vectors, d.head), vectors))
    }
    return { macs, flops: dimSum(parts) }
  },
}

/** Rotated elements of com.microsoft::RotaryEmbedding: (input, position_ids, cos_cache, sin_cache). */
function rotatedElements(ctx: OpContext): Dim {
  const x = inputDims(ctx, 0, 'input')
  expectRank(ctx, x, [3, 4], 'input')
  const cos = inputDims(ctx, 2, 'cos_cache')
  expectRank(ctx, cos, 2, 'cos_cache (max_sequence_length, rotary_dim / 2)')
  const rotary = ctx.attrInt('rotary_embedding_dim', 0)
  if (x.length === 4) return dimProduct([x[0]!, x[1]!, x[2]!, rotary > 0 ? rotary : dimMul(2, cos[1]!)])
  // 3-D: all of the hidden size rotates unless rotary_embedding_dim (with num_heads) narrows it
  if (rotary === 0) return dimProduct(x)
  const heads = ctx.attrInt('num_heads', 0)
  if (heads <= 0) ctx.fail('num_heads is required with rotary_embedding_dim for a 3-D input', heads)
  return dimProduct([x[0]!, x[1]!, heads, rotary])
}

const RotaryEmbedding = rotaryEmbeddingRule(rotatedElements)

interface DecoderDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly heads: number
  readonly head: Dim
  readonly vHead: Dim
  readonly total: Dim
  readonly presentKey: readonly Dim[]
  readonly presentValue: readonly Dim[]
}

function decoderDims(ctx: OpContext): DecoderDims {
  const heads = ctx.attrInt('num_heads')
  const q = inputDims(ctx, 0, 'query')
  expectRank(ctx, q, 3, 'query (batch_size, 1, hidden_size)')
  const [batch, seq] = [q[0]!, q[1]!]
  const key = optionalDims(ctx, 1)
  const value = optionalDims(ctx, 2)
  if (key?.length === 4) {
    // cross attention: key and value are the cached (B, N, L, H) projections
    const vHead = value?.length === 4 ? value[3]! : key[3]!
    return { batch, seq, heads, head: key[3]!, vHead, total: key[2]!, presentKey: key, presentValue: value ?? key }
  }
  let head: Dim
  let vHead: Dim
  if (key === undefined) {
    // packed QKV (B, 1, 2·hidden + v_hidden), hidden = v_hidden
    head = divideDim(ctx, q[2]!, 3 * heads, 'packed QKV size / (3·num_heads)')
    vHead = head
  } else {
    head = divideDim(ctx, q[2]!, heads, 'query hidden size / num_heads')
    vHead = value === undefined ? head : divideDim(ctx, value[value.length - 1]!, heads, 'value hidden size / num_heads')
  }
  const past = optionalDims(ctx, 5)
  if (past === undefined) {
    return { batch, seq, heads, head, vHead, total: seq, presentKey: [batch, heads, seq, head], presentValue: [batch, heads, seq, vHead] }
  }
  expectRank(ctx, past, 4, 'past_key (batch_size, num_heads, past_sequence_length, head_size)')
  if (ctx.attrInt('past_present_share_buffer', 0) !== 0) {
    // present aliases the max-length past buffer; past_sequence_length + S positions are attended
    const pastLength = dimsValue(ctx.optionalTensor(7))?.[0]
    const total = pastLength === undefined ? ctx.freshDim('total_sequence_length') : dimAdd(pastLength, seq)
    return { batch, seq, heads, head, vHead, total, presentKey: past, presentValue: optionalDims(ctx, 6) ?? past }
  }
  const total = dimAdd(past[2]!, seq)
  return { batch, seq, heads, head, vHead, total, presentKey: [batch, heads, total, head], presentValue: [batch, heads, total, vHead] }
}

const DecoderMaskedMultiHeadAttention: OpRule = {
  formula:
    'MACs = B·heads·S·T·(head_size + v_head_size) (Q·Kᵀ, scores·V); FLOPs = 2·MACs + scores·(1 scale + 1 per mask_index / attention_bias given) + 5·scores − 2·rows (softmax) + |Q| + |K| + |V| (+ bias, when given), scores = B·heads·S·T, rows = B·heads·S',
  infer(ctx) {
    const d = decoderDims(ctx)
    const dtype = ctx.tensor(0).dtype
    return pickOutputs(ctx, [
      tensorOf(dtype, [d.batch, d.seq, dimMul(d.heads, d.vHead)]),
      tensorOf(dtype, d.presentKey),
      tensorOf(dtype, d.presentValue),
      tensorOf(dtype, [d.batch, d.heads, d.seq, d.total]),
    ])
  },
  cost(ctx) {
    const d = decoderDims(ctx)
    const rows = dimProduct([d.batch, d.heads, d.seq])
    const scores = dimMul(rows, d.total)
    const macs = dimMul(scores, dimAdd(d.head, d.vHead))
    let flops = dimAdd(dimMul(2, macs), scoreFlops(scores, rows, 1 + present(ctx, 3) + present(ctx, 4)))
    if (ctx.optionalTensor(10) !== undefined) {
      const qkv = [0, 1, 2].map((i) => (optionalDims(ctx, i)?.length === 3 ? numel(optionalDims(ctx, i)) ?? 0 : 0))
      flops = dimAdd(flops, dimSum(qkv))
    }
    return { macs, flops }
  },
}

interface QAttentionDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly inputHidden: Dim
  readonly heads: number
  readonly hidden: Dim
  readonly head: Dim
  readonly total: Dim
}

function qattentionDims(ctx: OpContext): QAttentionDims {
  const heads = ctx.attrInt('num_heads')
  const x = inputDims(ctx, 0, 'input')
  const w = inputDims(ctx, 1, 'weight')
  expectRank(ctx, x, 3, 'input (batch_size, sequence_length, input_hidden_size)')
  expectRank(ctx, w, 2, 'weight (input_hidden_size, 3·hidden_size)')
  expectSameDim(ctx, w[0], x[2], 'weight rows ≠ input hidden size')
  const hidden = divideDim(ctx, w[1]!, 3, 'weight columns / 3')
  const head = divideDim(ctx, hidden, heads, 'hidden size / num_heads')
  const past = optionalDims(ctx, 8)
  if (past !== undefined) expectRank(ctx, past, 5, 'past (2, batch_size, num_heads, past_sequence_length, head_size)')
  const total = past === undefined ? x[1]! : dimAdd(past[3]!, x[1]!)
  return { batch: x[0]!, seq: x[1]!, inputHidden: x[2]!, heads, hidden, head, total }
}

const QAttention: OpRule = {
  formula:
    'MACs = B·S·in_hidden·3·hidden (input projection) + 2·B·heads·S·T·head_size (Q·Kᵀ, scores·V); FLOPs = 2·MACs + |input| (− input_zero_point, when given) + |weight| (− weight_zero_point, when given) + 2·B·S·3·hidden (× input_scale·weight_scale, + bias) + scores·(1 scale + 1 mask_index, when given + 1 unidirectional) + 5·scores − 2·rows (softmax), scores = B·heads·S·T, rows = B·heads·S',
  infer(ctx) {
    const d = qattentionDims(ctx)
    const dtype = ctx.tensor(2).dtype
    return pickOutputs(ctx, [tensorOf(dtype, [d.batch, d.seq, d.hidden]), tensorOf(dtype, [2, d.batch, d.heads, d.total, d.head])])
  },
  cost(ctx) {
    const d = qattentionDims(ctx)
    const tokens = dimMul(d.batch, d.seq)
    const rows = dimProduct([d.batch, d.heads, d.seq])
    const scores = dimMul(rows, d.total)
    const macs = dimAdd(dimProduct([tokens, d.inputHidden, 3, d.hidden]), dimProduct([2, scores, d.head]))
    const unidirectional = ctx.attrInt('unidirectional', 0) !== 0 ? 1 : 0
    const zeroPoints = dimAdd(
      dimMul(present(ctx, 6), numel(ctx.tensor(0).dims) ?? 0),
      dimMul(present(ctx, 7), numel(ctx.tensor(1).dims) ?? 0),
    )
    const flops = dimSum([
      dimMul(2, macs), zeroPoints, dimProduct([6, tokens, d.hidden]),
      scoreFlops(scores, rows, 1 + present(ctx, 5) + unidirectional),
    ])
    return { macs, flops }
  },
}

/** The contrib attention rules, merged into CONTRIB_RULES. */
export const CONTRIB_ATTENTION_RULES: OpRuleTable = {
  [`${MS}::GroupQueryAttention`]: GroupQueryAttention,
  [`${MS}::RotaryEmbedding`]: RotaryEmbedding,
  [`${MS}::DecoderMaskedMultiHeadAttention`]: DecoderMaskedMultiHeadAttention,
  [`${MS}::QAttention`]: QAttention,
}
