import { describe, expect, it } from 'vitest'
import { imageSize } from '../../../src/analysis/ops/_image-header.js'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('SwiGLU', () => {
  it('outputs the common shape of A and B, a known dim winning over a symbol', () => {
    const r = runOp('SwiGLU', [t(['N', 4], 'float16'), t([2, 4], 'float16')], {}, { opset: 28 })
    expect(out(r).dims).toEqual([2, 4])
    expect(out(r).dtype).toBe('float16')
  })

  it('counts Swish (6) and the product (1) per element', () => {
    // 2·4 elements · 7
    expect(runOp('SwiGLU', [t([2, 4]), t([2, 4])], {}, { opset: 28 }).cost).toEqual({ macs: 0, flops: 56 })
  })

  it('does not broadcast', () => {
    expect(shapeError(() => runOp('SwiGLU', [t([2, 4]), t([4])], {}, { opset: 28 })).code).toBe('E_SHAPE_INFERENCE')
    expect(shapeError(() => runOp('SwiGLU', [t([2, 4]), t([1, 4])], {}, { opset: 28 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('CausalConvWithState', () => {
  const opts = { opset: 27, outputs: 2 }

  it('keeps the input shape and carries the last k − 1 positions', () => {
    const r = runOp('CausalConvWithState', [t([2, 4, 8]), t([4, 1, 4])], {}, opts)
    expect(out(r, 0).dims).toEqual([2, 4, 8])
    expect(out(r, 1).dims).toEqual([2, 4, 3])
    const one = runOp('CausalConvWithState', [t([2, 4, 8]), t([4, 1, 1])], {}, opts)
    expect(out(one, 1).dims).toEqual([2, 4, 0])
  })

  it('takes the state length from past_state when the kernel size is symbolic', () => {
    const r = runOp('CausalConvWithState', [t([2, 4, 1]), t([4, 1, 'K']), t([4]), t([2, 4, 3])], {}, opts)
    expect(out(r, 1).dims).toEqual([2, 4, 3])
  })

  it('counts a k-tap depthwise product per output as MACs, bias and SiLU as FLOPs', () => {
    // MACs = B·C·L·k = 2·4·8·4 = 256; FLOPs = 512 + 64 (bias) + 5·64 (silu)
    expect(runOp('CausalConvWithState', [t([2, 4, 8]), t([4, 1, 4])], {}, opts).cost).toEqual({ macs: 256, flops: 512 })
    const fused = runOp('CausalConvWithState', [t([2, 4, 8]), t([4, 1, 4]), t([4])], { activation: 'silu' }, opts)
    expect(fused.cost).toEqual({ macs: 256, flops: 512 + 64 + 320 })
  })

  it('keeps a symbolic length in the cost', () => {
    expect(runOp('CausalConvWithState', [t([2, 4, 'L']), t([4, 1, 4])], {}, opts).cost.macs).toBe('32*L')
  })

  it('rejects an unknown activation and mismatched channels', () => {
    expect(shapeError(() => runOp('CausalConvWithState', [t([2, 4, 8]), t([4, 1, 4])], { activation: 'relu' }, opts)).code).toBe('E_SHAPE_INFERENCE')
    expect(shapeError(() => runOp('CausalConvWithState', [t([2, 4, 8]), t([3, 1, 4])], {}, opts)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('LinearAttention', () => {
  const opts = { opset: 27, outputs: 2 }
  const heads = { q_num_heads: 4, kv_num_heads: 4 }

  it('packs the heads of the output and keeps the state 4-D', () => {
    // GQA: 8 query heads of 64/8 = 8, 4 kv heads; value head 32/4 = 8
    const r = runOp('LinearAttention', [t([2, 4, 64], 'float16'), t([2, 4, 32], 'float16'), t([2, 4, 32], 'float16'), undefined, t([2, 4, 32], 'float16'), t([2, 4, 4], 'float16')], { q_num_heads: 8, kv_num_heads: 4 }, opts)
    expect(out(r, 0).dims).toEqual([2, 4, 64])
    expect(out(r, 1).dims).toEqual([2, 4, 8, 8])
    expect(out(r, 1).dtype).toBe('float16')
  })

  it('gives present_state the type of past_state', () => {
    const r = runOp('LinearAttention', [t([2, 1, 32], 'float16'), t([2, 1, 32], 'float16'), t([2, 1, 32], 'float16'), t([2, 4, 8, 8])], { ...heads, update_rule: 'linear' }, opts)
    expect(out(r, 1).dtype).toBe('float32')
  })

  it('counts the state update and the readout as MACs', () => {
    // linear: B·T = 8 steps, dk·dv = 64; MACs = 8·64·(4 + 4) = 4096; FLOPs = 8192 + 8·4·8 (× scale)
    const linear = runOp('LinearAttention', [t([2, 4, 32]), t([2, 4, 32]), t([2, 4, 32])], { ...heads, update_rule: 'linear' }, opts)
    expect(linear.cost).toEqual({ macs: 4096, flops: 8448 })
    // gated_delta adds the retrieval Sᵀk: MACs = 8·64·(4 + 8) = 6144;
    // FLOPs = 12288 + 256 (scale) + 256 (exp of decay) + 8·4·64 (decay the state) + 2·8·4·8 (v − Sᵀk, × β)
    const gd = runOp('LinearAttention', [t([2, 4, 32]), t([2, 4, 32]), t([2, 4, 32]), undefined, t([2, 4, 32]), t([2, 4, 4])], heads, opts)
    expect(gd.cost).toEqual({ macs: 6144, flops: 12288 + 256 + 256 + 2048 + 512 })
  })

  it('keeps a symbolic sequence length in the cost', () => {
    const r = runOp('LinearAttention', [t([1, 'T', 32]), t([1, 'T', 32]), t([1, 'T', 32])], { ...heads, update_rule: 'linear' }, opts)
    expect(r.cost.macs).toBe('512*T')
  })

  it('rejects head counts that do not group and a gated rule without decay', () => {
    expect(shapeError(() => runOp('LinearAttention', [t([2, 4, 30]), t([2, 4, 32]), t([2, 4, 32])], { q_num_heads: 3, kv_num_heads: 2, update_rule: 'linear' }, opts)).code).toBe('E_SHAPE_INFERENCE')
    expect(shapeError(() => runOp('LinearAttention', [t([2, 4, 32]), t([2, 4, 32]), t([2, 4, 32])], { ...heads, update_rule: 'gated' }, opts)).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('FlexAttention (ai.onnx.preview)', () => {
  const preview = { domain: 'ai.onnx.preview', opset: 1 }

  it('outputs (B, Hq, L, v_head_size), K/V heads shared by groups of query heads', () => {
    const r = runOp('FlexAttention', [t([2, 8, 4, 16]), t([2, 2, 6, 16]), t([2, 2, 6, 32])], {}, preview)
    expect(out(r).dims).toEqual([2, 8, 4, 32])
  })

  it('counts Q·Kᵀ and P·V as MACs, the scale and softmax as FLOPs', () => {
    // scores = 2·4·8·6 = 384; MACs = 384·(16 + 16) = 12288; FLOPs = 24576 + 384 + 5·384 − 2·64
    const r = runOp('FlexAttention', [t([2, 4, 8, 16]), t([2, 4, 6, 16]), t([2, 4, 6, 16])], {}, preview)
    expect(r.cost).toEqual({ macs: 12288, flops: 26752 })
  })

  it('keeps a symbolic query length', () => {
    expect(runOp('FlexAttention', [t([1, 1, 'L', 4]), t([1, 1, 3, 4]), t([1, 1, 3, 4])], {}, preview).cost.macs).toBe('24*L')
  })

  it('rejects non-4-D inputs, different Q/K head sizes and ungrouped heads', () => {
    expect(shapeError(() => runOp('FlexAttention', [t([2, 8, 16]), t([2, 6, 16]), t([2, 6, 16])], {}, preview)).code).toBe('E_SHAPE_INFERENCE')
    expect(shapeError(() => runOp('FlexAttention', [t([1, 2, 4, 8]), t([1, 2, 4, 4]), t([1, 2, 4, 8])], {}, preview)).code).toBe('E_SHAPE_INFERENCE')
    expect(shapeError(() => runOp('FlexAttention', [t([1, 3, 4, 8]), t([1, 2, 4, 8]), t([1, 2, 4, 8])], {}, preview)).code).toBe('E_SHAPE_INFERENCE')
  })
})

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))
const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const le16 = (n: number): number[] => [n & 255, (n >>> 8) & 255]
const le32 = (n: number): number[] => [...le16(n & 0xffff), ...le16(n >>> 16)]

// 40 wide, 30 high in every format (non-square, so width and height cannot be swapped unnoticed)
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...be32(13), ...ascii('IHDR'), ...be32(40), ...be32(30), 8, 2, 0, 0, 0]
const JPEG = [0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc2, 0, 11, 8, 0, 30, 0, 40, 3]

describe('ImageDecoder', () => {
  it('reads the output size from the header of known encoded bytes', () => {
    const r = runOp('ImageDecoder', [t([PNG.length], 'uint8', PNG)], {}, { opset: 20 })
    expect(out(r).dims).toEqual([30, 40, 3])
    expect(out(r).dtype).toBe('uint8')
    const gray = runOp('ImageDecoder', [t([JPEG.length], 'uint8', JPEG)], { pixel_format: 'Grayscale' }, { opset: 20 })
    expect(out(gray).dims).toEqual([30, 40, 1])
  })

  it('makes fresh symbols for height and width when the bytes are unknown or unrecognized', () => {
    const unknown = out(runOp('ImageDecoder', [t(['bytes'], 'uint8')], { pixel_format: 'BGR' }, { opset: 20 }))
    expect(unknown.dims).toEqual(['test_ImageDecoder.height', 'test_ImageDecoder.width', 3])
    const garbage = out(runOp('ImageDecoder', [t([4], 'uint8', [1, 2, 3, 4])], {}, { opset: 20 }))
    expect(garbage.dims).toEqual(['test_ImageDecoder.height', 'test_ImageDecoder.width', 3])
  })

  it('counts no arithmetic', () => {
    expect(runOp('ImageDecoder', [t([PNG.length], 'uint8', PNG)], {}, { opset: 20 }).cost).toEqual({ macs: 0, flops: 0 })
  })

  it('rejects an unknown pixel format', () => {
    expect(shapeError(() => runOp('ImageDecoder', [t([PNG.length], 'uint8', PNG)], { pixel_format: 'RGBA' }, { opset: 20 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('image headers', () => {
  const size = { width: 40, height: 30 }

  it('reads PNG IHDR and JPEG SOFn (skipping other segments)', () => {
    expect(imageSize(PNG)).toEqual(size)
    expect(imageSize(JPEG)).toEqual(size)
  })

  it('reads BMP info and core headers, top-down bitmaps included', () => {
    const info = [...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(54), ...le32(40), ...le32(40), ...le32(2 ** 32 - 30)]
    expect(imageSize(info)).toEqual(size)
    const core = [...ascii('BM'), ...le32(0), 0, 0, 0, 0, ...le32(26), ...le32(12), ...le16(40), ...le16(30)]
    expect(imageSize(core)).toEqual(size)
  })

  it('reads PNM with comments, and TIFF in both byte orders', () => {
    expect(imageSize(ascii('P6\n# made by hand\n40 30\n255\n'))).toEqual(size)
    const entry = (tag: number, type: number, value: number): number[] => [...le16(tag), ...le16(type), ...le32(1), ...le32(value)]
    const ii = [...ascii('II'), 42, 0, ...le32(8), ...le16(2), ...entry(256, 3, 40), ...entry(257, 4, 30), ...le32(0)]
    expect(imageSize(ii)).toEqual(size)
    // big-endian, entries in another order, the SHORT left-justified in its value field
    const mm = [...ascii('MM'), 0, 42, ...be32(8), 0, 2, 1, 1, 0, 4, ...be32(1), ...be32(30), 1, 0, 0, 3, ...be32(1), 0, 40, 0, 0]
    expect(imageSize(mm)).toEqual(size)
  })

  it('reads WebP lossy, lossless and extended headers', () => {
    const riff = (chunk: string, body: number[]): number[] => [...ascii('RIFF'), ...le32(0), ...ascii('WEBP'), ...ascii(chunk), ...le32(body.length), ...body]
    expect(imageSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(40), ...le16(30)]))).toEqual(size)
    const bits = 39 + 29 * 2 ** 14
    expect(imageSize(riff('VP8L', [0x2f, ...le32(bits)]))).toEqual(size)
    expect(imageSize(riff('VP8X', [0, 0, 0, 0, 39, 0, 0, 29, 0, 0]))).toEqual(size)
  })

  it('reads JPEG 2000 files (ihdr box) and codestreams (SIZ)', () => {
    const jp2 = [...be32(12), ...ascii('jP  '), 0x0d, 0x0a, 0x87, 0x0a, ...be32(45), ...ascii('jp2h'), ...be32(22), ...ascii('ihdr'), ...be32(30), ...be32(40), 0, 3]
    expect(imageSize(jp2)).toEqual(size)
    const j2k = [0xff, 0x4f, 0xff, 0x51, 0, 41, 0, 0, ...be32(42), ...be32(31), ...be32(2), ...be32(1)]
    expect(imageSize(j2k)).toEqual(size)
  })

  it('gives up on unknown or truncated headers', () => {
    expect(imageSize(ascii('GIF89a'))).toBeUndefined()
    expect(imageSize(PNG.slice(0, 20))).toBeUndefined()
  })
})
