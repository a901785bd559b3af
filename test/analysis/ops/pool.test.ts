import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

function dimsOf(op: string, x: readonly (number | string)[], attrs: Parameters<typeof runOp>[2], opset = 19): unknown {
  return out(runOp(op, [t(x)], attrs, { opset })).dims
}

describe('MaxPool', () => {
  it('infers a strided, padded window and an int64 Indices output', () => {
    // (7 + 2 − 3)/2 + 1 = 4
    const r = runOp('MaxPool', [t([1, 3, 7, 7])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, { outputs: 2 })
    expect(out(r, 0).dims).toEqual([1, 3, 4, 4])
    expect(out(r, 1)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [1, 3, 4, 4] })
  })

  it('rounds up with ceil_mode but drops a window that would start past the input', () => {
    // ⌈(4 − 3)/2⌉ + 1 = 2
    expect(dimsOf('MaxPool', [1, 1, 4, 4], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 })).toEqual([1, 1, 2, 2])
    // ⌈(2 − 1)/2⌉ + 1 = 2, but window 2 would start at 2 ≥ 2 + 0: 1
    expect(dimsOf('MaxPool', [1, 1, 2, 2], { kernel_shape: [1, 1], strides: [2, 2], ceil_mode: 1 })).toEqual([1, 1, 1, 1])
  })

  it('applies dilations', () => {
    // dilated kernel 10·(60 − 1) + 1 = 591: (1000 + 20 − 591)/10 + 1 = 43; width (1000 + 40 − 791)/10 + 1 = 25
    expect(dimsOf('MaxPool', [1, 1, 1000, 1000], { kernel_shape: [60, 80], pads: [10, 20, 10, 20], strides: [10, 10], dilations: [10, 10] })).toEqual([
      1, 1, 43, 25,
    ])
  })

  it('pads SAME_UPPER and SAME_LOWER to ⌈in/stride⌉', () => {
    expect(dimsOf('MaxPool', [1, 3, 32, 32], { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' })).toEqual([1, 3, 32, 32])
    expect(dimsOf('MaxPool', [1, 1, 5, 5], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' })).toEqual([1, 1, 3, 3])
  })

  it('costs ∏kernel − 1 comparisons per output', () => {
    // ResNet's stem pool: 64·56·56 outputs · 8 comparisons
    const r = runOp('MaxPool', [t([1, 64, 112, 112])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] })
    expect(out(r).dims).toEqual([1, 64, 56, 56])
    expect(r.cost).toEqual({ macs: 0, flops: 200704 * 8 })
  })

  it('keeps symbolic spatial dims as floor terms', () => {
    expect(dimsOf('MaxPool', ['N', 3, 'H', 8], { kernel_shape: [2, 2], strides: [2, 2] })).toEqual(['N', 3, 'floor((H - 2)/2) + 1', 4])
  })

  it('rejects a kernel_shape of the wrong length', () => {
    expect(shapeError(() => runOp('MaxPool', [t([1, 3, 8, 8])], { kernel_shape: [2] })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('AveragePool and LpPool', () => {
  it('applies the opset-19 last-window rule with padding and ceil_mode', () => {
    // ⌈(2 + 2 − 3)/3⌉ + 1 = 2, but (2 − 1)·3 = 3 ≥ 2 + 1: 1
    expect(dimsOf('AveragePool', [1, 3, 2, 2], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [3, 3], ceil_mode: 1, count_include_pad: 1 })).toEqual([
      1, 3, 1, 1,
    ])
    // 3-D, dilated: ⌈(32 − 9)/3⌉ + 1 = 9
    expect(dimsOf('AveragePool', [1, 1, 32, 32, 32], { kernel_shape: [5, 5, 5], strides: [3, 3, 3], dilations: [2, 2, 2], ceil_mode: 1 })).toEqual([
      1, 1, 9, 9, 9,
    ])
  })

  it('costs ∏kernel per averaged output', () => {
    // 1·3·31·31 outputs of a 2×2 window: 4 FLOPs each
    expect(runOp('AveragePool', [t([1, 3, 32, 32])], { kernel_shape: [2, 2] }).cost.flops).toBe(2883 * 4)
  })

  it('costs 3·∏kernel per LpPool output', () => {
    expect(runOp('LpPool', [t([1, 3, 32])], { kernel_shape: [2], p: 3 }).cost.flops).toBe(93 * 6)
  })
})

describe('global pools and unpooling', () => {
  it('reduces every spatial dim to 1', () => {
    const r = runOp('GlobalAveragePool', [t(['N', 2048, 7, 7])])
    expect(out(r).dims).toEqual(['N', 2048, 1, 1])
    expect(r.cost).toEqual({ macs: 0, flops: '100352*N' })
    // 3·25 inputs, 3 outputs: 72 comparisons
    expect(runOp('GlobalMaxPool', [t([1, 3, 5, 5])]).cost.flops).toBe(72)
  })

  it('infers MaxUnpool from the window, or from its output_shape input', () => {
    const x = t([1, 1, 2, 2])
    const i = t([1, 1, 2, 2], 'int64')
    expect(out(runOp('MaxUnpool', [x, i], { kernel_shape: [2, 2], strides: [2, 2] })).dims).toEqual([1, 1, 4, 4])
    expect(out(runOp('MaxUnpool', [x, i, t([4], 'int64', [1, 1, 5, 5])], { kernel_shape: [2, 2], strides: [2, 2] })).dims).toEqual([1, 1, 5, 5])
  })

  it('infers RoiAlign and costs its bilinear samples', () => {
    // 3 RoIs, 1 channel, 5×5 bins, sampling ratio 2 (4 samples per bin)
    // out = 75: 75·4·8 (7 bilinear + 1 accumulate) + 75·4·12 (sample positions)
    const r = runOp('RoiAlign', [t([1, 1, 10, 10]), t([3, 4]), t([3], 'int64')], { output_height: 5, output_width: 5, sampling_ratio: 2 }, { opset: 16 })
    expect(out(r).dims).toEqual([3, 1, 5, 5])
    expect(r.cost.flops).toBe(2400 + 3600)
  })

  it('infers MaxRoiPool from pooled_shape', () => {
    expect(out(runOp('MaxRoiPool', [t([1, 8, 20, 20]), t([4, 5])], { pooled_shape: [2, 3] })).dims).toEqual([4, 8, 2, 3])
  })
})
