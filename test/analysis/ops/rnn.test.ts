import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('RNN', () => {
  it('infers Y [T, dirs, B, H] and Y_h [dirs, B, H]', () => {
    const r = runOp('RNN', [t([1, 3, 2]), t([1, 4, 2]), t([1, 4, 4])], { hidden_size: 4 }, { outputs: 2 })
    expect(out(r, 0).dims).toEqual([1, 1, 3, 4])
    expect(out(r, 1).dims).toEqual([1, 3, 4])
  })

  it('puts the batch first with layout 1', () => {
    const r = runOp('RNN', [t([3, 1, 2]), t([1, 4, 2]), t([1, 4, 4])], { hidden_size: 4, layout: 1 }, { outputs: 2, opset: 14 })
    expect(out(r, 0).dims).toEqual([3, 1, 1, 4])
    expect(out(r, 1).dims).toEqual([3, 1, 4])
  })

  it('counts dirs·T·B·H·(I + H) MACs, then tanh and the two biases per unit', () => {
    // T=2, B=3, I=3, H=5: 2·3·5·(3 + 5) = 240 MACs; per unit per step: tanh 1 + biases 2 → 30·3
    const r = runOp('RNN', [t([2, 3, 3]), t([1, 5, 3]), t([1, 5, 5]), t([1, 10])], { hidden_size: 5 }, { outputs: 2 })
    expect(r.cost).toEqual({ macs: 240, flops: 480 + 90 })
  })

  it('doubles the work of a bidirectional layer', () => {
    const r = runOp('RNN', [t([2, 3, 3]), t([2, 5, 3]), t([2, 5, 5])], { hidden_size: 5, direction: 'bidirectional' }, { outputs: 2 })
    expect(out(r, 0).dims).toEqual([2, 2, 3, 5])
    expect(r.cost).toEqual({ macs: 480, flops: 960 + 60 })
  })

  it('rejects W whose directions contradict the direction attribute', () => {
    expect(shapeError(() => runOp('RNN', [t([2, 3, 3]), t([1, 5, 3]), t([1, 5, 5])], { hidden_size: 5, direction: 'bidirectional' })).code).toBe(
      'E_SHAPE_INFERENCE',
    )
  })
})

describe('GRU', () => {
  it('counts 3 gates of matmuls and the gate arithmetic', () => {
    // T=1, B=3, I=3, H=3: 3·3·3·(3 + 3) = 162 MACs
    // per unit: 2 sigmoid (8) + tanh (1) + r⊙ (1) + update (4) + biases (6) = 20 → 9·20 = 180
    const r = runOp('GRU', [t([1, 3, 3]), t([1, 9, 3]), t([1, 9, 3]), t([1, 18])], { hidden_size: 3 }, { outputs: 2 })
    expect(out(r, 1).dims).toEqual([1, 3, 3])
    expect(r.cost).toEqual({ macs: 162, flops: 324 + 180 })
  })

  it('takes the hidden size from R when the attribute is absent', () => {
    expect(out(runOp('GRU', [t(['T', 'B', 2]), t([1, 15, 2]), t([1, 15, 5])])).dims).toEqual(['T', 1, 'B', 5])
  })
})

describe('LSTM', () => {
  it('infers Y, Y_h and Y_c and counts 4 gates', () => {
    // T=1, B=3, I=2, H=3: 4·3·3·(2 + 3) = 180 MACs
    // per unit: 3 sigmoid (12) + 2 tanh (2) + cell 3 + output 1 = 18 → 9·18 = 162
    const r = runOp('LSTM', [t([1, 3, 2]), t([1, 12, 2]), t([1, 12, 3])], { hidden_size: 3 }, { outputs: 3 })
    expect(out(r, 0).dims).toEqual([1, 1, 3, 3])
    expect(out(r, 2).dims).toEqual([1, 3, 3])
    expect(r.cost).toEqual({ macs: 180, flops: 360 + 162 })
  })

  it('adds peepholes and biases', () => {
    // T=1, B=2, I=4, H=3: 4·2·3·7 = 168 MACs; per unit 18 + 6 (P) + 8 (B) = 32 → 6·32
    const r = runOp(
      'LSTM',
      [t([1, 2, 4]), t([1, 12, 4]), t([1, 12, 3]), t([1, 24]), t([2], 'int32'), t([1, 2, 3]), t([1, 2, 3]), t([1, 9])],
      { hidden_size: 3 },
      { outputs: 2 },
    )
    expect(r.cost).toEqual({ macs: 168, flops: 336 + 192 })
  })

  it('scales with a symbolic sequence length', () => {
    const r = runOp('LSTM', [t(['T', 1, 2]), t([1, 12, 2]), t([1, 12, 3])], { hidden_size: 3 })
    expect(r.cost.macs).toBe('60*T')
  })
})
