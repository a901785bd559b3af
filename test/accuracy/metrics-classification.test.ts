import { describe, expect, it } from 'vitest'
import { ClassificationAccumulator, argmax, classificationMetrics, rankOf } from '../../src/accuracy/metrics-classification.js'

/** One-hot-ish scores that make `predicted` the arg-max. */
function scoresFor(predicted: readonly number[], classes: number): number[][] {
  return predicted.map((p) => Array.from({ length: classes }, (_, c) => (c === p ? 1 : 0)))
}

describe('classification metrics agree with hand-computed cases', () => {
  it('counts top-1 and top-2 on a 3-class, 4-sample case worked by hand', () => {
    // sample 0: true 0, scores rank 0 > 2 > 1 → top-1 hit
    // sample 1: true 1, ranks 2 > 1 > 0 → top-2 hit only
    // sample 2: true 2, ranks 0 > 1 > 2 → miss at k = 2, hit at k = 3
    // sample 3: true 1, ranks 1 > 0 = 2 → top-1 hit
    const m = classificationMetrics(
      [[0.9, 0.0, 0.1], [0.1, 0.3, 0.6], [0.7, 0.2, 0.1], [0.2, 0.6, 0.2]],
      [0, 1, 2, 1],
      { ks: [1, 2, 3] },
    )
    expect(m.topK).toEqual({ '1': 0.5, '2': 0.75, '3': 1 })
    expect(m.top1).toBe(0.5)
    expect(m.confusion).toEqual([[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    expect(m.perClass.map((c) => c.accuracy)).toEqual([1, 0.5, 0])
    expect(m.balancedAccuracy).toBeCloseTo(0.5, 12)
  })

  it('breaks ties toward the lower class index, as numpy argmax does', () => {
    expect(argmax([0.2, 0.5, 0.5])).toBe(1)
    expect(rankOf([0.5, 0.5, 0.1], 1)).toBe(1)
    expect(rankOf([0.5, 0.5, 0.1], 0)).toBe(0)
    expect(argmax([Number.NaN, 0.1, 0.3])).toBe(2)
  })

  it('reports a class without samples as null, not as 0 %', () => {
    const m = classificationMetrics(scoresFor([0, 0], 3), [0, 0])
    expect(m.perClass.map((c) => c.accuracy)).toEqual([1, null, null])
    expect(m.balancedAccuracy).toBe(1)
  })

  it('counts every sample for k at least the number of classes', () => {
    const m = classificationMetrics([[0.1, 0.9]], [0], { ks: [1, 5] })
    expect(m.topK).toEqual({ '1': 0, '5': 1 })
  })

  it('accumulates sample by sample from a flat batch buffer, the way an evaluation feeds it', () => {
    const acc = new ClassificationAccumulator(3, [1])
    const batch = new Float32Array([0.9, 0.05, 0.05, 0.1, 0.2, 0.7])
    acc.add(batch, 0, 0)
    acc.add(batch, 1, 3)
    expect(acc.result(['a', 'b', 'c']).perClass.map((c) => [c.name, c.samples, c.correct])).toEqual([['a', 1, 1], ['b', 1, 0], ['c', 0, 0]])
  })
})

describe('classification metrics agree with published worked examples', () => {
  it('matches scikit-learn confusion_matrix docs: y_true [2,0,2,2,0,1], y_pred [0,0,2,2,0,2] → [[2,0,0],[0,0,1],[1,0,2]]', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html (Examples)
    const m = classificationMetrics(scoresFor([0, 0, 2, 2, 0, 2], 3), [2, 0, 2, 2, 0, 1])
    expect(m.confusion).toEqual([[2, 0, 0], [0, 0, 1], [1, 0, 2]])
  })

  it('matches scikit-learn accuracy_score docs: y_pred [0,2,1,3], y_true [0,1,2,3] → 0.5', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html (Examples)
    expect(classificationMetrics(scoresFor([0, 2, 1, 3], 4), [0, 1, 2, 3]).top1).toBe(0.5)
  })

  it('matches scikit-learn top_k_accuracy_score docs: k = 2 → 0.75 (3 samples)', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.top_k_accuracy_score.html (Examples)
    const scores = [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]]
    const m = classificationMetrics(scores, [0, 1, 2, 2], { ks: [2] })
    expect(m.topK['2']).toBe(0.75)
    expect(m.topK['2']! * m.samples).toBe(3)
  })

  it('matches torchmetrics MulticlassAccuracy docs: per class [0.5, 1, 1], macro 0.8333, micro 0.75', () => {
    // torchmetrics.classification.MulticlassAccuracy docstring, "preds is float tensor" example:
    // target [2,1,0,0]; average=None → tensor([0.5000, 1.0000, 1.0000]); average='macro' → tensor(0.8333)
    const scores = [[0.16, 0.26, 0.58], [0.22, 0.61, 0.17], [0.71, 0.09, 0.2], [0.05, 0.82, 0.13]]
    const m = classificationMetrics(scores, [2, 1, 0, 0])
    expect(m.perClass.map((c) => c.accuracy)).toEqual([0.5, 1, 1])
    expect(m.balancedAccuracy).toBeCloseTo(0.8333, 4)
    expect(m.top1).toBe(0.75)
  })
})
