import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

const c3 = t([3])

describe('BatchNormalization', () => {
  it('costs 2 FLOPs per element plus 5 per channel in inference', () => {
    // 2·3·4·5 = 120 elements: 240 + 15
    const r = runOp('BatchNormalization', [t([2, 3, 4, 5]), c3, c3, c3, c3], {}, { opset: 15 })
    expect(out(r).dims).toEqual([2, 3, 4, 5])
    expect(r.cost).toEqual({ macs: 0, flops: 255 })
  })

  it('gives the running statistics of training mode the channel dim (opset 14+)', () => {
    // training adds 4·120 (batch mean, variance) + 8·3 (their divides, running statistics)
    const r = runOp('BatchNormalization', [t([2, 3, 4, 5]), c3, c3, c3, c3], { training_mode: 1 }, { opset: 15, outputs: 3 })
    expect(out(r, 1).dims).toEqual([3])
    expect(out(r, 2).dims).toEqual([3])
    expect(r.cost.flops).toBe(255 + 480 + 24)
  })

  it('infers the five outputs of the old training form (opset 9)', () => {
    const r = runOp('BatchNormalization', [t(['N', 3, 6, 6]), c3, c3, c3, c3], {}, { opset: 9, outputs: 5 })
    expect(r.outputs.map((o) => (o?.kind === 'tensor' ? o.dims : undefined))).toEqual([['N', 3, 6, 6], [3], [3], [3], [3]])
  })
})

describe('LayerNormalization', () => {
  it('infers Mean and InvStdDev with ones from the axis on', () => {
    const r = runOp('LayerNormalization', [t([2, 3, 4, 5]), t([4, 5]), t([4, 5])], { axis: -2 }, { opset: 17, outputs: 3 })
    expect(out(r, 0).dims).toEqual([2, 3, 4, 5])
    expect(out(r, 1)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2, 3, 1, 1] })
    expect(out(r, 2).dims).toEqual([2, 3, 1, 1])
  })

  it('types the statistics by stash_type', () => {
    const r = runOp('LayerNormalization', [t([3, 4], 'float16'), t([4], 'float16')], { stash_type: 10 }, { opset: 17, outputs: 2 })
    expect(out(r, 0).dtype).toBe('float16')
    expect(out(r, 1).dtype).toBe('float16')
  })

  it('costs 7 FLOPs per element (6 without bias) and 5 per row', () => {
    // BERT-base: [B, S, 768]; rows B·S: 7·768 + 5 = 5381 per row
    expect(runOp('LayerNormalization', [t(['B', 'S', 768]), t([768]), t([768])], {}, { opset: 17 }).cost).toEqual({ macs: 0, flops: '5381*B*S' })
    // 3·4 = 12 elements, 3 rows: 6·12 + 15
    expect(runOp('LayerNormalization', [t([3, 4]), t([4])], {}, { opset: 17 }).cost.flops).toBe(87)
  })

  it('rejects an axis out of range', () => {
    expect(shapeError(() => runOp('LayerNormalization', [t([3, 4]), t([4])], { axis: 2 }, { opset: 17 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('other normalizations', () => {
  it('costs InstanceNormalization per instance', () => {
    // 2·3·4·5 = 120 elements, N·C = 6 instances: 7·120 + 5·6
    expect(runOp('InstanceNormalization', [t([2, 3, 4, 5]), c3, c3]).cost).toEqual({ macs: 0, flops: 870 })
  })

  it('costs GroupNormalization per group', () => {
    // 48 elements, N·G = 3·2: 7·48 + 5·6
    expect(runOp('GroupNormalization', [t([3, 4, 2, 2]), t([4]), t([4])], { num_groups: 2 }, { opset: 21 }).cost.flops).toBe(366)
  })

  it('costs RMSNormalization 4 per element and 4 per row', () => {
    // 3·4 elements, 3 rows
    const r = runOp('RMSNormalization', [t([3, 4]), t([4])], {}, { opset: 23 })
    expect(out(r).dims).toEqual([3, 4])
    expect(r.cost.flops).toBe(60)
  })

  it('costs LRN (size + 4) per element', () => {
    expect(runOp('LRN', [t([5, 5, 5, 5])], { size: 3 }).cost.flops).toBe(7 * 625)
  })

  it('costs LpNormalization 3 per element plus a root per vector for p = 2', () => {
    // 2·2·3 = 12 elements; axis −1 → 4 vectors
    expect(runOp('LpNormalization', [t([2, 2, 3])]).cost.flops).toBe(40)
    expect(runOp('LpNormalization', [t([2, 2, 3])], { p: 1 }).cost.flops).toBe(36)
  })

  it('costs MeanVarianceNormalization over the default axes [0, 2, 3]', () => {
    // 27 elements, 3 channel groups: 5·27 + 6·3
    expect(runOp('MeanVarianceNormalization', [t([3, 3, 3, 1])]).cost.flops).toBe(153)
  })
})

describe('onnxruntime contrib normalizations', () => {
  const ms = { domain: 'com.microsoft', opset: 1, outputs: 4 }

  it('infers SkipLayerNormalization outputs and costs the residual add', () => {
    // 2·3·8 = 48 elements, 6 rows: skip 48 + bias 48 + LayerNorm 7·48 + 30
    const r = runOp('SkipLayerNormalization', [t([2, 3, 8]), t([2, 3, 8]), t([8]), t([8]), t([8])], {}, ms)
    expect(out(r, 0).dims).toEqual([2, 3, 8])
    expect(out(r, 1)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2, 3, 1] })
    expect(out(r, 3).dims).toEqual([2, 3, 8])
    expect(r.cost.flops).toBe(48 + 48 + 336 + 30)
  })

  it('costs SkipSimplifiedLayerNormalization as an add and an RMSNorm', () => {
    // 4·8 = 32 elements, 4 rows: 32 + 4·32 + 4·4
    expect(runOp('SkipSimplifiedLayerNormalization', [t([4, 8]), t([4, 8]), t([8])], {}, ms).cost.flops).toBe(176)
  })

  it('treats SimplifiedLayerNormalization as RMSNorm', () => {
    expect(runOp('SimplifiedLayerNormalization', [t([3, 4]), t([4])], {}, { opset: 1 }).cost.flops).toBe(60)
  })
})
