import { describe, expect, it } from 'vitest'
import { dimAdd, dimMul, dimSub } from '../../../src/analysis/dims.js'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('unary math', () => {
  it('keeps the dims and dtype of the input and counts 1 FLOP per element', () => {
    const r = runOp('Exp', [t([3, 4, 5])])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [3, 4, 5] })
    // 3·4·5 = 60 exps
    expect(r.cost).toEqual({ macs: 0, flops: 60 })
  })

  it('gives IsNaN, IsInf and Not a bool output', () => {
    expect(out(runOp('IsNaN', [t([2])])).dtype).toBe('bool')
    expect(out(runOp('IsInf', [t([2])])).dtype).toBe('bool')
    expect(out(runOp('Not', [t([2], 'bool', [0, 1])])).value).toEqual([1, 0])
  })

  it('computes the value of Sqrt, Floor, Ceil and Round (half to even)', () => {
    expect(out(runOp('Sqrt', [t([2], 'float32', [4, 9])])).value).toEqual([2, 3])
    expect(out(runOp('Floor', [t([2], 'float32', [1.5, -1.5])])).value).toEqual([1, -2])
    expect(out(runOp('Ceil', [t([2], 'float32', [1.5, -1.5])])).value).toEqual([2, -1])
    expect(out(runOp('Round', [t([4], 'float32', [0.5, 1.5, 2.5, -0.5])])).value).toEqual([0, 2, 2, -0])
  })

  it('negates a symbolic dim and keeps it through Floor', () => {
    expect(out(runOp('Neg', [t([2], 'int64', ['N', 3])])).value).toEqual(['-N', -3])
    expect(out(runOp('Floor', [t([1], 'float32', [dimMul(2, 'N')])])).value).toEqual(['2*N'])
  })

  it('takes the absolute value of a symbolic dim only when its sign is known', () => {
    expect(out(runOp('Abs', [t([2], 'int64', ['N', dimSub(0, 'N')])])).value).toEqual(['N', 'N'])
    expect(out(runOp('Abs', [t([1], 'int64', [dimSub('N', 3)])])).value).toBeUndefined()
  })

  it('scales a symbolic batch into the cost', () => {
    expect(runOp('Tanh', [t(['N', 8])]).cost).toEqual({ macs: 0, flops: '8*N' })
  })
})

describe('binary arithmetic', () => {
  it('broadcasts dims NumPy-style', () => {
    expect(out(runOp('Add', [t([3, 1, 5]), t([4, 1])])).dims).toEqual([3, 4, 5])
    expect(out(runOp('Mul', [t(['N', 1]), t([1, 7])])).dims).toEqual(['N', 7])
  })

  it('counts 1 FLOP per output element after broadcasting', () => {
    // [2,3] + [3] → 6 additions
    expect(runOp('Add', [t([2, 3]), t([3])]).cost).toEqual({ macs: 0, flops: 6 })
  })

  it('fails on dims that cannot broadcast', () => {
    const e = shapeError(() => runOp('Sub', [t([2, 3]), t([4])]))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })

  it('does arithmetic on shape values with symbolic dims', () => {
    const shape = t([3], 'int64', ['N', 'S', 64])
    expect(out(runOp('Mul', [shape, t([], 'int64', [3])])).value).toEqual(['3*N', '3*S', 192])
    expect(out(runOp('Add', [shape, t([3], 'int64', [1, 'S', 0])])).value).toEqual(['N + 1', '2*S', 64])
    expect(out(runOp('Sub', [shape, t([1], 'int64', [1])])).value).toEqual(['N - 1', 'S - 1', 63])
  })

  it('divides a symbolic dim exactly, or keeps floor semantics for a non-negative one', () => {
    expect(out(runOp('Div', [t([2], 'int64', [dimMul(2, 'N'), 'N']), t([], 'int64', [2])])).value).toEqual(['N', 'floor((N)/2)'])
    // a sign-unknown value cannot be truncated symbolically
    expect(out(runOp('Div', [t([1], 'int64', [dimSub('N', 5)]), t([], 'int64', [2])])).value).toBeUndefined()
    expect(out(runOp('Div', [t([1], 'float32', ['N']), t([], 'float32', [2])])).value).toBeUndefined()
  })

  it('truncates integer division toward zero and keeps float division exact', () => {
    expect(out(runOp('Div', [t([2], 'int64', [7, -7]), t([], 'int64', [2])])).value).toEqual([3, -3])
    expect(out(runOp('Div', [t([1], 'float32', [7]), t([], 'float32', [2])])).value).toEqual([3.5])
  })

  it('follows the fmod attribute in Mod', () => {
    const a = t([2], 'int32', [-7, 7])
    const b = t([], 'int32', [3])
    expect(out(runOp('Mod', [a, b])).value).toEqual([2, 1])
    expect(out(runOp('Mod', [a, b], { fmod: 1 })).value).toEqual([-1, 1])
    expect(out(runOp('Mod', [t([1], 'int64', [dimMul(4, 'N')]), t([], 'int64', [2])])).value).toEqual([0])
  })

  it('raises a symbolic dim to a small integer power', () => {
    expect(out(runOp('Pow', [t([1], 'int64', ['N']), t([], 'int64', [2])])).value).toEqual(['N*N'])
    expect(out(runOp('Pow', [t([1], 'float32', [2]), t([], 'float32', [0.5])])).value).toEqual([Math.fround(Math.SQRT2)])
  })

  it('shifts and masks bits within the element width', () => {
    expect(out(runOp('BitShift', [t([2], 'uint8', [16, 255]), t([2], 'uint8', [1, 1])], { direction: 'LEFT' })).value).toEqual([32, 254])
    expect(out(runOp('BitShift', [t([1], 'uint8', [16]), t([1], 'uint8', [2])], { direction: 'RIGHT' })).value).toEqual([4])
    expect(out(runOp('BitwiseAnd', [t([1], 'int32', [12]), t([1], 'int32', [10])])).value).toEqual([8])
    expect(out(runOp('BitwiseNot', [t([1], 'uint8', [0])])).value).toEqual([255])
  })

  it('uses the opset < 7 broadcast: the output has A dims and B aligns at axis', () => {
    const r = runOp('Add', [t([2, 3, 4]), t([3], 'float32')], { broadcast: 1, axis: 1 }, { opset: 6 })
    expect(out(r).dims).toEqual([2, 3, 4])
    const v = runOp('Add', [t([2, 2], 'float32', [1, 2, 3, 4]), t([2], 'float32', [10, 20])], { broadcast: 1, axis: 0 }, { opset: 6 })
    expect(out(v).value).toEqual([11, 12, 23, 24])
  })

  it('gives PRelu the dims of X and counts a comparison and a multiplication', () => {
    const r = runOp('PRelu', [t([2, 3, 4, 5]), t([3, 1, 1])])
    expect(out(r).dims).toEqual([2, 3, 4, 5])
    // 120 elements × 2
    expect(r.cost.flops).toBe(240)
  })
})

