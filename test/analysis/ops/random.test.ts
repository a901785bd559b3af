import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('RandomNormal and RandomUniform', () => {
  it('takes the shape from the attribute and defaults to float32', () => {
    const r = runOp('RandomNormal', [], { shape: [2, 3, 4] })
    expect(out(r).dims).toEqual([2, 3, 4])
    expect(out(r).dtype).toBe('float32')
    expect(out(r).value).toBeUndefined()
    expect(out(runOp('RandomUniform', [], { shape: [5], dtype: 11 })).dtype).toBe('float64')
  })

  it('counts the scale and shift of each draw', () => {
    // uniform on [−1, 1): 2·u − 1 → 2 FLOPs · 6 elements
    expect(runOp('RandomUniform', [], { shape: [2, 3], low: { float: -1 }, high: { float: 1 } }).cost).toEqual({ macs: 0, flops: 12 })
    // mean 0, scale 2: only the scaling → 1 · 6
    expect(runOp('RandomNormal', [], { shape: [2, 3], scale: { float: 2 } }).cost).toEqual({ macs: 0, flops: 6 })
  })

  it('counts nothing for the standard distributions', () => {
    expect(runOp('RandomUniform', [], { shape: [2, 3] }).cost).toEqual({ macs: 0, flops: 0 })
    expect(runOp('RandomNormal', [], { shape: [2, 3] }).cost).toEqual({ macs: 0, flops: 0 })
  })

  it('rejects a negative dim in shape', () => {
    expect(shapeError(() => runOp('RandomNormal', [], { shape: [2, -1] })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('RandomNormalLike and RandomUniformLike', () => {
  it('copy the input shape and dtype unless dtype is set', () => {
    const r = runOp('RandomNormalLike', [t(['N', 4], 'float16')])
    expect(out(r).dims).toEqual(['N', 4])
    expect(out(r).dtype).toBe('float16')
    expect(out(runOp('RandomUniformLike', [t([3], 'int64')], { dtype: 1 })).dtype).toBe('float32')
  })

  it('keeps a symbolic batch in the cost', () => {
    // mean 1 (shift) and scale 2 → 2 FLOPs per element of N·4
    const r = runOp('RandomNormalLike', [t(['N', 4])], { mean: { float: 1 }, scale: { float: 2 } })
    expect(r.cost).toEqual({ macs: 0, flops: '8*N' })
  })
})

describe('Bernoulli', () => {
  it('copies the input shape, with the dtype attribute or the input dtype', () => {
    expect(out(runOp('Bernoulli', [t([10], 'float64')], {}, { opset: 22 })).dtype).toBe('float64')
    const r = runOp('Bernoulli', [t([10], 'float64')], { dtype: 1 }, { opset: 22 })
    expect(out(r).dims).toEqual([10])
    expect(out(r).dtype).toBe('float32')
  })

  it('counts one comparison per element, as its body RandomUniformLike(0, 1) → Greater → Cast', () => {
    expect(runOp('Bernoulli', [t([10])], {}, { opset: 22 }).cost).toEqual({ macs: 0, flops: 10 })
    const body = runOp('RandomUniformLike', [t([10])], { low: { float: 0 }, high: { float: 1 } }).cost
    expect(body.flops).toBe(0)
  })
})

describe('Multinomial', () => {
  it('draws sample_size samples per batch row, int32 by default', () => {
    const r = runOp('Multinomial', [t([3, 5])], { sample_size: 4 })
    expect(out(r).dims).toEqual([3, 4])
    expect(out(r).dtype).toBe('int32')
    expect(out(runOp('Multinomial', [t([3, 5])], { dtype: 7 })).dtype).toBe('int64')
  })

  it('counts the CDF and a binary search per sample', () => {
    // 2·15 (exp, running sum) + 12 samples · (1 scale + ⌈log₂ 5⌉ = 3 comparisons) = 30 + 48
    expect(runOp('Multinomial', [t([3, 5])], { sample_size: 4 }).cost).toEqual({ macs: 0, flops: 78 })
  })

  it('leaves the search depth symbolic for a symbolic class count', () => {
    const { flops } = runOp('Multinomial', [t([2, 'C'])]).cost
    expect(String(flops)).toContain('log2_class_size')
  })

  it('rejects an input that is not (batch_size, class_size)', () => {
    expect(shapeError(() => runOp('Multinomial', [t([5])])).code).toBe('E_SHAPE_INFERENCE')
  })
})
