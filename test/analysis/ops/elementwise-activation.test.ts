import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('activations', () => {
  it('count the operations of their defining formula per element', () => {
    const x = t([2, 5])
    const flops = (op: string, attrs = {}, opset = 22): unknown => runOp(op, [x], attrs, { opset }).cost.flops
    // 10 elements: Relu max 1, Sigmoid 4 (neg, exp, add, div), Elu 4, Selu 5, Celu 7, HardSwish 5, Mish 5
    expect(flops('Relu')).toBe(10)
    expect(flops('Sigmoid')).toBe(40)
    expect(flops('Elu')).toBe(40)
    expect(flops('Selu')).toBe(50)
    expect(flops('Celu')).toBe(70)
    expect(flops('HardSwish')).toBe(50)
    expect(flops('Mish')).toBe(50)
    expect(flops('Swish', {}, 24)).toBe(60)
    // Gelu: 0.5·x·(1 + erf(x/√2)) = 5 ops; tanh approximation 8 ops
    expect(flops('Gelu', {}, 20)).toBe(50)
    expect(flops('Gelu', { approximate: 'tanh' }, 20)).toBe(80)
  })

  it('keep the input dims, symbolic ones included', () => {
    const r = runOp('LeakyRelu', [t(['N', 3])], { alpha: { float: 0.1 } })
    expect(out(r).dims).toEqual(['N', 3])
    expect(r.cost.flops).toBe('6*N')
  })

  it('include the com.microsoft GELU family, FastGelu counting its optional bias', () => {
    const x = t([4, 8])
    const ms = { domain: 'com.microsoft', opset: 1 }
    expect(runOp('Gelu', [x], {}, ms).cost.flops).toBe(160)
    // 32 elements × 8, + 32 bias additions
    expect(runOp('FastGelu', [x], {}, ms).cost.flops).toBe(256)
    expect(runOp('FastGelu', [x, t([8])], {}, ms).cost.flops).toBe(288)
    expect(out(runOp('BiasGelu', [x, t([8])], {}, ms)).dims).toEqual([4, 8])
    expect(runOp('QuickGelu', [x], { alpha: { float: 1.702 } }, ms).cost.flops).toBe(192)
  })
})

describe('Where and Clip', () => {
  it('broadcast Where over its three inputs, with the dtype of X and no FLOPs', () => {
    const r = runOp('Where', [t([2, 1], 'bool', [1, 0]), t([1, 2], 'int64', ['N', 2]), t([], 'int64', [7])])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [2, 2], value: ['N', 2, 7, 7] })
    expect(r.cost.flops).toBe(0)
  })

  it('reads Clip bounds from attributes before opset 11 and from inputs since', () => {
    const old = runOp('Clip', [t([4], 'float32', [-2, 0, 3, 9])], { min: { float: 0 }, max: { float: 6 } }, { opset: 6 })
    expect(out(old).value).toEqual([0, 0, 3, 6])
    // 4 elements × 2 bounds
    expect(old.cost.flops).toBe(8)
    const only = runOp('Clip', [t([4], 'int64', [-2, 0, 3, 9]), t([], 'int64', [1])], {}, { opset: 13 })
    expect(out(only).value).toEqual([1, 1, 3, 9])
    expect(only.cost.flops).toBe(4)
    const sym = runOp('Clip', [t([1], 'int64', ['N']), t([], 'int64', [0])], {}, { opset: 13 })
    expect(out(sym).value).toEqual(['N'])
  })
})

describe('softmax-like ops', () => {
  it('count 5·out − 2·rows for Softmax along the last axis (opset 13)', () => {
    // [2,3,4]: 24 elements, 6 rows of 4 → max 18, sub 24, exp 24, sum 18, div 24 = 108
    expect(runOp('Softmax', [t([2, 3, 4])], {}, { opset: 13 }).cost.flops).toBe(108)
    // LogSoftmax: 18 + 24 + 24 + 18 + 6 logs + 24 = 114
    expect(runOp('LogSoftmax', [t([2, 3, 4])], {}, { opset: 13 }).cost.flops).toBe(114)
  })

  it('coerce the input to 2-D at axis before opset 13', () => {
    // axis 1 on [2,3,4]: 2 rows of 12 → 5·24 − 2·2 = 116
    expect(runOp('Softmax', [t([2, 3, 4])], {}, { opset: 11 }).cost.flops).toBe(116)
    expect(runOp('Hardmax', [t([2, 3, 4])], { axis: 0 }, { opset: 11 }).cost.flops).toBe(23)
  })

  it('reject an axis out of range', () => {
    expect(shapeError(() => runOp('Softmax', [t([2, 3])], { axis: 2 }, { opset: 13 })).code).toBe('E_SHAPE_INFERENCE')
  })

  it('count out − rows for CumSum along a known axis', () => {
    // [3,4] along axis 0: 4 columns of 3 → 12 − 4 = 8 additions
    const r = runOp('CumSum', [t([3, 4]), t([], 'int32', [0])], {}, { opset: 14 })
    expect(out(r).dims).toEqual([3, 4])
    expect(r.cost.flops).toBe(8)
    expect(runOp('CumProd', [t(['N', 4]), t([], 'int64', [-1])], {}, { opset: 26 }).cost.flops).toBe('3*N')
  })
})

describe('Det', () => {
  it('maps [*, M, M] to [*] and counts an LU elimination', () => {
    const r = runOp('Det', [t([2, 3, 3])], {}, { opset: 22 })
    expect(out(r).dims).toEqual([2])
    // M = 3: 3 divisions + 10 multiply-subtracts + 2 pivot products = 15 per matrix
    expect(r.cost.flops).toBe(30)
    expect(out(runOp('Det', [t([2, 2])], {}, { opset: 22 })).dims).toEqual([])
  })

  it('rejects non-square matrices', () => {
    expect(shapeError(() => runOp('Det', [t([2, 3])], {}, { opset: 22 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('cumulative values', () => {
  it('are computed along the axis, exclusive and reversed as asked', () => {
    const x = t([2, 3], 'int64', [1, 2, 3, 4, 5, 6])
    expect(out(runOp('CumSum', [x, t([], 'int64', [1])], {}, { opset: 14 })).value).toEqual([1, 3, 6, 4, 9, 15])
    expect(out(runOp('CumSum', [x, t([], 'int64', [0])], { exclusive: 1 }, { opset: 14 })).value).toEqual([0, 0, 0, 1, 2, 3])
    expect(out(runOp('CumProd', [x, t([], 'int64', [1])], { reverse: 1 }, { opset: 26 })).value).toEqual([6, 6, 3, 120, 30, 6])
  })
})
