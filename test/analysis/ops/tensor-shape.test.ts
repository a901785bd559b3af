import { describe, expect, it } from 'vitest'
import type { InferredType } from '../../../src/analysis/types.js'
import { runOp, t, tensorOutput as out, thrown as failure } from './_run-op.js'

describe('Reshape', () => {
  it('copies a 0 entry from the input and infers -1', () => {
    expect(out('Reshape', [t([2, 3, 4]), t([3], 'int64', [0, -1, 2])]).dims).toEqual([2, 6, 2])
  })

  it('keeps a literal 0 with allowzero', () => {
    expect(out('Reshape', [t([0, 3]), t([2], 'int64', [0, 3])], { allowzero: 1 }).dims).toEqual([0, 3])
  })

  it('reads the target from the shape attribute before opset 5', () => {
    expect(out('Reshape', [t([2, 6])], { shape: [3, 4] }, 4).dims).toEqual([3, 4])
  })

  it('resolves a Shape → Gather → Unsqueeze → Concat target with a symbolic batch', () => {
    const x = t(['N', 3, 4])
    const shape = out('Shape', [x])
    expect(shape.value).toEqual(['N', 3, 4])
    const n = out('Gather', [shape, t([], 'int64', [0])], { axis: 0 })
    expect(n.dims).toEqual([])
    expect(n.value).toEqual(['N'])
    const n1 = out('Unsqueeze', [n, t([1], 'int64', [0])], {}, 13)
    const target = out('Concat', [n1, t([1], 'int64', [-1])], { axis: 0 })
    expect(target.value).toEqual(['N', -1])
    expect(out('Reshape', [x, target]).dims).toEqual(['N', 12])
  })

  it('divides symbolic element counts exactly (2·N·S elements into [N, -1])', () => {
    expect(out('Reshape', [t(['N', 'S', 2]), t([2], 'int64', ['N', -1])]).dims).toEqual(['N', '2*S'])
  })

  it('gives fresh dims when the target is unknown', () => {
    const dims = out('Reshape', [t([2, 3]), t([2], 'int64')]).dims
    expect(dims).toHaveLength(2)
    expect(dims?.every((d) => typeof d === 'string')).toBe(true)
  })

  it('propagates the value unchanged', () => {
    expect(out('Reshape', [t([2, 2], 'int64', [1, 2, 3, 4]), t([1], 'int64', [4])]).value).toEqual([1, 2, 3, 4])
  })

  it('fails when the element counts differ', () => {
    const e = failure(() => out('Reshape', [t([2, 3]), t([2], 'int64', [4, 2])]))
    expect(e).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })

  it('costs nothing', () => {
    expect(runOp('Reshape', [t([2, 3]), t([1], 'int64', [6])]).cost).toEqual({ macs: 0, flops: 0 })
  })
})

