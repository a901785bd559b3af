import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('NegativeLogLikelihoodLoss', () => {
  it('keeps the target dims with reduction none and gives a scalar otherwise', () => {
    const x = t([3, 5, 6, 6])
    const y = t([3, 6, 6], 'int64')
    expect(out(runOp('NegativeLogLikelihoodLoss', [x, y], { reduction: 'none' }, { opset: 13 })).dims).toEqual([3, 6, 6])
    expect(out(runOp('NegativeLogLikelihoodLoss', [x, y], { reduction: 'sum' }, { opset: 13 })).dims).toEqual([])
    expect(out(runOp('NegativeLogLikelihoodLoss', [x, y], {}, { opset: 13 })).dims).toEqual([])
  })

  it('costs negation, weighting and the mean over the target elements', () => {
    // E = 3·2 = 6: negate 6 + weight 6 + mean 2·6 + 1
    const r = runOp('NegativeLogLikelihoodLoss', [t([3, 5, 2]), t([3, 2], 'int64'), t([5])], { reduction: 'mean' }, { opset: 13 })
    expect(r.cost).toEqual({ macs: 0, flops: 25 })
    // with ignore_index and sum: 6 + 6 + 6 + 6
    expect(runOp('NegativeLogLikelihoodLoss', [t([3, 5, 2]), t([3, 2], 'int64'), t([5])], { reduction: 'sum', ignore_index: 1 }, { opset: 13 }).cost.flops).toBe(24)
  })

  it('rejects a target whose dims differ from the input', () => {
    expect(shapeError(() => runOp('NegativeLogLikelihoodLoss', [t([3, 5, 2]), t([3, 4], 'int64')], {}, { opset: 13 })).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('SoftmaxCrossEntropyLoss', () => {
  it('infers the loss and the optional log_prob', () => {
    const r = runOp('SoftmaxCrossEntropyLoss', [t(['N', 5, 6]), t(['N', 6], 'int64')], { reduction: 'none' }, { opset: 13, outputs: 2 })
    expect(out(r, 0).dims).toEqual(['N', 6])
    expect(out(r, 1).dims).toEqual(['N', 5, 6])
  })

  it('adds the log-softmax to the NLL cost', () => {
    // in = 15, E = 3: log-softmax 5·15 − 3; mean NLL 3 + 2·3 + 1
    expect(runOp('SoftmaxCrossEntropyLoss', [t([3, 5]), t([3], 'int64')], {}, { opset: 13 }).cost.flops).toBe(72 + 10)
  })
})
