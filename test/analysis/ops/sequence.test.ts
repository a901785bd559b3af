import { describe, expect, it } from 'vitest'
import type { InferredType, SequenceType } from '../../../src/analysis/types.js'
import { runOp, t, type AttrInput } from './_run-op.js'

function first(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}, opset = 18): InferredType | undefined {
  return runOp(op, inputs, attrs, { opset }).outputs[0]
}

function seq(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}): SequenceType {
  const s = first(op, inputs, attrs)
  if (s?.kind !== 'sequence') throw new Error('expected a sequence')
  return s
}

const a = t([2, 3])
const b = t([4, 3])

describe('building sequences', () => {
  it('starts empty with the requested dtype', () => {
    const s = seq('SequenceEmpty', [], { dtype: 7 })
    expect(s.elems).toEqual([])
    expect(s.elem?.dtype).toBe('int64')
  })

  it('tracks the elements of SequenceConstruct and merges differing dims into a fresh symbol', () => {
    const s = seq('SequenceConstruct', [a, b])
    expect(s.elems).toEqual([a, b])
    expect(s.elem?.dims?.[1]).toBe(3)
    expect(typeof s.elem?.dims?.[0]).toBe('string')
  })

  it('inserts at a known position (negative counts from the end) or appends', () => {
    const s = seq('SequenceConstruct', [a, a])
    expect(seq('SequenceInsert', [s, b, t([], 'int64', [-1])]).elems).toEqual([a, b, a])
    expect(seq('SequenceInsert', [s, b]).elems).toEqual([a, a, b])
  })

  it('forgets the length when the position is unknown', () => {
    expect(seq('SequenceInsert', [seq('SequenceConstruct', [a]), a, t([], 'int64')]).elems).toBeUndefined()
  })

  it('erases the last element by default', () => {
    expect(seq('SequenceErase', [seq('SequenceConstruct', [a, b])]).elems).toEqual([a])
  })
})

describe('reading sequences', () => {
  it('returns the element at a known position and the common type otherwise', () => {
    const s = seq('SequenceConstruct', [a, b])
    expect(first('SequenceAt', [s, t([], 'int64', [-1])])).toEqual(b)
    expect(first('SequenceAt', [s, t([], 'int64')])).toEqual(s.elem)
  })

  it('fails on an out-of-range position', () => {
    expect(() => first('SequenceAt', [seq('SequenceConstruct', [a]), t([], 'int64', [2])])).toThrow(expect.objectContaining({ code: 'E_SHAPE_INFERENCE' }) as Error)
  })

  it('knows the length of a tracked sequence', () => {
    expect(first('SequenceLength', [seq('SequenceConstruct', [a, b])])).toEqual({ kind: 'tensor', dtype: 'int64', dims: [], value: [2] })
  })
})

describe('SplitToSequence and ConcatFromSequence', () => {
  it('splits into unit pieces without a split input, dropping the axis with keepdims=0', () => {
    const s = seq('SplitToSequence', [t([3, 4])], { axis: 1, keepdims: 0 })
    expect(s.elems).toHaveLength(4)
    expect(s.elems?.[0]?.dims).toEqual([3])
  })

  it('splits into chunks of a scalar size, the last one smaller', () => {
    expect(seq('SplitToSequence', [t([7, 2]), t([], 'int64', [3])]).elems?.map((e) => e.dims)).toEqual([[3, 2], [3, 2], [1, 2]])
  })

  it('splits by a list of sizes', () => {
    expect(seq('SplitToSequence', [t([5]), t([2], 'int64', [2, 3])]).elems?.map((e) => e.dims)).toEqual([[2], [3]])
  })

  it('concatenates along an axis or stacks along a new one', () => {
    const s = seq('SequenceConstruct', [a, b])
    expect(first('ConcatFromSequence', [s], { axis: 0 })).toEqual({ kind: 'tensor', dtype: 'float32', dims: [6, 3] })
    const same = seq('SequenceConstruct', [a, a, a])
    expect(first('ConcatFromSequence', [same], { axis: -1, new_axis: 1 })).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2, 3, 3] })
  })

  it('costs nothing', () => {
    expect(runOp('ConcatFromSequence', [seq('SequenceConstruct', [a, b])], { axis: 0 }).cost).toEqual({ macs: 0, flops: 0 })
  })
})

describe('optionals', () => {
  it('wraps a value, or nothing', () => {
    expect(first('Optional', [a])).toEqual({ kind: 'optional', elem: a })
    expect(first('Optional', [])).toEqual({ kind: 'optional', elem: null })
  })

  it('knows whether an optional holds a value', () => {
    expect(first('OptionalHasElement', [{ kind: 'optional', elem: a }])).toMatchObject({ dtype: 'bool', dims: [], value: [1] })
    expect(first('OptionalHasElement', [{ kind: 'optional', elem: null }])).toMatchObject({ value: [0] })
    expect(first('OptionalHasElement', [a])).toMatchObject({ value: [1] })
  })

  it('unwraps an optional and passes a plain tensor through (opset 18)', () => {
    expect(first('OptionalGetElement', [{ kind: 'optional', elem: a }])).toEqual(a)
    expect(first('OptionalGetElement', [b])).toEqual(b)
    expect(() => first('OptionalGetElement', [{ kind: 'optional', elem: null }])).toThrow(expect.objectContaining({ code: 'E_SHAPE_INFERENCE' }) as Error)
  })
})
