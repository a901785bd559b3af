/**
 * GridSample (opsets 16, 20, 22: 2-D and N-D grids) and AffineGrid (opset 20).
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpRule, OpRuleTable } from '../types.js'
import { outputElements, tensorOf } from './_helpers.js'
import { dimsValue, expectRank, expectSameDim, inputDims } from './_compute-utils.js'
import { interpolationKind, interpolationPerElement } from './_resample-utils.js'

const PADDING_FLOPS: Record<string, number> = { zeros: 0, border: 2, reflection: 4 }

const GridSample: OpRule = {
  formula:
    'FLOPs = out·i + N·∏grid_spatial·r·c; i = 0 (nearest), 3·(2^r − 1) (linear), 7·(4^r − 1)/3 (cubic); c = 3 (unnormalize) + 1 / 2 / 26 (rounding / floor and fraction / cubic weights) + padding (border 2, reflection 4)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    const grid = inputDims(ctx, 1, 'grid')
    if (x.length < 3) ctx.fail(`X should have rank ≥ 3, not ${x.length}`, x)
    expectRank(ctx, grid, x.length, 'grid')
    expectSameDim(ctx, grid[0], x[0], 'grid batch ≠ X batch')
    expectSameDim(ctx, grid[grid.length - 1], x.length - 2, 'grid last dim ≠ spatial rank')
    return [tensorOf(ctx.tensor(0).dtype, [x[0]!, x[1]!, ...grid.slice(1, -1)])]
  },
  cost(ctx, outputs) {
    const grid = inputDims(ctx, 1, 'grid')
    const r = grid.length - 2
    const kind = interpolationKind(ctx.attrString('mode', ctx.opset < 20 ? 'bilinear' : 'linear'))
    const weights = kind === 'nearest' ? 1 : kind === 'linear' ? 2 : 26
    const perCoordinate = 3 + weights + (PADDING_FLOPS[ctx.attrString('padding_mode', 'zeros')] ?? 0)
    const coordinates = dimProduct(grid)
    return {
      macs: 0,
      flops: dimAdd(dimMul(outputElements(outputs), interpolationPerElement(kind, r)), dimMul(coordinates, perCoordinate)),
    }
  },
}

const AffineGrid: OpRule = {
  formula: 'FLOPs = 2·r·out (each output coordinate is a row of θ times the homogeneous base coordinate)',
  infer(ctx) {
    const theta = inputDims(ctx, 0, 'theta')
    expectRank(ctx, theta, 3, 'theta')
    const sizeT = ctx.tensor(1)
    const size = dimsValue(sizeT)
    const n = size?.length ?? sizeT.dims?.[0]
    if (n !== 4 && n !== 5) return ctx.fail('size should have 4 (2-D) or 5 (3-D) values', size ?? sizeT.dims)
    const r = n - 2
    expectSameDim(ctx, theta[1], r, 'theta rows ≠ spatial rank')
    const spatial: Dim[] = size === undefined ? Array.from({ length: r }, (_, i) => ctx.freshDim(`size_${i + 2}`)) : size.slice(2)
    return [tensorOf(ctx.tensor(0).dtype, [theta[0]!, ...spatial, r])]
  },
  cost(ctx, outputs) {
    const theta = inputDims(ctx, 0, 'theta')
    const r = theta[1]!
    return { macs: 0, flops: dimMul(dimMul(2, r), outputElements(outputs)) }
  },
}

/** GridSample and AffineGrid, merged into RESIZE_RULES. */
export const GRID_RULES: OpRuleTable = { GridSample, AffineGrid }