describe('Flatten, Transpose, Squeeze, Unsqueeze', () => {
  it('flattens at a negative axis and at the rank', () => {
    expect(out('Flatten', [t(['N', 3, 4, 5])], { axis: -2 }).dims).toEqual(['3*N', 20])
    expect(out('Flatten', [t([2, 3])], { axis: 2 }).dims).toEqual([6, 1])
  })

  it('transposes dims and values (reversed by default)', () => {
    const y = out('Transpose', [t([2, 3], 'int64', [1, 2, 3, 4, 5, 6])])
    expect(y.dims).toEqual([3, 2])
    expect(y.value).toEqual([1, 4, 2, 5, 3, 6])
    expect(out('Transpose', [t(['N', 3, 4])], { perm: [0, 2, 1] }).dims).toEqual(['N', 4, 3])
  })

  it('refuses a perm that is not a permutation of the axes, at any rank', () => {
    for (const perm of [[0, 0, 1], [0, 1, 3], [0, -1, 2], [0, 1], [2, 1, 0, 3]]) {
      expect(failure(() => out('Transpose', [t([2, 3, 4])], { perm }))).toMatchObject({ code: 'E_SHAPE_INFERENCE', message: expect.stringContaining('not a permutation') })
    }
    // past 30 axes the check keeps a byte per axis instead of a bit
    const rank = 40
    const dims = Array.from({ length: rank }, (_, i) => (i % 3) + 1)
    const reversed = dims.map((_, i) => rank - 1 - i)
    expect(out('Transpose', [t(dims)], { perm: reversed }).dims).toEqual([...dims].reverse())
    expect(out('Transpose', [t(dims)]).dims).toEqual([...dims].reverse())
    const repeated = [...reversed.slice(0, -1), 0]
    repeated[5] = 0
    expect(failure(() => out('Transpose', [t(dims)], { perm: repeated }))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
    expect(failure(() => out('Transpose', [t(dims)], { perm: [...reversed.slice(0, -1), 35] }))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })

  it('squeezes attribute axes before opset 13 and input axes after', () => {
    expect(out('Squeeze', [t([1, 3, 1])], { axes: [0] }, 11).dims).toEqual([3, 1])
    expect(out('Squeeze', [t([1, 3, 1]), t([1], 'int64', [-1])], {}, 13).dims).toEqual([1, 3])
    expect(out('Squeeze', [t([1, 'N', 1])], {}, 13).dims).toEqual(['N'])
  })

  it('fails to squeeze an axis that is not 1', () => {
    expect(failure(() => out('Squeeze', [t([2, 3]), t([1], 'int64', [0])], {}, 13))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })

  it('unsqueezes at axes of the output rank', () => {
    expect(out('Unsqueeze', [t([3, 4])], { axes: [0, 3] }, 11).dims).toEqual([1, 3, 4, 1])
    expect(out('Unsqueeze', [t([3, 4]), t([2], 'int64', [-1, 1])], {}, 13).dims).toEqual([3, 1, 4, 1])
  })
})

describe('Expand and Tile', () => {
  it('broadcasts both ways and carries the value', () => {
    const y = out('Expand', [t([3, 1], 'int64', [1, 2, 3]), t([3], 'int64', [2, 1, 2])])
    expect(y.dims).toEqual([2, 3, 2])
    expect(y.value).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
  })

  it('expands to a symbolic target', () => {
    expect(out('Expand', [t([1, 4]), t([2], 'int64', ['N', 1])]).dims).toEqual(['N', 4])
  })

  it('keeps the input dims that are not 1 when the target is unknown', () => {
    const dims = out('Expand', [t([1, 4]), t([2], 'int64')]).dims
    expect(dims?.[1]).toBe(4)
    expect(typeof dims?.[0]).toBe('string')
  })

  it('tiles dims and values', () => {
    const y = out('Tile', [t([2], 'int64', [1, 2]), t([1], 'int64', [3])])
    expect(y.dims).toEqual([6])
    expect(y.value).toEqual([1, 2, 1, 2, 1, 2])
    expect(out('Tile', [t(['N', 3]), t([2], 'int64', [2, 1])]).dims).toEqual(['2*N', 3])
  })
})

describe('DepthToSpace and SpaceToDepth', () => {
  it('moves blocks between channels and space', () => {
    expect(out('DepthToSpace', [t([1, 8, 2, 3])], { blocksize: 2 }).dims).toEqual([1, 2, 4, 6])
    expect(out('SpaceToDepth', [t(['N', 2, 4, 6])], { blocksize: 2 }).dims).toEqual(['N', 8, 2, 3])
  })

  it('fails when the channels do not divide', () => {
    expect(failure(() => out('DepthToSpace', [t([1, 6, 2, 2])], { blocksize: 2 }))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('Cast, CastLike, BitCast', () => {
  it('truncates toward zero, wraps to the width and maps to bool', () => {
    expect(out('Cast', [t([3], 'float32', [2.7, -2.7, 300])], { to: 3 }).value).toEqual([2, -2, 44])
    expect(out('Cast', [t([3], 'float32', [0, 0.5, -1])], { to: 9 }).value).toEqual([0, 1, 1])
  })

  it('keeps a symbolic dim through int64 → float → int64', () => {
    const f = out('Cast', [t([1], 'int64', ['N'])], { to: 1 })
    expect(f.dtype).toBe('float32')
    expect(out('Cast', [f], { to: 7 }).value).toEqual(['N'])
  })

  it('reads the old string form of `to`', () => {
    expect(out('Cast', [t([2])], { to: 'INT64' }, 1).dtype).toBe('int64')
  })

  it('takes the dtype of the second input in CastLike', () => {
    expect(out('CastLike', [t([2], 'int64', [1, 2]), t([], 'float64')]).dtype).toBe('float64')
  })

  it('bit-casts between types of the same width only', () => {
    expect(out('BitCast', [t([2, 3], 'float32')], { to: 6 }, 26)).toEqual({ kind: 'tensor', dtype: 'int32', dims: [2, 3] })
    expect(failure(() => out('BitCast', [t([2], 'float32')], { to: 7 }, 26))).toMatchObject({ code: 'E_SHAPE_INFERENCE' })
  })
})

describe('Shape, Size, Identity, Dropout', () => {
  it('slices the shape with start/end from opset 15', () => {
    const s = out('Shape', [t(['N', 3, 4, 5])], { start: 1, end: -1 }, 15)
    expect(s.dims).toEqual([2])
    expect(s.value).toEqual([3, 4])
    expect(out('Shape', [t([2, 3])], { start: -10 }, 15).value).toEqual([2, 3])
  })

  it('gives the symbolic element count as Size', () => {
    expect(out('Size', [t(['N', 3])]).value).toEqual(['3*N'])
  })

  it('passes any type through Identity', () => {
    const seq: InferredType = { kind: 'sequence', elems: [], elem: undefined }
    expect(runOp('Identity', [seq]).outputs[0]).toBe(seq)
  })

  it('gives a bool mask from opset 10 and a mask of the input type before', () => {
    const y = runOp('Dropout', [t([2, 3])], {}, { opset: 13, outputs: 2 }).outputs
    expect(y[1]).toEqual({ kind: 'tensor', dtype: 'bool', dims: [2, 3] })
    const old = runOp('Dropout', [t([2, 3])], {}, { opset: 7, outputs: 2 }).outputs
    expect(old[1]).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2, 3] })
  })

  it('counts 2 FLOPs per element in training mode only', () => {
    // 2·3 elements × (compare, scale) = 12
    const train = runOp('Dropout', [t([2, 3]), t([], 'float32', [0.5]), t([], 'bool', [1])], {}, { opset: 13 })
    expect(train.cost).toEqual({ macs: 0, flops: 12 })
    expect(runOp('Dropout', [t(['N', 3])], {}, { opset: 13 }).cost).toEqual({ macs: 0, flops: 0 })
  })
})
