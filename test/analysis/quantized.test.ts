import { describe, expect, it } from 'vitest'
import {
  CONV_MLP, NBITS_BLOCK, bfloat16ConvMlp, dynamicConvMlp, float8ConvMlp, float16ConvMlp, floatConvMlp, floatNBitsBlock, nbitsBlock, qdqConvMlp, qoperatorConvMlp,
} from '../../fixtures/quantized/index.js'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { convertToQdq } from '../../fixtures/quantized/qdq-convert.js'
import { TORCHVISION_PUBLISHED, buildTorchvisionModel } from '../../fixtures/torchvision/index.js'
import { analyzeModel } from '../../src/index.js'

// Figures derived in fixtures/quantized/index.ts: the float model holds 5,354 weights and does 18,944 MACs.
const BIASES = 8 + 10
const WEIGHTS = CONV_MLP.learnable - BIASES // 5,336 quantizable weights (216 + 5,120)

describe('the float reference models', () => {
  it('conv-mlp: 5,354 float32 weights, 18,944 MACs, 32 bits per weight, no quantization metadata', async () => {
    const r = await analyzeModel(floatConvMlp())
    expect(r.params.learnable).toBe(CONV_MLP.learnable)
    expect(r.macs).toBe(CONV_MLP.macs)
    expect(r.params.byDtype).toEqual({ float32: { count: 5_354, bytes: 5_354 * 4 } })
    expect(r.params.bitsPerWeight).toBe(32)
    expect(r.params.quantization).toEqual({ elements: 0, bytes: 0 })
  })

  it('the MatMulNBits block: 65,664 float32 weights, 262,144 MACs', async () => {
    const r = await analyzeModel(floatNBitsBlock())
    expect(r.params.learnable).toBe(NBITS_BLOCK.learnable)
    expect(r.macs).toBe(NBITS_BLOCK.macs)
  })
})