describe('comparisons and logic', () => {
  it('output bool and compare known values', () => {
    const r = runOp('Less', [t([3], 'int64', [1, 5, 3]), t([], 'int64', [3])])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'bool', dims: [3], value: [1, 0, 0] })
    expect(out(runOp('GreaterOrEqual', [t([1], 'float32', [3]), t([1], 'float32', [3])])).value).toEqual([1])
  })

  it('decides comparisons of symbolic dims when the sign of the difference is known', () => {
    expect(out(runOp('Equal', [t([2], 'int64', ['N', 'N']), t([2], 'int64', ['N', -1])])).value).toEqual([1, 0])
    expect(out(runOp('Greater', [t([1], 'int64', [dimAdd('N', 1)]), t([1], 'int64', ['N'])])).value).toEqual([1])
    expect(out(runOp('Less', [t([1], 'int64', ['N']), t([1], 'int64', [0])])).value).toEqual([0])
    expect(out(runOp('Equal', [t([1], 'int64', ['N']), t([1], 'int64', [4])])).value).toBeUndefined()
  })

  it('combines bools with And, Or and Xor', () => {
    const a = t([4], 'bool', [0, 0, 1, 1])
    const b = t([4], 'bool', [0, 1, 0, 1])
    expect(out(runOp('And', [a, b])).value).toEqual([0, 0, 0, 1])
    expect(out(runOp('Or', [a, b])).value).toEqual([0, 1, 1, 1])
    expect(out(runOp('Xor', [a, b])).value).toEqual([0, 1, 1, 0])
  })
})

describe('variadic ops', () => {
  it('broadcast all inputs and count n − 1 folds per element (Mean: n)', () => {
    const ins = [t([2, 1]), t([3]), t([1, 3])]
    const sum = runOp('Sum', ins)
    expect(out(sum).dims).toEqual([2, 3])
    // 6 elements × 2 additions
    expect(sum.cost.flops).toBe(12)
    // 6 × (2 additions + 1 division)
    expect(runOp('Mean', ins).cost.flops).toBe(18)
  })

  it('take the max and min of symbolic dims', () => {
    expect(out(runOp('Max', [t([2], 'int64', ['N', 3]), t([2], 'int64', [0, 'M'])])).value).toEqual(['N', 'max(M, 3)'])
    expect(out(runOp('Min', [t([1], 'int64', [dimAdd('N', 2)]), t([1], 'int64', ['N'])])).value).toEqual(['N'])
    expect(out(runOp('Mean', [t([1], 'int64', [3]), t([1], 'int64', [4])])).value).toEqual([3])
  })
})

describe('symbolic values', () => {
  it('only meet integers, so that no fractional dim is made', () => {
    expect(out(runOp('Mul', [t([1], 'float32', ['N']), t([], 'float32', [0.5])])).value).toBeUndefined()
    expect(out(runOp('Add', [t([1], 'float32', ['N']), t([], 'float32', [2])])).value).toEqual(['N + 2'])
  })
})
