import { describe, expect, it } from 'vitest'
import { runOp, t, tensorOutputs as outs } from './_run-op.js'

const isSymbol = (d: unknown): boolean => typeof d === 'string'

describe('NonZero and Compress', () => {
  it('counts the non-zero elements of a known value and lists their coordinates', () => {
    const [y] = outs('NonZero', [t([2, 2], 'bool', [1, 0, 1, 1])])
    expect(y!.dims).toEqual([2, 3])
    expect(y!.value).toEqual([0, 1, 1, 0, 0, 1])
  })

  it('gives a fresh count for an unknown value', () => {
    const [y] = outs('NonZero', [t(['N', 4])])
    expect(y!.dims?.[0]).toBe(2)
    expect(isSymbol(y!.dims?.[1])).toBe(true)
  })

  it('costs one test per element', () => {
    expect(runOp('NonZero', [t(['N', 4])]).cost).toEqual({ macs: 0, flops: '4*N' })
  })

  it('compresses along an axis and flattened (a longer condition is cut)', () => {
    expect(outs('Compress', [t([3, 2]), t([3], 'bool', [0, 1, 1])], { axis: 0 })[0]!.dims).toEqual([2, 2])
    const [flat] = outs('Compress', [t([3, 2], 'float32', [1, 2, 3, 4, 5, 6]), t([5], 'bool', [0, 1, 0, 0, 1])])
    expect(flat!.dims).toEqual([2])
    expect(flat!.value).toEqual([2, 5])
  })
})

describe('Unique', () => {
  it('finds the distinct elements in sorted order', () => {
    const [y, idx, inv, counts] = outs('Unique', [t([6], 'float32', [2, 1, 1, 3, 4, 3])], {}, 11, 4)
    expect(y!.value).toEqual([1, 2, 3, 4])
    expect(idx!.value).toEqual([1, 0, 3, 4])
    expect(inv!.value).toEqual([1, 0, 0, 2, 3, 2])
    expect(counts!.value).toEqual([2, 1, 2, 1])
  })

  it('keeps the first-occurrence order when not sorted', () => {
    expect(outs('Unique', [t([6], 'float32', [2, 1, 1, 3, 4, 3])], { sorted: 0 }, 11, 4)[0]!.value).toEqual([2, 1, 3, 4])
  })

  it('finds distinct slices along an axis', () => {
    const x = t([2, 4, 2], 'float32', [1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 0, 1, 2, 1, 0, 1])
    const [y, idx, inv, counts] = outs('Unique', [x], { axis: 1 }, 11, 4)
    expect(y!.dims).toEqual([2, 3, 2])
    expect(idx!.value).toEqual([1, 0, 2])
    expect(inv!.value).toEqual([1, 0, 2, 0])
    expect(counts!.value).toEqual([2, 1, 1])
  })

  it('gives fresh sizes for unknown values', () => {
    const [y, , inv] = outs('Unique', [t([6])], {}, 11, 4)
    expect(isSymbol(y!.dims?.[0])).toBe(true)
    expect(inv!.dims).toEqual([6])
  })
})

describe('TopK', () => {
  it('reads k from the attribute before opset 10 and from the input after', () => {
    expect(outs('TopK', [t([3, 4])], { k: 2 }, 9, 2).map((o) => o.dims)).toEqual([[3, 2], [3, 2]])
    const [v, i] = outs('TopK', [t([3, 4]), t([1], 'int64', [3])], { axis: 0 }, 11, 2)
    expect(v!.dims).toEqual([3, 4])
    expect(i!.dtype).toBe('int64')
  })

  it('gives a fresh k when unknown', () => {
    expect(isSymbol(outs('TopK', [t([3, 4]), t([1], 'int64')], {}, 11, 2)[0]!.dims?.[1])).toBe(true)
  })

  it('fails when k exceeds the axis', () => {
    expect(() => outs('TopK', [t([3, 4]), t([1], 'int64', [5])], {}, 11, 2)).toThrow(expect.objectContaining({ code: 'E_SHAPE_INFERENCE' }) as Error)
  })

  it('counts one comparison per input element', () => {
    expect(runOp('TopK', [t(['N', 10]), t([1], 'int64', [3])], {}, { opset: 11, outputs: 2 }).cost).toEqual({ macs: 0, flops: '10*N' })
  })
})

describe('NonMaxSuppression', () => {
  const boxes = t([1, 6, 4], 'float32', [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101])
  const scores = t([1, 2, 6], 'float32', [0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.9, 0.75, 0.6, 0.95, 0.5, 0.3])
  const inputs = [boxes, scores, t([1], 'int64', [2]), t([1], 'float32', [0.5]), t([1], 'float32', [0])]

  it('selects the boxes as onnxruntime does', () => {
    const [y] = outs('NonMaxSuppression', inputs, {}, 11)
    expect(y!.dims).toEqual([4, 3])
    expect(y!.value).toEqual([0, 0, 3, 0, 0, 0, 0, 1, 3, 0, 1, 0])
  })

  it('gives a fresh count when the scores are unknown', () => {
    expect(isSymbol(outs('NonMaxSuppression', [t([1, 6, 4]), t([1, 2, 6])], {}, 11)[0]!.dims?.[0])).toBe(true)
  })

  it('counts the worst-case IoU tests', () => {
    // B=1, C=2, n=6: per class 6 + 13·15 = 201, ×2 = 402; areas 3·6 = 18 → 420
    expect(runOp('NonMaxSuppression', inputs, {}, { opset: 11 }).cost).toEqual({ macs: 0, flops: 420 })
  })
})