describe('a quantized model has the float model\'s learnable parameters and MACs; its metadata is counted apart', () => {
  const cases = [
    // metadata elements and bytes from the fixture's comment: per tensor 6 float scales + 4 one-byte zero points
    { name: 'QDQ int8 per tensor', build: () => qdqConvMlp({ dtype: 'int8', perChannel: false }), meta: { elements: 10, bytes: 6 * 4 + 4 }, weights: { int8: WEIGHTS } },
    { name: 'QDQ uint8 per tensor', build: () => qdqConvMlp({ dtype: 'uint8', perChannel: false }), meta: { elements: 10, bytes: 6 * 4 + 4 }, weights: { uint8: WEIGHTS } },
    // per channel: scales 1 + 8 + 8 + 1 + 10 + 10 = 38 (×4 B), zero points 1 + 8 + 1 + 10 = 20 (×1 B)
    { name: 'QDQ int8 per channel', build: () => qdqConvMlp({ dtype: 'int8', perChannel: true }), meta: { elements: 58, bytes: 38 * 4 + 20 }, weights: { int8: WEIGHTS } },
    { name: 'QDQ uint8 per channel', build: () => qdqConvMlp({ dtype: 'uint8', perChannel: true }), meta: { elements: 58, bytes: 38 * 4 + 20 }, weights: { uint8: WEIGHTS } },
    // int4 zero points pack two per byte: 8 → 4 B, 10 → 5 B; the activations' uint8 ones 1 B each
    { name: 'QDQ int4 per channel (int4-typed initializers)', build: () => qdqConvMlp({ dtype: 'int4', perChannel: true }), meta: { elements: 58, bytes: 38 * 4 + 1 + 4 + 1 + 5 }, weights: { int4: WEIGHTS } },
    { name: 'QDQ uint4 per tensor (uint4-typed initializers)', build: () => qdqConvMlp({ dtype: 'uint4', perChannel: false }), meta: { elements: 10, bytes: 6 * 4 + 4 }, weights: { uint4: WEIGHTS } },
    // x 2, conv weight 8 + 8, conv output 2, fc weight 10 + 10, fc output 2: scales 1+8+1+10+1 = 21 (×4 B), zero points 21 (×1 B)
    { name: 'QOperator (QLinearConv, QLinearMatMul)', build: qoperatorConvMlp, meta: { elements: 42, bytes: 21 * 4 + 21 }, weights: { int8: WEIGHTS } },
    { name: 'dynamic (ConvInteger, MatMulInteger)', build: dynamicConvMlp, meta: { elements: 22, bytes: 55 }, weights: { uint8: WEIGHTS } },
  ]
  for (const c of cases) {
    it(`${c.name}: learnable 5,354, MACs 18,944, metadata ${c.meta.elements} elements (${c.meta.bytes} B)`, async () => {
      const r = await analyzeModel(c.build())
      expect(r.params.learnable).toBe(CONV_MLP.learnable)
      expect(r.macs).toBe(CONV_MLP.macs)
      expect(r.coverage.complete).toBe(true)
      expect(r.params.quantization).toEqual(c.meta)
      const [dtype, count] = Object.entries(c.weights)[0]!
      expect(r.params.byDtype[dtype]?.count).toBe(count)
    })
  }

  it('QDQ int8: weight bytes × 8 ÷ learnable ≈ 8 bits per weight (5,336 int8 + 8 int32 biases + 10 int32 biases)', async () => {
    const r = await analyzeModel(qdqConvMlp({ dtype: 'int8', perChannel: true }))
    expect(r.params.byDtype).toEqual({ int8: { count: WEIGHTS, bytes: WEIGHTS }, int32: { count: BIASES, bytes: BIASES * 4 } })
    // (5,336 + 72) · 8 / 5,354 = 43,264 / 5,354
    expect(r.params.bitsPerWeight).toBeCloseTo(43_264 / 5_354, 12)
  })

  it('int4-typed weights: two per byte, 4 bits each', async () => {
    const r = await analyzeModel(qdqConvMlp({ dtype: 'int4', perChannel: true }))
    // 216 → 108 B, 5,120 → 2,560 B
    expect(r.params.byDtype.int4).toEqual({ count: WEIGHTS, bytes: 108 + 2_560 })
  })

  it('float16 weights: the same count at 16 bits per weight', async () => {
    const r = await analyzeModel(float16ConvMlp())
    expect(r.params.learnable).toBe(CONV_MLP.learnable)
    expect(r.macs).toBe(CONV_MLP.macs)
    expect(r.params.bitsPerWeight).toBe(16)
  })

  it('bfloat16 weights: the same count at 16 bits per weight', async () => {
    const r = await analyzeModel(bfloat16ConvMlp())
    expect(r.params.learnable).toBe(CONV_MLP.learnable)
    expect(r.macs).toBe(CONV_MLP.macs)
    expect(r.params.byDtype).toEqual({ bfloat16: { count: 5_354, bytes: 5_354 * 2 } })
  })

  it('float8 weights behind DequantizeLinear: the same count; the 2 scales are metadata', async () => {
    const r = await analyzeModel(float8ConvMlp())
    expect(r.params.learnable).toBe(CONV_MLP.learnable)
    expect(r.macs).toBe(CONV_MLP.macs)
    expect(r.params.quantization).toEqual({ elements: 2, bytes: 8 })
    // 5,336 float8 weights (1 B) + 18 float32 biases (4 B): (5,336 + 72) · 8 ÷ 5,354
    expect(r.params.byDtype).toEqual({ float8e4m3fn: { count: WEIGHTS, bytes: WEIGHTS }, float32: { count: BIASES, bytes: 72 } })
    expect(r.params.bitsPerWeight).toBeCloseTo(43_264 / 5_354, 12)
  })

  it('QDQ per channel: the 10 metadata tensors are the 4 activation scalars and the 6 weight/bias scales and zero points', async () => {
    const r = await analyzeModel(qdqConvMlp({ dtype: 'int8', perChannel: true }))
    // learnable: the 2 quantized weights and the 2 int32 biases; the Reshape target is the only constant
    expect(r.params.tensors).toEqual({ learnable: 4, quantization: 10, buffer: 0, constant: 1, unused: 0 })
  })
})

