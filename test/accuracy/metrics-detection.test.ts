import { describe, expect, it } from 'vitest'
import { COCO_IOU_THRESHOLDS, boxIou, detectionMetrics, type BoxAnnotation, type BoxDetection } from '../../src/accuracy/metrics-detection.js'

const gt = (box: readonly number[], label = 0, crowd = false): BoxAnnotation => ({ box: box as unknown as BoxAnnotation['box'], label, crowd })
const det = (box: readonly number[], score: number, label = 0): BoxDetection => ({ box: box as unknown as BoxDetection['box'], label, score })

describe('detection metrics agree with hand-computed cases', () => {
  it('uses the 10 COCO IoU thresholds 0.5, 0.55, …, 0.95', () => {
    expect(COCO_IOU_THRESHOLDS.map((t) => Math.round(t * 100))).toEqual([50, 55, 60, 65, 70, 75, 80, 85, 90, 95])
    expect(COCO_IOU_THRESHOLDS[5]).toBe(0.75)
  })

  it('computes IoU without the +1 pixel convention, and intersection over detection area for crowds', () => {
    expect(boxIou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150, 12)
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0)
    expect(boxIou([0, 0, 10, 10], [0, 0, 100, 100], true)).toBe(1)
  })

  it('scores a perfect detector 1 at every threshold', () => {
    const m = detectionMetrics([[gt([0, 0, 10, 10]), gt([20, 20, 40, 40], 1)]], [[det([0, 0, 10, 10], 0.9), det([20, 20, 40, 40], 0.8, 1)]])
    for (const v of [m.map, m.map50, m.map75]) expect(v).toBeCloseTo(1, 12) // tp ÷ (tp + fp + eps), as pycocotools
  })

  it('gives 51/101 for one hit then one false alarm on two objects (101-point interpolation)', () => {
    // recall 0.5 at precision 1 after the first detection; the second is a false positive.
    // 101-point: recall points 0.00 … 0.50 (51 of them) take precision 1, the rest 0 → AP = 51/101.
    const m = detectionMetrics(
      [[gt([0, 0, 10, 10])], [gt([0, 0, 10, 10])]],
      [[det([0, 0, 10, 10], 0.9)], [det([50, 50, 60, 60], 0.8)]],
    )
    expect(m.map).toBeCloseTo(51 / 101, 12)
    expect(m.map50).toBeCloseTo(51 / 101, 12)
  })

  it('takes a false alarm ranked first into account: precision is made monotone from the right', () => {
    // order: FP (0.9), TP (0.8) → recall [0, 1], precision [0, 0.5] → envelope [0.5, 0.5] → AP = 0.5 at every recall point
    const m = detectionMetrics([[gt([0, 0, 10, 10])]], [[det([50, 50, 60, 60], 0.9), det([0, 0, 10, 10], 0.8)]])
    expect(m.map).toBeCloseTo(0.5, 12)
  })

  it('matches a box with IoU 0.6 at thresholds up to 0.6 only: AP@[.5:.95] = 3/10', () => {
    // gt [0,0,10,10], det [0,0,10,6] → IoU 0.6: a hit at 0.5, 0.55, 0.6 (3 of 10 thresholds)
    const m = detectionMetrics([[gt([0, 0, 10, 10])]], [[det([0, 0, 10, 6], 0.7)]])
    expect(m.map).toBeCloseTo(0.3, 12)
    expect(m.map50).toBeCloseTo(1, 12)
    expect(m.map75).toBe(0)
  })

  it('leaves classes without ground truth out of the mean (pycocotools −1) and counts misses as 0', () => {
    const m = detectionMetrics(
      [[gt([0, 0, 10, 10], 0), gt([0, 0, 10, 10], 1)]],
      [[det([0, 0, 10, 10], 0.9, 0), det([0, 0, 10, 10], 0.9, 2)]],
      { classes: 3 },
    )
    expect(m.perClass.map((c) => (c.ap === null ? null : Number(c.ap.toFixed(12))))).toEqual([1, 0, null])
    expect(m.map).toBeCloseTo(0.5, 12)
  })

  it('ignores detections on a crowd region and does not count the crowd as a miss', () => {
    const m = detectionMetrics(
      [[gt([0, 0, 10, 10]), gt([100, 100, 200, 200], 0, true)]],
      [[det([0, 0, 10, 10], 0.5), det([120, 120, 140, 140], 0.9)]],
    )
    expect(m.map).toBeCloseTo(1, 12)
    expect(m.perClass[0]!.objects).toBe(1)
  })

  it('keeps at most maxDetections per image, highest scores first', () => {
    const m = detectionMetrics([[gt([0, 0, 10, 10])]], [[det([50, 50, 60, 60], 0.9), det([0, 0, 10, 10], 0.1)]], { maxDetections: 1 })
    expect(m.map).toBe(0)
  })
})

