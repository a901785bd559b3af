import { describe, expect, it } from 'vitest'
import { runOp, t, tensorOutputs as outs, tensorOutput as out, thrown as failure } from './_run-op.js'

const INT64_MAX = 9223372036854775807

describe('Concat', () => {
  it('sums the axis and concatenates values, symbols included', () => {
    const y = out('Concat', [t([2, 1], 'int64', [1, 2]), t([2, 2], 'int64', [3, 4, 5, 6])], { axis: -1 })
    expect(y.dims).toEqual([2, 3])
    expect(y.value).toEqual([1, 3, 4, 2, 5, 6])
    expect(out('Concat', [t([1], 'int64', ['N']), t([2], 'int64', [3, -1])], { axis: 0 }).value).toEqual(['N', 3, -1])
    expect(out('Concat', [t(['N', 3]), t(['M', 3])], { axis: 0 }).dims).toEqual(['M + N', 3])
  })

  it('fails on inputs of different ranks', () => {
    expect(failure(() => out('Concat', [t([2]), t([2, 2])], { axis: 0 }))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('Split', () => {
  it('splits evenly over the outputs by default', () => {
    expect(outs('Split', [t([6, 4])], { axis: 0 }, 13, 3).map((o) => o.dims)).toEqual([[2, 4], [2, 4], [2, 4]])
  })

  it('reads split from the attribute before opset 13 and from the input after', () => {
    expect(outs('Split', [t([5])], { split: [2, 3] }, 11, 2).map((o) => o.dims)).toEqual([[2], [3]])
    const y = outs('Split', [t([5], 'int64', [1, 2, 3, 4, 5]), t([2], 'int64', [4, 1])], {}, 13, 2)
    expect(y.map((o) => o.value)).toEqual([[1, 2, 3, 4], [5]])
  })

  it('makes the last chunk smaller with num_outputs (opset 18)', () => {
    expect(outs('Split', [t([7])], { num_outputs: 3 }, 18, 3).map((o) => o.dims)).toEqual([[3], [3], [1]])
  })

  it('fails when the sizes do not add up', () => {
    expect(failure(() => outs('Split', [t([5]), t([2], 'int64', [2, 2])], {}, 13, 2))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('Slice', () => {
  it('reads starts/ends/axes attributes before opset 10', () => {
    expect(out('Slice', [t([20, 10, 5])], { starts: [0, 0], ends: [3, 10], axes: [0, 1] }, 9).dims).toEqual([3, 10, 5])
  })

  it('clamps out-of-range and INT64_MAX ends', () => {
    const y = out('Slice', [t([20, 10, 5]), t([1], 'int64', [1]), t([1], 'int64', [INT64_MAX]), t([1], 'int64', [1])])
    expect(y.dims).toEqual([20, 9, 5])
    expect(out('Slice', [t([20, 10, 5]), t([1], 'int64', [-100]), t([1], 'int64', [1000])]).dims).toEqual([20, 10, 5])
  })

  it('walks backwards with negative steps', () => {
    const y = out('Slice', [t([5], 'int64', [0, 1, 2, 3, 4]), t([1], 'int64', [-1]), t([1], 'int64', [-INT64_MAX]), t([1], 'int64', [0]), t([1], 'int64', [-2])])
    expect(y.dims).toEqual([3])
    expect(y.value).toEqual([4, 2, 0])
  })

  it('slices a symbolic dim assuming the bounds do not clamp', () => {
    const x = t(['N', 'S', 8])
    expect(out('Slice', [x, t([1], 'int64', [-1]), t([1], 'int64', [INT64_MAX]), t([1], 'int64', [1])]).dims).toEqual(['N', 1, 8])
    expect(out('Slice', [x, t([1], 'int64', [1]), t([1], 'int64', [INT64_MAX]), t([1], 'int64', [1])]).dims).toEqual(['N', 'S - 1', 8])
    const half = out('Slice', [x, t([1], 'int64', [0]), t([1], 'int64', [INT64_MAX]), t([1], 'int64', [1]), t([1], 'int64', [2])])
    expect(half.dims).toEqual(['N', 'ceil((S)/2)', 8])
    expect(out('Slice', [t(['N', 512]), t([1], 'int64', [0]), t([1], 'int64', ['S']), t([1], 'int64', [1])]).dims).toEqual(['N', 'S'])
  })

  it('slices a shape value (Shape → Slice)', () => {
    expect(out('Slice', [t([3], 'int64', ['N', 3, 4]), t([1], 'int64', [0]), t([1], 'int64', [2])]).value).toEqual(['N', 3])
  })

  it('fails on a zero step', () => {
    expect(failure(() => out('Slice', [t([4]), t([1], 'int64', [0]), t([1], 'int64', [2]), t([1], 'int64', [0]), t([1], 'int64', [0])]))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('Pad', () => {
  it('reads pads from the attribute before opset 11', () => {
    expect(out('Pad', [t([1, 3, 4, 5])], { pads: [0, 0, 1, 2, 0, 0, 3, 4] }, 2).dims).toEqual([1, 3, 8, 11])
  })

  it('reads pads and axes inputs (opset 18), negative pads crop', () => {
    expect(out('Pad', [t([1, 3, 4, 5]), t([4], 'int64', [1, -1, 2, -1]), undefined, t([2], 'int64', [1, 3])]).dims).toEqual([1, 6, 4, 3])
  })

  it('pads a value with the constant', () => {
    expect(out('Pad', [t([2], 'int64', [7, 8]), t([2], 'int64', [1, 2]), t([], 'int64', [0])], {}, 13).value).toEqual([0, 7, 8, 0, 0])
  })

  it('gives fresh dims for unknown pads', () => {
    const dims = out('Pad', [t([2, 3]), t([4], 'int64')], {}, 13).dims
    expect(dims?.every((d) => typeof d === 'string')).toBe(true)
  })
})

describe('CenterCropPad', () => {
  it('sets the given axes to the target shape', () => {
    expect(out('CenterCropPad', [t([20, 8, 3]), t([2], 'int64', [10, 9])], { axes: [0, -2] }).dims).toEqual([10, 9, 3])
  })

  it('costs nothing', () => {
    expect(runOp('CenterCropPad', [t([20, 8, 3]), t([3], 'int64', [10, 9, 3])]).cost).toEqual({ macs: 0, flops: 0 })
  })
})
