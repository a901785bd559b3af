import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('Conv', () => {
  it('infers the output dims of a strided, padded Conv', () => {
    // (7 + 1 + 1 − 3)/2 + 1 = 4, (5 + 1 + 1 − 3)/2 + 1 = 3
    const r = runOp('Conv', [t([1, 1, 7, 5]), t([1, 1, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] })
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [1, 1, 4, 3] })
  })

  it('pads asymmetrically and infers the kernel shape from W', () => {
    const r = runOp('Conv', [t([1, 1, 7, 5]), t([1, 1, 3, 3])], { pads: [1, 0, 1, 0], strides: [2, 2] })
    expect(out(r).dims).toEqual([1, 1, 4, 2])
  })

  it('gives ⌈in/stride⌉ outputs for SAME_UPPER and SAME_LOWER, whatever the kernel', () => {
    for (const autoPad of ['SAME_UPPER', 'SAME_LOWER']) {
      const r = runOp('Conv', [t([1, 1, 5, 5]), t([1, 1, 3, 3])], { auto_pad: autoPad, strides: [2, 2] })
      expect(out(r).dims).toEqual([1, 1, 3, 3])
    }
  })

  it('ignores pads under VALID and applies dilations', () => {
    // dilated kernel 2·(3 − 1) + 1 = 5: (9 − 5)/1 + 1 = 5
    const r = runOp('Conv', [t([1, 2, 9, 9]), t([4, 2, 3, 3])], { auto_pad: 'VALID', pads: [3, 3, 3, 3], dilations: [2, 2] })
    expect(out(r).dims).toEqual([1, 4, 5, 5])
  })

  it('handles 1-D and 3-D convolutions', () => {
    expect(out(runOp('Conv', [t([2, 3, 10]), t([5, 3, 3])], { pads: [1, 1] })).dims).toEqual([2, 5, 10])
    expect(out(runOp('Conv', [t([2, 3, 3, 4, 5]), t([4, 3, 2, 3, 4])])).dims).toEqual([2, 4, 2, 2, 2])
  })

  it('counts torchvision MACs: out·(Cin/group)·∏kernel, the bias only in FLOPs', () => {
    // out = 1·64·112·112 = 802816; MACs = 802816·3·7·7 = 118013952 (ResNet-50's stem)
    const r = runOp('Conv', [t([1, 3, 224, 224]), t([64, 3, 7, 7]), t([64])], { pads: [3, 3, 3, 3], strides: [2, 2] })
    expect(out(r).dims).toEqual([1, 64, 112, 112])
    expect(r.cost).toEqual({ macs: 118013952, flops: 2 * 118013952 + 802816 })
  })

  it('divides the MACs of a grouped (depthwise) convolution by the group count', () => {
    // depthwise 32 channels, 3×3, 112×112 out: 32·112·112·1·9 = 3612672 MACs, no bias
    const r = runOp('Conv', [t([1, 32, 112, 112]), t([32, 1, 3, 3])], { group: 32, pads: [1, 1, 1, 1] })
    expect(r.cost).toEqual({ macs: 3612672, flops: 7225344 })
  })

  it('keeps a symbolic batch in the dims and the cost', () => {
    // per image: 8·4·4 outputs · 3·3·3 = 3456 MACs
    const r = runOp('Conv', [t(['N', 3, 6, 6]), t([8, 3, 3, 3])])
    expect(out(r).dims).toEqual(['N', 8, 4, 4])
    expect(r.cost).toEqual({ macs: '3456*N', flops: '6912*N' })
  })

  it('computes symbolic spatial dims as floor terms', () => {
    const r = runOp('Conv', [t([1, 3, 'H', 'W']), t([8, 3, 3, 3])], { strides: [2, 2] })
    expect(out(r).dims).toEqual([1, 8, 'floor((H - 3)/2) + 1', 'floor((W - 3)/2) + 1'])
  })

  it('rejects channels that do not match W × group', () => {
    const e = shapeError(() => runOp('Conv', [t([1, 4, 5, 5]), t([2, 3, 3, 3])]))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })

  it('rejects a kernel larger than the padded input', () => {
    const e = shapeError(() => runOp('Conv', [t([1, 1, 2, 2]), t([1, 1, 3, 3])]))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })

  it('rejects a kernel_shape that contradicts W', () => {
    const e = shapeError(() => runOp('Conv', [t([1, 1, 5, 5]), t([1, 1, 3, 3])], { kernel_shape: [2, 2] }))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('ConvTranspose', () => {
  it('counts input-side MACs: the 3→1, kernel 2, stride 2 case on a 2×2 input is 48', () => {
    // N·Cin·Hin·Win·(Cout/g)·kH·kW = 1·3·2·2·1·2·2 = 48; out 1·1·4·4 = 16 bias adds
    const r = runOp('ConvTranspose', [t([1, 3, 2, 2]), t([3, 1, 2, 2]), t([1])], { strides: [2, 2] })
    expect(out(r).dims).toEqual([1, 1, 4, 4])
    expect(r.cost).toEqual({ macs: 48, flops: 2 * 48 + 16 })
  })

  it('infers stride·(in − 1) + output_padding + dilated kernel − pads', () => {
    // 3·(3 − 1) + 1 + 3 − 0 = 10, 2·(3 − 1) + 1 + 3 = 8
    expect(out(runOp('ConvTranspose', [t([1, 1, 3, 3]), t([1, 2, 3, 3])], { strides: [3, 2], output_padding: [1, 1] })).dims).toEqual([1, 2, 10, 8])
    // 3·2 + 3 − 2 = 7, 2·2 + 3 − 4 = 3
    expect(out(runOp('ConvTranspose', [t([1, 1, 3, 3]), t([1, 2, 3, 3])], { strides: [3, 2], pads: [1, 2, 1, 2] })).dims).toEqual([1, 2, 7, 3])
    // dilation 2: 2 + 2·(2 − 1) + 1 = 5
    expect(out(runOp('ConvTranspose', [t([1, 1, 3, 3]), t([1, 1, 2, 2])], { dilations: [2, 2] })).dims).toEqual([1, 1, 5, 5])
  })

  it('takes an explicit output_shape, spatial or full', () => {
    const x = t([1, 1, 3, 3])
    const w = t([1, 2, 3, 3])
    expect(out(runOp('ConvTranspose', [x, w], { strides: [3, 2], output_shape: [10, 8] })).dims).toEqual([1, 2, 10, 8])
    expect(out(runOp('ConvTranspose', [x, w], { strides: [3, 2], output_shape: [1, 2, 10, 8] })).dims).toEqual([1, 2, 10, 8])
  })

  it('pads SAME_UPPER towards in·stride', () => {
    expect(out(runOp('ConvTranspose', [t([1, 1, 3, 3]), t([1, 2, 3, 3])], { auto_pad: 'SAME_UPPER', strides: [2, 2] })).dims).toEqual([1, 2, 6, 6])
  })

  it('multiplies the output channels by the group count', () => {
    // W [Cin = 2, Cout/g = 1]: Cout = 2; MACs 3·2·3·3·1·3·3 = 486
    const r = runOp('ConvTranspose', [t([3, 2, 3, 3]), t([2, 1, 3, 3])], { group: 2 })
    expect(out(r).dims).toEqual([3, 2, 5, 5])
    expect(r.cost.macs).toBe(486)
  })

  it('keeps a symbolic batch in the cost', () => {
    expect(runOp('ConvTranspose', [t(['N', 3, 2, 2]), t([3, 1, 2, 2])], { strides: [2, 2] }).cost).toEqual({ macs: '48*N', flops: '96*N' })
  })

  it('rejects an input whose channels differ from W dim 0', () => {
    expect(shapeError(() => runOp('ConvTranspose', [t([1, 2, 3, 3]), t([3, 1, 2, 2])])).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('quantized and deformable convolutions', () => {
  it('gives ConvInteger an int32 output and counts zero-point subtractions', () => {
    // out 1·2·4·4 = 32; MACs 32·1·2·2 = 128; zero points: 9 input + 8 weight elements
    const r = runOp('ConvInteger', [t([1, 1, 3, 3], 'uint8'), t([2, 1, 2, 2], 'uint8'), t([], 'uint8'), t([2], 'uint8')], { pads: [1, 1, 1, 1] })
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'int32', dims: [1, 2, 4, 4] })
    expect(r.cost).toEqual({ macs: 128, flops: 256 + 9 + 8 })
  })

  it('gives QLinearConv the y_zero_point type and counts the requantization', () => {
    // out 1·1·7·7 = 49, MACs 49·1·1·1 = 49; FLOPs 98 + 49 + 1 (zero points) + 5·49 (requantize)
    const s = t([], 'float32')
    const r = runOp('QLinearConv', [t([1, 1, 7, 7], 'uint8'), s, t([], 'uint8'), t([1, 1, 1, 1], 'uint8'), s, t([], 'uint8'), s, t([], 'uint8')])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'uint8', dims: [1, 1, 7, 7] })
    expect(r.cost).toEqual({ macs: 49, flops: 98 + 50 + 245 })
  })

  it('counts DeformConv as a Conv plus bilinear sampling', () => {
    // out 1·1·2·2 = 4, MACs 4·1·2·2 = 16; L = 1·2·2·4 = 16 sampling locations, 1 channel
    // FLOPs = 32 + 12·16·1 + 7·16 + 16 (mask) + 4 (bias)
    const r = runOp('DeformConv', [t([1, 1, 3, 3]), t([1, 1, 2, 2]), t([1, 8, 2, 2]), t([1]), t([1, 4, 2, 2])], { kernel_shape: [2, 2] })
    expect(out(r).dims).toEqual([1, 1, 2, 2])
    expect(r.cost).toEqual({ macs: 16, flops: 32 + 192 + 112 + 16 + 4 })
  })

  it('folds Col2Im columns into the image given by its shape inputs', () => {
    const r = runOp('Col2Im', [t([1, 5, 15]), t([2], 'int64', [5, 5]), t([2], 'int64', [1, 5])], { pads: [0, 1, 0, 1] })
    expect(out(r).dims).toEqual([1, 1, 5, 5])
    expect(r.cost).toEqual({ macs: 0, flops: 75 })
  })

  it('makes Col2Im image dims symbols when the image shape is unknown', () => {
    const r = runOp('Col2Im', [t([1, 10, 12]), t([3], 'int64'), t([3], 'int64', [1, 2, 5])])
    const dims = out(r).dims!
    expect(dims.slice(0, 2)).toEqual([1, 1])
    expect(dims.slice(2).every((d) => typeof d === 'string')).toBe(true)
  })
})
