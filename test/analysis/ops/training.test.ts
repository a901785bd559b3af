import { describe, expect, it } from 'vitest'
import type { InferredType, TensorType } from '../../../src/analysis/types.js'
import { runOp, shapeError, t } from './_run-op.js'

const training = { domain: 'ai.onnx.preview.training', opset: 1 }

function dimsOf(r: { outputs: readonly (InferredType | undefined)[] }): unknown[] {
  return r.outputs.map((o) => (o?.kind === 'tensor' ? (o as TensorType).dims : o))
}

const R = t([], 'float32')
const T = t([], 'int64')

describe('Adagrad', () => {
  it('outputs the new values then the new accumulated squared gradients of each tensor', () => {
    const r = runOp('Adagrad', [R, T, t([1]), t([2, 3]), t([1]), t([2, 3]), t([1]), t([2, 3])], {}, { ...training, outputs: 4 })
    expect(dimsOf(r)).toEqual([[1], [2, 3], [1], [2, 3]])
  })

  it('counts 9 FLOPs per optimized element and 3 for the learning rate', () => {
    // |X| = 1 + 6 = 7: 9·7 + 3 = 66
    const r = runOp('Adagrad', [R, T, t([1]), t([2, 3]), t([1]), t([2, 3]), t([1]), t([2, 3])], {}, { ...training, outputs: 4 })
    expect(r.cost).toEqual({ macs: 0, flops: 66 })
  })
})

describe('Adam', () => {
  it('outputs X, V and H for each tensor', () => {
    const r = runOp('Adam', [R, T, t([2]), t([2]), t([2]), t([2])], {}, { ...training, outputs: 3 })
    expect(dimsOf(r)).toEqual([[2], [2], [2]])
  })

  it('counts 15 FLOPs per element and 11 for the scalar coefficients', () => {
    // 15·4 + 11
    const r = runOp('Adam', [R, T, t([4]), t([4]), t([4]), t([4])], {}, { ...training, outputs: 3 })
    expect(r.cost).toEqual({ macs: 0, flops: 71 })
  })

  it('rejects inputs that do not form (X, G, V, H) groups', () => {
    const e = shapeError(() => runOp('Adam', [R, T, t([2]), t([2]), t([2]), t([2]), t([2])], {}, { ...training, outputs: 3 }))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('Momentum', () => {
  it('counts 7 FLOPs per element in standard mode and 9 with Nesterov, symbolic sizes kept', () => {
    const inputs = [R, T, t(['N']), t(['N']), t(['N'])]
    const standard = runOp('Momentum', inputs, { alpha: { float: 0.9 }, beta: { float: 1 }, norm_coefficient: { float: 0 }, mode: 'standard' }, { ...training, outputs: 2 })
    expect(dimsOf(standard)).toEqual([['N'], ['N']])
    expect(standard.cost).toEqual({ macs: 0, flops: '7*N + 1' })
    const nesterov = runOp('Momentum', inputs, { alpha: { float: 0.9 }, beta: { float: 1 }, norm_coefficient: { float: 0 }, mode: 'nesterov' }, { ...training, outputs: 2 })
    expect(nesterov.cost).toEqual({ macs: 0, flops: '9*N + 1' })
  })
})

describe('Gradient', () => {
  it('gives each derivative the shape and type of the tensor it differentiates against', () => {
    const r = runOp('Gradient', [t([]), t([2, 'N'], 'float64')], { xs: ['a', 'b'], y: 'c' }, { ...training, outputs: 2 })
    expect(dimsOf(r)).toEqual([[], [2, 'N']])
    expect((r.outputs[1] as TensorType).dtype).toBe('float64')
  })

  it('reports its cost as unresolved symbols, the differentiated subgraph being outside the node', () => {
    const { cost } = runOp('Gradient', [t([]), t([])], { xs: ['a', 'b'], y: 'c' }, { ...training, outputs: 2 })
    expect(cost.macs).toBe('test_Gradient.backward_macs')
    expect(cost.flops).toBe('test_Gradient.backward_elementwise_flops + 2*test_Gradient.backward_macs')
  })

  it('rejects inputs that do not match xs and zs', () => {
    const e = shapeError(() => runOp('Gradient', [t([])], { xs: ['a', 'b'], y: 'c' }, { ...training, outputs: 2 }))
    expect(e.code).toBe('E_SHAPE_INFERENCE')
  })
})
