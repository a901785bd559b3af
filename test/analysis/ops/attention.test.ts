import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('Attention (ai.onnx)', () => {
  it('infers Y, present key/value and the QK output of 4-D inputs with a past', () => {
    const r = runOp(
      'Attention',
      [t([2, 3, 4, 8]), t([2, 3, 6, 8]), t([2, 3, 6, 10]), t([4, 18]), t([2, 3, 12, 8]), t([2, 3, 12, 10])],
      {},
      { opset: 23, outputs: 4 },
    )
    expect(out(r, 0).dims).toEqual([2, 3, 4, 10])
    expect(out(r, 1).dims).toEqual([2, 3, 18, 8])
    expect(out(r, 2).dims).toEqual([2, 3, 18, 10])
    expect(out(r, 3).dims).toEqual([2, 3, 4, 18])
  })

  it('splits 3-D inputs into heads (grouped-query attention)', () => {
    // 9 query heads of 72/9 = 8, 3 kv heads; Y hidden = 9·8
    const r = runOp('Attention', [t([2, 4, 72]), t([2, 6, 24]), t([2, 6, 24])], { q_num_heads: 9, kv_num_heads: 3 }, { opset: 23 })
    expect(out(r).dims).toEqual([2, 4, 72])
  })

  it('counts Q·Kᵀ and scores·V as MACs and scaling, mask and softmax as FLOPs', () => {
    // scores = B·Hq·Sq·T = 1·2·3·5 = 30; MACs = 30·(4 + 4) = 240
    // FLOPs = 480 + |Q| 24 + |K| 40 (× √scale) + 30 (mask) + 5·30 − 2·6 (softmax over 1·2·3 rows)
    const r = runOp('Attention', [t([1, 2, 3, 4]), t([1, 2, 5, 4]), t([1, 2, 5, 4]), t([3, 5])], {}, { opset: 23 })
    expect(r.cost).toEqual({ macs: 240, flops: 480 + 24 + 40 + 30 + 138 })
  })

  it('adds 3 FLOPs per score for a soft cap', () => {
    const base = runOp('Attention', [t([1, 2, 3, 4]), t([1, 2, 5, 4]), t([1, 2, 5, 4])], {}, { opset: 23 }).cost
    const capped = runOp('Attention', [t([1, 2, 3, 4]), t([1, 2, 5, 4]), t([1, 2, 5, 4])], { softcap: { float: 2 } }, { opset: 23 }).cost
    expect(Number(capped.flops) - Number(base.flops)).toBe(90)
  })

  it('keeps symbolic sequence lengths in the cost', () => {
    const r = runOp('Attention', [t([1, 1, 'S', 4]), t([1, 1, 'S', 4]), t([1, 1, 'S', 4])], {}, { opset: 23 })
    expect(r.cost.macs).toBe('8*S*S')
  })

  it('rejects a hidden size that the head count does not divide', () => {
    const e = shapeError(() => runOp('Attention', [t([2, 4, 10]), t([2, 6, 12]), t([2, 6, 12])], { q_num_heads: 3, kv_num_heads: 3 }, { opset: 23 }))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('RotaryEmbedding', () => {
  it('keeps the input shape and costs 3 FLOPs per rotated element', () => {
    // 4-D [2, 4, 3, 8], rotary dim 4: 2·4·3·4 = 96 rotated elements
    const r = runOp('RotaryEmbedding', [t([2, 4, 3, 8]), t([50, 2]), t([50, 2]), t([2, 3], 'int64')], { rotary_embedding_dim: 4 }, { opset: 23 })
    expect(out(r).dims).toEqual([2, 4, 3, 8])
    expect(r.cost).toEqual({ macs: 0, flops: 288 })
  })

  it('rotates all of a 3-D input by default', () => {
    expect(runOp('RotaryEmbedding', [t([2, 3, 32]), t([50, 4]), t([50, 4]), t([2, 3], 'int64')], { num_heads: 4 }, { opset: 23 }).cost.flops).toBe(576)
  })
})

describe('com.microsoft::Attention', () => {
  const ms = { domain: 'com.microsoft', opset: 1, outputs: 2 }

  it('infers the output and present state of BERT-style self-attention', () => {
    const r = runOp('Attention', [t(['B', 'S', 768]), t([768, 2304]), t([2304])], { num_heads: 12 }, ms)
    expect(out(r).dims).toEqual(['B', 'S', 768])
    expect(out(r, 1).dims).toEqual([2, 'B', 12, 'S', 64])
  })

  it('counts the fused input projection plus the attention products', () => {
    // projection 1·2·8·24 = 384; scores 1·2·2·2 = 8, ·(4 + 4) = 64; MACs 448
    // FLOPs = 896 + bias 2·24 + 8 (scale) + 5·8 − 2·4 (softmax over 1·2·2 rows)
    const r = runOp('Attention', [t([1, 2, 8]), t([8, 24]), t([24])], { num_heads: 2 }, ms)
    expect(r.cost).toEqual({ macs: 448, flops: 896 + 48 + 8 + 32 })
  })

  it('appends the past to the present state', () => {
    const r = runOp('Attention', [t([1, 2, 8]), t([8, 24]), t([24]), undefined, t([2, 1, 2, 5, 4])], { num_heads: 2 }, ms)
    expect(out(r, 1).dims).toEqual([2, 1, 2, 7, 4])
  })

  it('honours qkv_hidden_sizes', () => {
    const r = runOp('Attention', [t([1, 2, 8]), t([8, 20])], { num_heads: 2, qkv_hidden_sizes: [8, 8, 4] }, ms)
    expect(out(r).dims).toEqual([1, 2, 4])
  })
})

describe('com.microsoft::MultiHeadAttention', () => {
  const ms = { domain: 'com.microsoft', opset: 1, outputs: 3 }

  it('infers cross attention with separate key and value and a past', () => {
    const r = runOp(
      'MultiHeadAttention',
      [t([2, 3, 16]), t([2, 5, 16]), t([2, 5, 16]), undefined, undefined, undefined, t([2, 4, 6, 4]), t([2, 4, 6, 4])],
      { num_heads: 4 },
      ms,
    )
    expect(out(r).dims).toEqual([2, 3, 16])
    expect(out(r, 1).dims).toEqual([2, 4, 11, 4])
  })

  it('counts only the attention products as MACs', () => {
    // scores 1·2·3·3 = 18, head 4: 18·8 = 144 MACs; FLOPs 288 + 18 (scale) + 5·18 − 2·6 (softmax)
    const r = runOp('MultiHeadAttention', [t([1, 3, 8]), t([1, 3, 8]), t([1, 3, 8])], { num_heads: 2 }, ms)
    expect(r.cost).toEqual({ macs: 144, flops: 288 + 18 + 78 })
  })

  it('reads packed QKV', () => {
    expect(out(runOp('MultiHeadAttention', [t([2, 3, 4, 3, 8])], { num_heads: 4 }, ms)).dims).toEqual([2, 3, 32])
  })
})
