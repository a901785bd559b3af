import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

const none = undefined
const roi = t([0])

describe('Resize', () => {
  it('floors in·scale per axis', () => {
    const r = runOp('Resize', [t([1, 1, 2, 4]), roi, t([4], 'float32', [1, 1, 0.6, 0.6])], { mode: 'nearest' }, { opset: 13 })
    expect(out(r).dims).toEqual([1, 1, 1, 2])
  })

  it('takes sizes when given, with axes (opset 18)', () => {
    const r = runOp('Resize', [t([1, 1, 2, 2]), none, none, t([2], 'int64', [8, 7])], { axes: [3, 2] }, { opset: 18 })
    expect(out(r).dims).toEqual([1, 1, 7, 8])
  })

  it('keeps the aspect ratio with not_larger and not_smaller', () => {
    const x = t([1, 1, 2, 4])
    const sizes = t([2], 'int64', [1, 3])
    // scales 0.5 and 0.75: not_larger takes 0.5 → [1, 2]; not_smaller 0.75 → [round(1.5), 3]
    expect(out(runOp('Resize', [x, none, none, sizes], { axes: [2, 3], keep_aspect_ratio_policy: 'not_larger' }, { opset: 18 })).dims).toEqual([1, 1, 1, 2])
    expect(out(runOp('Resize', [x, none, none, sizes], { axes: [2, 3], keep_aspect_ratio_policy: 'not_smaller' }, { opset: 18 })).dims).toEqual([1, 1, 2, 3])
  })

  it('reads scales from input 1 in opset 10', () => {
    expect(out(runOp('Resize', [t([1, 1, 2, 2]), t([4], 'float32', [1, 1, 2, 3])], {}, { opset: 10 })).dims).toEqual([1, 1, 4, 6])
  })

  it('multiplies a symbolic dim by an integer scale and makes unknown sizes symbols', () => {
    expect(out(runOp('Resize', [t(['N', 3, 'H', 'W']), roi, t([4], 'float32', [1, 1, 2, 2])], {}, { opset: 13 })).dims).toEqual(['N', 3, '2*H', '2*W'])
    const dims = out(runOp('Resize', [t([1, 3, 8, 8]), roi, t([0]), t([4], 'int64')], {}, { opset: 13 })).dims!
    expect(dims.every((d) => typeof d === 'string')).toBe(true)
  })

  it('takes sizes computed from a symbolic shape as they are', () => {
    const sizes = t([4], 'int64', ['N', 3, '2*H', 64])
    expect(out(runOp('Resize', [t(['N', 3, 'H', 32]), roi, t([0]), sizes], {}, { opset: 13 })).dims).toEqual(['N', 3, '2*H', 64])
  })

  it('costs bilinear interpolation per output and the coordinate transform per resized index', () => {
    // [1, 1, 4, 6] out = 24; d = 2: 3·(2² − 1) = 9 per output; coordinates (4 + 6)·(3 half_pixel + 2)
    const r = runOp('Resize', [t([1, 1, 2, 2]), roi, t([4], 'float32', [1, 1, 2, 3])], { mode: 'linear' }, { opset: 13 })
    expect(r.cost).toEqual({ macs: 0, flops: 216 + 50 })
  })

  it('costs nearest resizing by its index computations only', () => {
    // asymmetric 1 + rounding 1 per resized index: (4 + 6)·2
    const r = runOp('Resize', [t([1, 1, 2, 2]), roi, t([4], 'float32', [1, 1, 2, 3])], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric' }, { opset: 13 })
    expect(r.cost.flops).toBe(20)
  })

  it('rejects a scales input of the wrong length', () => {
    expect(shapeError(() => runOp('Resize', [t([1, 1, 2, 2]), roi, t([2], 'float32', [2, 2])], {}, { opset: 13 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('Upsample', () => {
  it('reads scales from the attribute (opset 7) or the input (opset 9)', () => {
    expect(out(runOp('Upsample', [t([1, 1, 2, 2])], { scales: { floats: [1, 1, 2, 3] } }, { opset: 7 })).dims).toEqual([1, 1, 4, 6])
    expect(out(runOp('Upsample', [t([1, 1, 2, 2]), t([4], 'float32', [1, 1, 2, 3])], {}, { opset: 9 })).dims).toEqual([1, 1, 4, 6])
  })
})

describe('GridSample and AffineGrid', () => {
  it('samples X at the grid locations', () => {
    const r = runOp('GridSample', [t([1, 1, 3, 2]), t([1, 2, 4, 2])], { mode: 'linear' }, { opset: 20 })
    expect(out(r).dims).toEqual([1, 1, 2, 4])
    // out 8 · 9 (bilinear) + 16 grid coordinates · (3 unnormalize + 2)
    expect(r.cost.flops).toBe(72 + 80)
  })

  it('handles 3-D grids', () => {
    expect(out(runOp('GridSample', [t([1, 1, 3, 2, 2]), t([1, 2, 4, 2, 3])], { mode: 'nearest' }, { opset: 22 })).dims).toEqual([1, 1, 2, 4, 2])
  })

  it('builds a grid of the requested size from theta', () => {
    const r = runOp('AffineGrid', [t([2, 2, 3]), t([4], 'int64', [2, 3, 5, 6])], {}, { opset: 20 })
    expect(out(r).dims).toEqual([2, 5, 6, 2])
    // 2·5·6·2 = 120 coordinates, 2·2 FLOPs each
    expect(r.cost.flops).toBe(480)
    expect(out(runOp('AffineGrid', [t([2, 3, 4]), t([5], 'int64', [2, 3, 4, 5, 6])], {}, { opset: 20 })).dims).toEqual([2, 4, 5, 6, 3])
  })

  it('rejects a grid whose last dim is not the spatial rank', () => {
    expect(shapeError(() => runOp('GridSample', [t([1, 1, 3, 2]), t([1, 2, 4, 3])], {}, { opset: 20 })).code).toBe('E_SHAPE_INFERENCE')
  })
})