describe('MatMulNBits counts the N·K weights it packs', () => {
  const variants = [
    // scales 2,048 (×4 B); zero points 1,024 (4 bits) or 2,048 (8 bits) bytes; g_idx 128 int32
    { bits: 4 as const, zeroPoints: false, gIdx: false, meta: { elements: 2_048, bytes: 8_192 } },
    { bits: 4 as const, zeroPoints: true, gIdx: false, meta: { elements: 2_048 + 1_024, bytes: 8_192 + 1_024 } },
    { bits: 8 as const, zeroPoints: false, gIdx: false, meta: { elements: 2_048, bytes: 8_192 } },
    { bits: 8 as const, zeroPoints: true, gIdx: true, meta: { elements: 2_048 + 2_048 + 128, bytes: 8_192 + 2_048 + 512 } },
  ]
  for (const v of variants) {
    it(`${v.bits} bits, ${v.zeroPoints ? 'with' : 'without'} zero points${v.gIdx ? ', with g_idx' : ''}: learnable 65,664, MACs 262,144`, async () => {
      const r = await analyzeModel(nbitsBlock(v))
      expect(r.params.learnable).toBe(NBITS_BLOCK.learnable)
      expect(r.macs).toBe(NBITS_BLOCK.macs)
      expect(r.params.quantization).toEqual(v.meta)
      // the two packed layers: 2 × 32,768 weights in 2 × 32,768 · bits/8 bytes; the up bias stays float32
      expect(r.params.byDtype).toEqual({ [`uint${v.bits}`]: { count: 65_536, bytes: (65_536 * v.bits) / 8 }, float32: { count: 128, bytes: 512 } })
    })
  }

  it('the issue\'s layer: N·K = 128 × 256 = 32,768 weights, not 16,384 packed bytes + 1,024 scales', async () => {
    const g = new ModelBuilder({ opsets: { 'com.microsoft': 1 } })
    g.input('a', 'float32', [1, 256])
    g.output('y', 'float32', [1, 128])
    const b = g.initializer('B', 'uint8', [128, 8, 16])
    const s = g.initializer('scales', 'float32', [1_024], { fill: 'constant', value: 0.1 })
    g.node('MatMulNBits', ['a', b, s], ['y'], { K: 256, N: 128, bits: 4, block_size: 32 }, { domain: 'com.microsoft' })
    const r = await analyzeModel(g.toBytes())
    expect(r.params.learnable).toBe(32_768)
    expect(r.params.quantization).toEqual({ elements: 1_024, bytes: 4_096 })
    // 16,384 B × 8 / 32,768 weights
    expect(r.params.bitsPerWeight).toBe(4)
  })
})

describe('GatherBlockQuantized counts the embedding\'s rows × cols', () => {
  it('a 100 × 64 table of 4-bit weights packed in uint8 [100, 32] is 6,400 weights', async () => {
    const g = new ModelBuilder({ opsets: { 'com.microsoft': 1 } })
    g.input('ids', 'int64', [1, 3])
    g.output('y', 'float32', [1, 3, 64])
    const data = g.initializer('embed.weight_Q4', 'uint8', [100, 32])
    const scales = g.initializer('embed.scales', 'float32', [100, 2], { fill: 'constant', value: 0.1 })
    g.node('GatherBlockQuantized', [data, 'ids', scales], ['y'], { gather_axis: 0, quantize_axis: 1, block_size: 32, bits: 4 }, { domain: 'com.microsoft' })
    const r = await analyzeModel(g.toBytes())
    expect(r.params.learnable).toBe(6_400)
    expect(r.params.byDtype).toEqual({ uint4: { count: 6_400, bytes: 3_200 } })
    expect(r.params.quantization).toEqual({ elements: 200, bytes: 800 })
  })
})

describe('torchvision models converted to static QDQ keep torchvision\'s parameter count', () => {
  // the case: a QDQ ResNet-18 read 5,800 per-channel scales as weights; MobileNetV2 +18,056
  for (const name of ['resnet18', 'mobilenet_v2'] as const) {
    it(`${name}: learnable = torchvision's ${TORCHVISION_PUBLISHED[name].params.toLocaleString('en-US')}, MACs unchanged, metadata = what the converter added`, async () => {
      const float = buildTorchvisionModel(name)
      const qdq = convertToQdq(float)
      const [f, q] = [await analyzeModel(float), await analyzeModel(qdq.bytes)]
      expect(qdq.quantizedLayers).toBeGreaterThan(10)
      expect(q.params.learnable).toBe(TORCHVISION_PUBLISHED[name].params)
      expect(q.macs).toBe(f.macs)
      expect(q.params.quantization.elements).toBe(qdq.metadataElements)
      expect(q.params.buffers).toBe(f.params.buffers)
      expect(q.params.bitsPerWeight).toBeLessThan(9)
    }, 60_000)
  }
})