describe('detection metrics agree with pycocotools results published in torchmetrics', () => {
  it('reproduces the MeanAveragePrecision docstring example: map 0.6, map_50 1, map_75 1', () => {
    // torchmetrics.detection.mean_ap.MeanAveragePrecision docstring (bbox example):
    // preds [[258, 41, 606, 285]] score 0.536, target [[214, 41, 562, 285]] → 'map': 0.6000, 'map_50': 1., 'map_75': 1.
    const m = detectionMetrics([[gt([214, 41, 562, 285])]], [[det([258, 41, 606, 285], 0.536)]])
    expect(m.map).toBeCloseTo(0.6, 12)
    expect(m.map50).toBeCloseTo(1, 12)
    expect(m.map75).toBeCloseTo(1, 12)
  })

  it('reproduces the official pycocotools figures on four COCO val2014 images (torchmetrics tests/detection/test_map.py)', () => {
    // Boxes of COCO images 42, 73, 74, 133 and the first fake detections of cocoapi's
    // results/instances_val2014_fakebbox100_results.json, as listed in torchmetrics' test; the expected
    // figures are pycocotools' own summary printed there: AP@[.5:.95] 0.706, AP@.5 0.901, AP@.75 0.846,
    // per class [0.725, 0.800, 0.454, -1, 0.650, 0.900].
    const groundTruth = [
      [gt([214.15, 41.29, 562.41, 285.07], 4)],
      [gt([13.0, 22.75, 548.98, 632.42], 2), gt([1.66, 3.32, 270.26, 275.23], 2)],
      [
        gt([61.87, 276.25, 358.29, 379.43], 4), gt([2.75, 3.66, 162.15, 316.06], 1), gt([295.55, 93.96, 313.97, 152.79], 0),
        gt([326.94, 97.05, 340.49, 122.98], 0), gt([356.62, 95.47, 372.33, 147.55], 0), gt([462.08, 105.09, 493.74, 146.99], 0),
        gt([277.11, 103.84, 292.44, 150.72], 0),
      ],
      [gt([13.99, 2.87, 640.0, 421.52], 5)],
    ]
    const detections = [
      [det([258.15, 41.29, 606.41, 285.07], 0.236, 4)],
      [det([61.0, 22.75, 565.0, 632.42], 0.318, 3), det([12.66, 3.32, 281.26, 275.23], 0.726, 2)],
      [
        det([87.87, 276.25, 384.29, 379.43], 0.546, 4), det([0.0, 3.66, 142.15, 316.06], 0.3, 1), det([296.55, 93.96, 314.97, 152.79], 0.407, 0),
        det([328.94, 97.05, 342.49, 122.98], 0.611, 0), det([356.62, 95.47, 372.33, 147.55], 0.335, 0), det([464.08, 105.09, 495.74, 146.99], 0.805, 0),
        det([276.11, 103.84, 291.44, 150.72], 0.953, 0),
      ],
      [det([0.0, 2.87, 601.0, 421.52], 0.699, 5)],
    ]
    const m = detectionMetrics(groundTruth, detections)
    expect(m.map!).toBeCloseTo(0.706, 3)
    expect(m.map50!).toBeCloseTo(0.901, 3)
    expect(m.map75!).toBeCloseTo(0.846, 3)
    expect(m.perClass.map((c) => (c.ap === null ? -1 : Math.round(c.ap * 1000) / 1000))).toEqual([0.725, 0.8, 0.454, -1, 0.65, 0.9])
  })
})
