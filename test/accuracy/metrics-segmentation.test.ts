import { describe, expect, it } from 'vitest'
import { SegmentationAccumulator, segmentationMetrics } from '../../src/accuracy/metrics-segmentation.js'

describe('segmentation metrics agree with hand-computed cases', () => {
  it('computes IoU, mIoU and pixel accuracy of a 2×3 label map by hand', () => {
    // truth  0 0 1     pred  0 1 1
    //        1 2 2           1 2 0
    // class 0: TP 1, FP 1 (last pixel), FN 1 → 1/3; class 1: TP 2, FP 1, FN 0 → 2/3; class 2: TP 1, FN 1 → 1/2
    const m = segmentationMetrics([[0, 1, 1, 1, 2, 0]], [[0, 0, 1, 1, 2, 2]], { classes: 3 })
    expect(m.perClass.map((c) => c.iou)).toEqual([1 / 3, 2 / 3, 1 / 2])
    expect(m.miou).toBeCloseTo((1 / 3 + 2 / 3 + 1 / 2) / 3, 12)
    expect(m.pixelAccuracy).toBeCloseTo(4 / 6, 12)
    expect(m.perClass.map((c) => c.accuracy)).toEqual([0.5, 1, 0.5])
    expect(m.confusion).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]])
  })

  it('leaves out pixels labelled with the ignore index (255)', () => {
    const m = segmentationMetrics([[0, 1, 1]], [[0, 255, 1]], { classes: 2 })
    expect(m.pixels).toBe(2)
    expect(m.pixelAccuracy).toBe(1)
    expect(m.miou).toBe(1)
  })

  it('leaves a class absent from truth and prediction out of the mean, and counts a predicted-only class as IoU 0', () => {
    const m = segmentationMetrics([[0, 0, 2]], [[0, 0, 0]], { classes: 4 })
    expect(m.perClass.map((c) => c.iou)).toEqual([2 / 3, null, 0, null])
    expect(m.miou).toBeCloseTo((2 / 3 + 0) / 2, 12)
  })

  it('counts a prediction outside the classes as wrong, and reports ground-truth values that are not classes', () => {
    const acc = new SegmentationAccumulator(2)
    expect(acc.add([0, 7, 1], [0, 1, 9])).toBe(1)
    const m = acc.result()
    expect(m.pixelAccuracy).toBe(0.5)
    expect(m.perClass[1]!.iou).toBe(0)
  })

  it('accumulates over images on one confusion matrix (not a mean of per-image IoUs)', () => {
    const m = segmentationMetrics([[0, 0], [1, 0]], [[0, 0], [1, 1]], { classes: 2 })
    // class 0: TP 2, FP 1 → 2/3; class 1: TP 1, FN 1 → 1/2
    expect(m.perClass.map((c) => c.iou)).toEqual([2 / 3, 1 / 2])
    expect(m.images).toBe(2)
  })
})

describe('segmentation metrics agree with published worked examples', () => {
  it('matches torchmetrics MulticlassJaccardIndex docs: target [2,1,0,0], preds [2,1,0,1] → 0.6667', () => {
    // torchmetrics.classification.MulticlassJaccardIndex docstring, "pred is integer tensor" example → tensor(0.6667)
    const m = segmentationMetrics([[2, 1, 0, 1]], [[2, 1, 0, 0]], { classes: 3 })
    expect(m.miou).toBeCloseTo(0.6667, 4)
  })

  it('matches scikit-learn jaccard_score docs (multiclass): y_true [0,1,2,2], y_pred [0,2,1,2] → [1, 0, 0.33…]', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.jaccard_score.html, "In the multiclass case"
    const m = segmentationMetrics([[0, 2, 1, 2]], [[0, 1, 2, 2]], { classes: 3 })
    expect(m.perClass.map((c) => c.iou)).toEqual([1, 0, 1 / 3])
    expect(m.miou).toBeCloseTo(0.4444, 4)
    // sklearn accuracy_score on the same labels: 2 of 4
    expect(m.pixelAccuracy).toBe(0.5)
  })
})
