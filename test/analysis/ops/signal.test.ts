import { describe, expect, it } from 'vitest'
import type { InferredType } from '../../../src/analysis/types.js'
import { runOp, t, type AttrInput } from './_run-op.js'

function dims(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}, opset = 20): unknown {
  const o = runOp(op, inputs, attrs, { opset }).outputs[0]
  return o?.kind === 'tensor' ? o.dims : undefined
}

describe('DFT', () => {
  it('turns a real signal into a complex one on the default axis (-2 from opset 20, 1 before)', () => {
    expect(dims('DFT', [t([1, 10, 8, 1])])).toEqual([1, 10, 8, 2])
    expect(dims('DFT', [t([1, 10, 8, 1]), t([], 'int64', [16])], {}, 17)).toEqual([1, 16, 8, 2])
  })

  it('reads the axis input (opset 20) and keeps floor(L/2)+1 bins onesided', () => {
    expect(dims('DFT', [t([1, 10, 10, 1]), undefined, t([], 'int64', [1])], { onesided: 1 })).toEqual([1, 6, 10, 2])
  })

  it('gives a real signal of 2·(n−1) samples for the IRFFT', () => {
    expect(dims('DFT', [t([1, 6, 10, 2]), undefined, t([], 'int64', [1])], { onesided: 1, inverse: 1 })).toEqual([1, 10, 10, 1])
    expect(dims('DFT', [t([1, 6, 10, 2])], { onesided: 1, inverse: 1, axis: 1 }, 19)).toEqual([1, 10, 10, 1])
  })

  it('fails on the complex axis', () => {
    expect(() => dims('DFT', [t([1, 10, 2]), undefined, t([], 'int64', [-1])])).toThrow(expect.objectContaining({ code: 'E_SHAPE_INFERENCE' }) as Error)
  })

  it('counts 4 FLOPs per term for a real input', () => {
    // 100 output points × L=10 terms × (2 mul + 2 add) = 4000
    expect(runOp('DFT', [t([1, 10, 10, 1])], {}, { opset: 20 }).cost).toEqual({ macs: 0, flops: 4000 })
  })

  it('counts 8 FLOPs per term for a complex inverse, plus the scaling', () => {
    // 100 points × 10 terms × 8 = 8000, + 200 output numbers scaled by 1/L = 8200
    expect(runOp('DFT', [t([1, 10, 10, 2])], { inverse: 1 }, { opset: 17 }).cost).toEqual({ macs: 0, flops: 8200 })
  })

  it('counts a symbolic batch', () => {
    // N·10 points × 10 terms × 4
    expect(runOp('DFT', [t(['N', 10, 1])], {}, { opset: 20 }).cost).toEqual({ macs: 0, flops: '400*N' })
  })
})

describe('STFT', () => {
  it('frames the signal: floor((T − L)/step) + 1 frames of L/2 + 1 bins', () => {
    expect(dims('STFT', [t([1, 128, 1]), t([], 'int64', [8]), undefined, t([], 'int64', [16])], {}, 17)).toEqual([1, 15, 9, 2])
    expect(dims('STFT', [t([1, 128, 1]), t([], 'int64', [8]), t([16])], { onesided: 0 }, 17)).toEqual([1, 15, 16, 2])
  })

  it('counts the DFT of each frame and the window multiply', () => {
    // 15 frames × (9 bins × 16 terms × 4) = 8640; with a window + 15 × 16 = 8880
    expect(runOp('STFT', [t([1, 128, 1]), t([], 'int64', [8]), undefined, t([], 'int64', [16])], {}, { opset: 17 }).cost.flops).toBe(8640)
    expect(runOp('STFT', [t([1, 128, 1]), t([], 'int64', [8]), t([16])], {}, { opset: 17 }).cost.flops).toBe(8880)
  })

  it('fails without a window or a frame length', () => {
    expect(() => dims('STFT', [t([1, 128, 1]), t([], 'int64', [8])], {}, 17)).toThrow(expect.objectContaining({ code: 'E_SHAPE_INFERENCE' }) as Error)
  })
})

describe('windows and MelWeightMatrix', () => {
  it('makes a window of the given size and dtype', () => {
    expect(runOp('HannWindow', [t([], 'int64', [10])], { output_datatype: 11 }, { opset: 17 }).outputs[0]).toEqual({ kind: 'tensor', dtype: 'float64', dims: [10] })
    expect(typeof (dims('BlackmanWindow', [t([], 'int64')], {}, 17) as unknown[])[0]).toBe('string')
  })

  it('counts 4 FLOPs per Hann/Hamming sample and 8 per Blackman sample', () => {
    expect(runOp('HannWindow', [t([], 'int64', [10])], {}, { opset: 17 }).cost.flops).toBe(40)
    expect(runOp('HammingWindow', [t([], 'int64', [10])], {}, { opset: 17 }).cost.flops).toBe(40)
    expect(runOp('BlackmanWindow', [t([], 'int64', [10])], {}, { opset: 17 }).cost.flops).toBe(80)
  })

  it('gives a [dft_length/2 + 1, num_mel_bins] matrix at 2 FLOPs per weight', () => {
    const inputs = [t([], 'int64', [8]), t([], 'int64', [16]), t([], 'int64', [8192]), t([], 'float32', [0]), t([], 'float32', [4096])]
    const r = runOp('MelWeightMatrix', inputs, {}, { opset: 17 })
    expect(r.outputs[0]).toEqual({ kind: 'tensor', dtype: 'float32', dims: [9, 8] })
    // 9 × 8 weights × 2
    expect(r.cost.flops).toBe(144)
  })
})
