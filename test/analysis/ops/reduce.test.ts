import { describe, expect, it } from 'vitest'
import type { TensorType } from '../../../src/analysis/types.js'
import { out, runOp, shapeError, t } from './_run-op.js'

const axes = (...a: number[]): TensorType => t([a.length], 'int64', a)

describe('reductions', () => {
  it('read axes from the attribute before opset 18 (13 for ReduceSum) and from the input since', () => {
    const x = t([2, 3, 4])
    expect(out(runOp('ReduceMean', [x], { axes: [1] }, { opset: 13 })).dims).toEqual([2, 1, 4])
    expect(out(runOp('ReduceMean', [x, axes(1)], {}, { opset: 18 })).dims).toEqual([2, 1, 4])
    expect(out(runOp('ReduceSum', [x], { axes: [-1], keepdims: 0 }, { opset: 11 })).dims).toEqual([2, 3])
    expect(out(runOp('ReduceSum', [x, axes(0, 2)], { keepdims: 0 }, { opset: 13 })).dims).toEqual([3])
  })

  it('reduce everything without axes, or nothing with noop_with_empty_axes', () => {
    const x = t([2, 3])
    expect(out(runOp('ReduceMax', [x], { keepdims: 0 })).dims).toEqual([])
    expect(out(runOp('ReduceMax', [x])).dims).toEqual([1, 1])
    const noop = runOp('ReduceSum', [x, t([0], 'int64', [])], { noop_with_empty_axes: 1 }, { opset: 13 })
    expect(out(noop).dims).toEqual([2, 3])
    expect(noop.cost.flops).toBe(0)
  })

  it('give fresh dims when the axes input is not known', () => {
    const r = runOp('ReduceSum', [t([2, 1, 4]), t([1], 'int64')], {}, { opset: 13 })
    const dims = out(r).dims ?? []
    expect(dims[1]).toBe(1)
    expect(typeof dims[0]).toBe('string')
    expect(out(runOp('ReduceSum', [t([2, 1, 4]), t([2], 'int64')], { keepdims: 0 }, { opset: 13 })).dims).toHaveLength(1)
  })

  it('count in − out for a sum and the per-element functions of the others', () => {
    const x = t([4, 6])
    // 24 elements to 4: 20 additions
    expect(runOp('ReduceSum', [x, axes(1)], {}, { opset: 13 }).cost.flops).toBe(20)
    // ReduceMean: 20 additions + 4 divisions
    expect(runOp('ReduceMean', [x, axes(1)]).cost.flops).toBe(24)
    // ReduceL2: 24 squares + 20 additions + 4 sqrt
    expect(runOp('ReduceL2', [x, axes(1)]).cost.flops).toBe(48)
    // ReduceSumSquare: 24 squares + 20 additions
    expect(runOp('ReduceSumSquare', [x, axes(1)]).cost.flops).toBe(44)
    // ReduceLogSumExp: 24 exps + 20 additions + 4 logs
    expect(runOp('ReduceLogSumExp', [x, axes(1)]).cost.flops).toBe(48)
    expect(runOp('ReduceSum', [t(['N', 6]), axes(1)], {}, { opset: 13 }).cost.flops).toBe('5*N')
  })

  it('count nothing on an empty input', () => {
    const r = runOp('ReduceSum', [t([2, 0, 4]), axes(1)], {}, { opset: 13 })
    expect(out(r).dims).toEqual([2, 1, 4])
    expect(r.cost.flops).toBe(0)
  })

  it('compute small values, symbolic dims included', () => {
    const shape = t([3], 'int64', ['N', 3, 4])
    expect(out(runOp('ReduceProd', [shape], { keepdims: 0 }, { opset: 13 })).value).toEqual(['12*N'])
    expect(out(runOp('ReduceSum', [shape, axes(0)], { keepdims: 0 }, { opset: 13 })).value).toEqual(['N + 7'])
    const m = t([2, 3], 'int64', [1, 5, 2, 7, 0, 3])
    expect(out(runOp('ReduceMax', [m, axes(1)], { keepdims: 0 })).value).toEqual([5, 7])
    expect(out(runOp('ReduceMin', [m, axes(0)])).value).toEqual([1, 0, 2])
  })

  it('reject axes out of range', () => {
    expect(shapeError(() => runOp('ReduceMean', [t([2, 3]), axes(2)])).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('ArgMax and ArgMin', () => {
  it('output int64 indices with or without the reduced axis', () => {
    const x = t([2, 3, 4])
    expect(out(runOp('ArgMax', [x], { axis: 1 }, { opset: 13 }))).toEqual({ kind: 'tensor', dtype: 'int64', dims: [2, 1, 4] })
    expect(out(runOp('ArgMin', [x], { axis: -1, keepdims: 0 }, { opset: 13 })).dims).toEqual([2, 3])
    // 24 elements to 8: 16 comparisons
    expect(runOp('ArgMax', [x], { axis: 1 }, { opset: 13 }).cost.flops).toBe(16)
  })

  it('honour select_last_index when computing values', () => {
    const x = t([4], 'float32', [3, 1, 3, 0])
    expect(out(runOp('ArgMax', [x], { keepdims: 0 }, { opset: 13 })).value).toEqual([0])
    expect(out(runOp('ArgMax', [x], { keepdims: 0, select_last_index: 1 }, { opset: 13 })).value).toEqual([2])
    expect(out(runOp('ArgMin', [x], {}, { opset: 13 })).value).toEqual([3])
  })
})
