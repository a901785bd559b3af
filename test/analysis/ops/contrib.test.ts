import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

const ms = { domain: 'com.microsoft', opset: 1 }

describe('EmbedLayerNormalization', () => {
  const inputs = [
    t([2, 8], 'int32'), t([2, 8], 'int32'), t([100, 16]), t([64, 16]), t([2, 16]), t([16]), t([16]), t([2, 8], 'int32'),
  ]

  it('outputs the normalized embedding, the mask index and the embedding sum', () => {
    const r = runOp('EmbedLayerNormalization', inputs, {}, { ...ms, outputs: 3 })
    expect(out(r, 0).dims).toEqual([2, 8, 16])
    expect(out(r, 1).dims).toEqual([2])
    expect(out(r, 1).dtype).toBe('int32')
    expect(out(r, 2).dims).toEqual([2, 8, 16])
  })

  it('counts the embedding sums, the LayerNorm and the mask sum', () => {
    // out = 2·8·16 = 256, rows = 16: 2·256 (position, segment) + 7·256 + 5·16 (LayerNorm) + 16 (mask)
    expect(runOp('EmbedLayerNormalization', inputs, {}, { ...ms, outputs: 3 }).cost).toEqual({ macs: 0, flops: 512 + 1872 + 16 })
  })

  it('rejects embeddings of different hidden sizes', () => {
    const bad = [t([2, 8], 'int32'), undefined, t([100, 16]), t([64, 8]), undefined, t([16]), t([16])]
    expect(shapeError(() => runOp('EmbedLayerNormalization', bad, {}, ms)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('BiasAdd, BiasSplitGelu, BiasSoftmax', () => {
  it('BiasAdd adds a bias and a residual', () => {
    const r = runOp('BiasAdd', [t(['N', 3, 4]), t([4]), t(['N', 3, 4])], {}, ms)
    expect(out(r).dims).toEqual(['N', 3, 4])
    expect(r.cost).toEqual({ macs: 0, flops: '24*N' })
  })

  it('BiasSplitGelu halves the last dim and counts bias, Gelu and product', () => {
    // in 16 (bias) + out 8 · (5 Gelu + 1 product)
    const r = runOp('BiasSplitGelu', [t([1, 2, 8]), t([8])], {}, ms)
    expect(out(r).dims).toEqual([1, 2, 4])
    expect(r.cost).toEqual({ macs: 0, flops: 64 })
    expect(shapeError(() => runOp('BiasSplitGelu', [t([1, 2, 7]), t([7])], {}, ms)).code).toBe('E_SHAPE_INFERENCE')
  })

  it('BiasSoftmax counts the bias add and the softmax over the dims from axis on', () => {
    // axis 1 (default): rows = 2; 24 (bias) + 5·24 − 2·2
    const r = runOp('BiasSoftmax', [t([2, 3, 4]), t([1, 3, 4])], { is_inner_broadcast: 0 }, ms)
    expect(out(r).dims).toEqual([2, 3, 4])
    expect(r.cost).toEqual({ macs: 0, flops: 140 })
  })
})

describe('GemmFastGelu', () => {
  it('multiplies, adds the bias and applies the tanh-approximated Gelu', () => {
    // MACs = 2·3·5·4 = 120; FLOPs = 240 + 30·(1 bias + 8 FastGelu)
    const r = runOp('GemmFastGelu', [t([2, 3, 4]), t([4, 5]), t([5])], {}, ms)
    expect(out(r).dims).toEqual([2, 3, 5])
    expect(r.cost).toEqual({ macs: 120, flops: 510 })
  })
})

describe('MatMulNBits', () => {
  const attrs = { K: 64, N: 32, bits: 4, block_size: 32 }
  const weights = [t([32, 2, 16], 'uint8'), t([32, 2])]

  it('replaces the last dim of A with N', () => {
    expect(out(runOp('MatMulNBits', [t([1, 'S', 64], 'float16'), ...weights], attrs, ms)).dims).toEqual([1, 'S', 32])
  })

  it('counts MACs as a MatMul and the dequantization of the N·K weights', () => {
    // MACs = S·64·32 = 2048·S; FLOPs = 2·MACs + 2·32·64
    const r = runOp('MatMulNBits', [t([1, 'S', 64]), ...weights], attrs, ms)
    expect(r.cost).toEqual({ macs: '2048*S', flops: '4096*S + 4096' })
    // with a bias: + out = 4·32
    const biased = runOp('MatMulNBits', [t([4, 64]), ...weights, undefined, undefined, t([32])], attrs, ms)
    expect(biased.cost).toEqual({ macs: 8192, flops: 16384 + 4096 + 128 })
  })

  it('rejects an A whose last dim is not K', () => {
    expect(shapeError(() => runOp('MatMulNBits', [t([4, 63]), ...weights], attrs, ms)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('DynamicQuantizeMatMul and MatMulIntegerToFloat', () => {
  it('DynamicQuantizeMatMul counts the quantization of A, zero points, scaling and bias', () => {
    // MACs = 2·3·4 = 24; FLOPs = 48 + 8·|A| 8 + 7 + out 6 (scale)
    const r = runOp('DynamicQuantizeMatMul', [t([2, 4]), t([4, 3], 'int8'), t([3])], {}, ms)
    expect(out(r).dims).toEqual([2, 3])
    expect(out(r).dtype).toBe('float32')
    expect(r.cost).toEqual({ macs: 24, flops: 48 + 64 + 7 + 6 })
    // + |B| 12 (b_zero_point) + out 6 (bias)
    const full = runOp('DynamicQuantizeMatMul', [t([2, 4]), t([4, 3], 'int8'), t([3]), t([3], 'int8'), t([3])], {}, ms)
    expect(full.cost).toEqual({ macs: 24, flops: 125 + 18 })
  })

  it('MatMulIntegerToFloat outputs the scale type and counts zero points, scaling and bias', () => {
    // MACs 24; FLOPs = 48 + |A| 8 (a_zero_point) + out 6 (scale)
    const r = runOp('MatMulIntegerToFloat', [t([2, 4], 'uint8'), t([4, 3], 'int8'), t([], 'float16'), t([3], 'float16'), t([], 'uint8')], {}, ms)
    expect(out(r).dtype).toBe('float16')
    expect(r.cost).toEqual({ macs: 24, flops: 62 })
  })
})

describe('QLinear element-wise ops', () => {
  const q = (dims: (number | string)[]) => t(dims, 'uint8')
  const s = t([])

  it('QLinearAdd and QLinearMul broadcast and count the quantized formula', () => {
    const add = runOp('QLinearAdd', [q([2, 3]), s, q([]), q([3]), s, q([]), s, q([])], {}, ms)
    expect(out(add).dims).toEqual([2, 3])
    expect(out(add).dtype).toBe('uint8')
    expect(add.cost).toEqual({ macs: 0, flops: 60 })
    const mul = runOp('QLinearMul', [q(['N', 3]), s, q([]), q([3]), s, q([]), s, q([])], {}, ms)
    expect(mul.cost).toEqual({ macs: 0, flops: '27*N + 1' })
    expect(shapeError(() => runOp('QLinearAdd', [q([2, 3]), s, q([]), q([4]), s, q([]), s, q([])], {}, ms)).code).toBe('E_SHAPE_INFERENCE')
  })

  it('QLinearSigmoid counts dequantize, sigmoid and quantize', () => {
    expect(runOp('QLinearSigmoid', [q([4]), s, q([]), s, q([])], {}, ms).cost).toEqual({ macs: 0, flops: 44 })
  })

  it('QLinearGlobalAveragePool keeps N and C, in either layout', () => {
    // 3·48 (dequantize, sum and divide) + 5·3 (quantize)
    const r = runOp('QLinearGlobalAveragePool', [q([1, 3, 4, 4]), s, q([]), s, q([])], {}, ms)
    expect(out(r).dims).toEqual([1, 3, 1, 1])
    expect(r.cost).toEqual({ macs: 0, flops: 159 })
    const last = runOp('QLinearGlobalAveragePool', [q([1, 4, 4, 3]), s, q([]), s, q([])], { channels_last: 1 }, ms)
    expect(out(last).dims).toEqual([1, 1, 1, 3])
  })

  it('QLinearConcat joins the (tensor, scale, zero point) triples and requantizes', () => {
    const r = runOp('QLinearConcat', [s, q([]), q([2, 3]), s, q([]), q([2, 5]), s, q([])], { axis: 1 }, ms)
    expect(out(r).dims).toEqual([2, 8])
    expect(r.cost).toEqual({ macs: 0, flops: 112 })
    expect(shapeError(() => runOp('QLinearConcat', [s, q([]), q([2, 3]), s], { axis: 1 }, ms)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('GroupQueryAttention', () => {
  const attrs = { num_heads: 4, kv_num_heads: 2 }
  const opts = { ...ms, outputs: 3 }
  const seqlens = t([1], 'int32')

  it('sizes the present cache to max(past length, total_sequence_length)', () => {
    const r = runOp('GroupQueryAttention', [t([1, 4, 64]), t([1, 4, 32]), t([1, 4, 32]), t([1, 2, 6, 16]), t([1, 2, 6, 16]), seqlens, t([], 'int32', [10])], attrs, opts)
    expect(out(r, 0).dims).toEqual([1, 4, 64])
    expect(out(r, 1).dims).toEqual([1, 2, 10, 16])
    expect(out(r, 2).dims).toEqual([1, 2, 10, 16])
  })

  it('splits packed QKV into (num_heads + 2·kv_num_heads) heads', () => {
    const r = runOp('GroupQueryAttention', [t([1, 4, 128]), undefined, undefined, undefined, undefined, seqlens, t([], 'int32', [4])], attrs, opts)
    expect(out(r, 0).dims).toEqual([1, 4, 64])
    expect(out(r, 1).dims).toEqual([1, 2, 4, 16])
  })

  it('takes an unknown total_sequence_length as the kv length in prefill, else as a fresh symbol', () => {
    const prefill = runOp('GroupQueryAttention', [t([1, 'S', 64]), t([1, 'S', 32]), t([1, 'S', 32]), undefined, undefined, seqlens, t([], 'int32')], attrs, opts)
    expect(out(prefill, 1).dims).toEqual([1, 2, 'S', 16])
    const decode = runOp('GroupQueryAttention', [t([1, 1, 64]), t([1, 1, 32]), t([1, 1, 32]), t([1, 2, 6, 16]), t([1, 2, 6, 16]), seqlens, t([], 'int32')], attrs, opts)
    expect(out(decode, 1).dims).toEqual([1, 2, 'max(test_GroupQueryAttention.total_sequence_length, 6)', 16])
  })

  it('counts Q·Kᵀ and scores·V over the total length, and the causal softmax', () => {
    // scores = 1·4·4·10 = 160, rows = 16; MACs = 2·160·16 = 5120;
    // FLOPs = 10240 + 160·(1 scale + 1 causal) + 5·160 − 2·16
    const r = runOp('GroupQueryAttention', [t([1, 4, 64]), t([1, 4, 32]), t([1, 4, 32]), t([1, 2, 6, 16]), t([1, 2, 6, 16]), seqlens, t([], 'int32', [10])], attrs, opts)
    expect(r.cost).toEqual({ macs: 5120, flops: 10240 + 320 + 768 })
  })

  it('adds the rotary embedding of Q and K when do_rotary is set', () => {
    // 3·B·S·(4 + 2)·rotary_dim (2·8) = 3·4·6·16
    const base = [t([1, 4, 64]), t([1, 4, 32]), t([1, 4, 32]), undefined, undefined, seqlens, t([], 'int32', [4])]
    const plain = runOp('GroupQueryAttention', base, attrs, opts).cost
    const rotary = runOp('GroupQueryAttention', [...base, t([16, 8]), t([16, 8])], { ...attrs, do_rotary: 1 }, opts).cost
    expect(Number(rotary.flops) - Number(plain.flops)).toBe(1152)
  })

  it('rejects head counts that do not group', () => {
    expect(shapeError(() => runOp('GroupQueryAttention', [t([1, 4, 48]), t([1, 4, 32]), t([1, 4, 32]), undefined, undefined, seqlens, t([], 'int32', [4])], { num_heads: 3, kv_num_heads: 2 }, opts)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('RotaryEmbedding (com.microsoft)', () => {
  it('keeps the shape and counts 3 FLOPs per rotated element', () => {
    // 3-D without rotary_embedding_dim: all 1·4·64 elements rotate
    const r = runOp('RotaryEmbedding', [t([1, 4, 64]), t([1, 4], 'int64'), t([128, 8]), t([128, 8])], {}, ms)
    expect(out(r).dims).toEqual([1, 4, 64])
    expect(r.cost).toEqual({ macs: 0, flops: 768 })
    // 4-D: B·N·S·(2·8)
    expect(runOp('RotaryEmbedding', [t([1, 2, 4, 16]), t([1, 4], 'int64'), t([128, 8]), t([128, 8])], {}, ms).cost.flops).toBe(384)
  })

  it('requires num_heads with a partial rotary dim on a 3-D input', () => {
    const e = shapeError(() => runOp('RotaryEmbedding', [t([1, 4, 64]), t([1, 4], 'int64'), t([128, 4]), t([128, 4])], { rotary_embedding_dim: 8 }, ms))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('DecoderMaskedMultiHeadAttention', () => {
  const opts = { ...ms, outputs: 3 }
  const qkv = [t([2, 1, 64]), t([2, 1, 64]), t([2, 1, 64])]

  it('appends the new token to the past cache', () => {
    const r = runOp('DecoderMaskedMultiHeadAttention', [...qkv, undefined, undefined, t([2, 4, 7, 16]), t([2, 4, 7, 16])], { num_heads: 4 }, opts)
    expect(out(r, 0).dims).toEqual([2, 1, 64])
    expect(out(r, 1).dims).toEqual([2, 4, 8, 16])
  })

  it('keeps the shared buffer and attends past_sequence_length + 1 positions', () => {
    // T = 7 + 1: scores = 2·4·1·8 = 64, rows 8; MACs = 64·32; FLOPs = 4096 + 64 + 5·64 − 16
    const shared = [...qkv, undefined, undefined, t([2, 4, 32, 16]), t([2, 4, 32, 16]), t([1], 'int32', [7])]
    const r = runOp('DecoderMaskedMultiHeadAttention', shared, { num_heads: 4, past_present_share_buffer: 1 }, opts)
    expect(out(r, 1).dims).toEqual([2, 4, 32, 16])
    expect(r.cost).toEqual({ macs: 2048, flops: 4464 })
  })

  it('reads cross-attention K and V as cached (B, N, L, H) tensors', () => {
    const r = runOp('DecoderMaskedMultiHeadAttention', [t([2, 1, 64]), t([2, 4, 10, 16]), t([2, 4, 10, 16])], { num_heads: 4 }, { ...ms, outputs: 1 })
    expect(out(r).dims).toEqual([2, 1, 64])
    expect(r.cost.macs).toBe(2 * 4 * 10 * 32)
  })
})

describe('QAttention', () => {
  const inputs = [t([1, 4, 8], 'uint8'), t([8, 24], 'uint8'), t([24]), t([]), t([])]

  it('outputs the float attention and the stacked present key/value', () => {
    const r = runOp('QAttention', inputs, { num_heads: 2 }, { ...ms, outputs: 2 })
    expect(out(r, 0).dims).toEqual([1, 4, 8])
    expect(out(r, 0).dtype).toBe('float32')
    expect(out(r, 1).dims).toEqual([2, 1, 2, 4, 4])
  })

  it('counts the projection and attention products as MACs', () => {
    // MACs = 4·8·24 (projection) + 2·(1·2·4·4)·4 = 768 + 256;
    // FLOPs = 2048 + 6·4·8 (dequantize, bias) + 32 (scale) + 5·32 − 2·8
    const r = runOp('QAttention', inputs, { num_heads: 2 }, { ...ms, outputs: 2 })
    expect(r.cost).toEqual({ macs: 1024, flops: 2048 + 192 + 32 + 144 })
  })

  it('rejects weights whose columns are not three equal parts', () => {
    expect(shapeError(() => runOp('QAttention', [t([1, 4, 8], 'uint8'), t([8, 25], 'uint8'), t([25]), t([]), t([])], { num_heads: 2 }, ms)).code).toBe('E_SHAPE_INFERENCE')
  })
})
