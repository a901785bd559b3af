import { describe, expect, it } from 'vitest'
import type { OnnxTensor } from '../../../src/onnx/types.js'
import { runOp, t, tensorOutput as out, thrown as failure } from './_run-op.js'

describe('Gather family', () => {
  it('replaces the axis by the indices dims', () => {
    expect(out('Gather', [t([5, 4, 3]), t([2, 6], 'int64')], { axis: 1 }).dims).toEqual([5, 2, 6, 3])
    expect(out('Gather', [t(['N', 4]), t([], 'int64', [0])], { axis: 1 }).dims).toEqual(['N'])
  })

  it('gathers values with negative indices', () => {
    const y = out('Gather', [t([2, 3], 'int64', [1, 2, 3, 4, 5, 6]), t([2], 'int64', [-1, 0])], { axis: 1 })
    expect(y.dims).toEqual([2, 2])
    expect(y.value).toEqual([3, 1, 6, 4])
  })

  it('fails on an out-of-range index', () => {
    expect(failure(() => out('Gather', [t([3], 'int64', [1, 2, 3]), t([], 'int64', [3])]))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })

  it('gives GatherElements the indices dims and values', () => {
    const y = out('GatherElements', [t([2, 2], 'int64', [1, 2, 3, 4]), t([2, 2], 'int64', [0, 0, 1, 0])], { axis: 1 })
    expect(y.dims).toEqual([2, 2])
    expect(y.value).toEqual([1, 1, 4, 3])
  })

  it('handles GatherND with batch_dims', () => {
    expect(out('GatherND', [t([2, 2, 2]), t([2, 1], 'int64')]).dims).toEqual([2, 2, 2])
    expect(out('GatherND', [t([2, 2, 2]), t([2, 1], 'int64')], { batch_dims: 1 }).dims).toEqual([2, 2])
    expect(out('GatherND', [t([2, 3, 4, 5]), t([2, 3, 2], 'int64')], { batch_dims: 1 }).dims).toEqual([2, 3, 5])
    const y = out('GatherND', [t([2, 2], 'int64', [0, 1, 2, 3]), t([2, 2], 'int64', [0, 0, 1, 1])])
    expect(y.value).toEqual([0, 3])
  })
})

describe('Scatter family', () => {
  it('gives the data type and costs nothing without a reduction', () => {
    const r = runOp('ScatterElements', [t([3, 3]), t([2, 3], 'int64'), t([2, 3])], { axis: 0 })
    expect(r.outputs[0]).toEqual({ kind: 'tensor', dtype: 'float32', dims: [3, 3] })
    expect(r.cost).toEqual({ macs: 0, flops: 0 })
  })

  it('counts one operation per update element with a reduction', () => {
    // updates [N, 2, 3] with reduction add: 6·N additions
    expect(runOp('ScatterND', [t([4, 2, 3]), t(['N', 1], 'int64'), t(['N', 2, 3])], { reduction: 'add' }).cost).toEqual({ macs: 0, flops: '6*N' })
  })

  it('writes a TensorScatter update into a cache of the same shape', () => {
    expect(out('TensorScatter', [t([2, 1, 4, 5]), t([2, 1, 1, 5]), t([2], 'int64')], {}, 24).dims).toEqual([2, 1, 4, 5])
  })

  it('fails when the TensorScatter update is longer than the cache', () => {
    expect(failure(() => out('TensorScatter', [t([2, 4, 5]), t([2, 6, 5])], {}, 24))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('creation ops', () => {
  it('reads every Constant value attribute', () => {
    expect(out('Constant', [], { value_ints: [1, 2, 3] })).toEqual({ kind: 'tensor', dtype: 'int64', dims: [3], value: [1, 2, 3] })
    expect(out('Constant', [], { value_float: { float: 0.5 } })).toEqual({ kind: 'tensor', dtype: 'float32', dims: [], value: [0.5] })
    expect(out('Constant', [], { value_int: 7 }).value).toEqual([7])
    expect(out('Constant', [], { value_floats: { floats: [1, 2] } }).dims).toEqual([2])
    expect(out('Constant', [], { value_string: 'a' }).strings).toEqual(['a'])
    expect(out('Constant', [], { value_strings: ['a', 'b'] }).dims).toEqual([2])
    const tensor: OnnxTensor = { name: '', dtype: 'float16', dims: [2, 3], payload: { kind: 'none' } }
    expect(out('Constant', [], { value: { type: 'tensor', value: tensor } }).dims).toEqual([2, 3])
  })

  it('densifies a sparse Constant', () => {
    const values: OnnxTensor = { name: '', dtype: 'float32', dims: [2], payload: { kind: 'none' } }
    const indices: OnnxTensor = { name: '', dtype: 'int64', dims: [2], payload: { kind: 'none' } }
    const y = out('Constant', [], { sparse_value: { type: 'sparse_tensor', value: { dims: [3, 4], values, indices } } })
    expect(y.dims).toEqual([3, 4])
  })

  it('takes ConstantOfShape dims from the value, symbols included', () => {
    expect(out('ConstantOfShape', [t([2], 'int64', ['N', 3])]).dims).toEqual(['N', 3])
    expect(out('ConstantOfShape', [t([2], 'int64', [2, 2])]).value).toEqual([0, 0, 0, 0])
  })

  it('counts Range elements, symbolic limits included', () => {
    const r = out('Range', [t([], 'int64', [1]), t([], 'int64', [10]), t([], 'int64', [3])])
    expect(r.dims).toEqual([3])
    expect(r.value).toEqual([1, 4, 7])
    expect(out('Range', [t([], 'float32', [10]), t([], 'float32', [4]), t([], 'float32', [-2.5])]).dims).toEqual([3])
    expect(out('Range', [t([], 'int64', [0]), t([], 'int64', ['S']), t([], 'int64', [1])]).value).toBeUndefined()
    expect(out('Range', [t([], 'int64', [0]), t([], 'int64', ['S']), t([], 'int64', [1])]).dims).toEqual(['S'])
  })

  it('inserts the OneHot depth at the axis', () => {
    expect(out('OneHot', [t([2, 3], 'int64'), t([], 'float32', [10]), t([2], 'int32')], { axis: 1 }).dims).toEqual([2, 10, 3])
    expect(out('OneHot', [t([2, 3], 'int64'), t([], 'int64', [4]), t([2])]).dims).toEqual([2, 3, 4])
  })

  it('gives EyeLike the requested dtype and Trilu the input type', () => {
    expect(out('EyeLike', [t([3, 4], 'int32')], { dtype: 1 })).toEqual({ kind: 'tensor', dtype: 'float32', dims: [3, 4] })
    expect(out('Trilu', [t(['N', 4, 4])])).toEqual({ kind: 'tensor', dtype: 'float32', dims: ['N', 4, 4] })
    expect(failure(() => out('EyeLike', [t([3])]))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})
