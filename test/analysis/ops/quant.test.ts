import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('QuantizeLinear', () => {
  it('takes the zero point type, else output_dtype, else uint8', () => {
    const x = t([3, 4])
    expect(out(runOp('QuantizeLinear', [x, t([]), t([], 'int8')], {}, { opset: 21 }))).toEqual({ kind: 'tensor', dtype: 'int8', dims: [3, 4] })
    expect(out(runOp('QuantizeLinear', [x, t([3, 2])], { axis: 1, block_size: 2, output_dtype: 5 }, { opset: 21 })).dtype).toBe('int16')
    expect(out(runOp('QuantizeLinear', [x, t([])], {}, { opset: 13 })).dtype).toBe('uint8')
  })

  it('costs divide, round and saturate per element, plus the zero point when given', () => {
    // 12 elements: 5·12 with a zero point, 4·12 without
    expect(runOp('QuantizeLinear', [t([3, 4]), t([]), t([], 'uint8')]).cost).toEqual({ macs: 0, flops: 60 })
    expect(runOp('QuantizeLinear', [t([3, 4]), t([])]).cost.flops).toBe(48)
  })

  it('accepts a [1] zero point with a scalar scale', () => {
    expect(out(runOp('QuantizeLinear', [t([5]), t([]), t([1], 'float8e4m3fn')], {}, { opset: 19 })).dtype).toBe('float8e4m3fn')
  })

  it('rejects a scale whose rank is neither 0, 1 nor the input rank', () => {
    expect(shapeError(() => runOp('QuantizeLinear', [t([2, 3, 4]), t([3, 4])], {}, { opset: 21 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('DequantizeLinear', () => {
  it('outputs float32 before opset 19 and the scale type from 19 on', () => {
    expect(out(runOp('DequantizeLinear', [t([4], 'uint8'), t([]), t([], 'uint8')], {}, { opset: 13 })).dtype).toBe('float32')
    expect(out(runOp('DequantizeLinear', [t([5], 'float8e4m3fn'), t([], 'float16')], {}, { opset: 19 })).dtype).toBe('float16')
    expect(out(runOp('DequantizeLinear', [t(['N', 4, 3, 2], 'int8'), t([1, 2, 3, 2])], { axis: 1, block_size: 2 }, { opset: 21 })).dims).toEqual(['N', 4, 3, 2])
  })

  it('costs a multiply per element and a subtraction with a zero point', () => {
    expect(runOp('DequantizeLinear', [t([1, 3, 3, 2], 'uint8'), t([3]), t([3], 'uint8')]).cost.flops).toBe(36)
    expect(runOp('DequantizeLinear', [t(['N'], 'int32'), t([])]).cost.flops).toBe('N')
  })
})

describe('DynamicQuantizeLinear', () => {
  it('outputs uint8 data and scalar scale and zero point', () => {
    const r = runOp('DynamicQuantizeLinear', [t([3, 4])], {}, { opset: 11, outputs: 3 })
    expect(out(r, 0)).toEqual({ kind: 'tensor', dtype: 'uint8', dims: [3, 4] })
    expect(out(r, 1)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [] })
    expect(out(r, 2)).toEqual({ kind: 'tensor', dtype: 'uint8', dims: [] })
    // min/max 2·12 + 7 + quantize 5·12
    expect(r.cost.flops).toBe(91)
  })
})
