import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detectionMetrics, evaluateModel, resolveDatasetSpec, type EvaluationResult } from '../../src/accuracy/index.js'
import { classColour, colourSegmenter, constantDetector, maskPng, pngBytes, put, workDir } from './helpers.js'

const work = workDir('acc-tasks')
afterAll(work.remove)

function detection(r: EvaluationResult): Extract<EvaluationResult, { task: 'detection' }> {
  if (r.task !== 'detection') throw new Error(r.task)
  return r
}

function segmentation(r: EvaluationResult): Extract<EvaluationResult, { task: 'segmentation' }> {
  if (r.task !== 'segmentation') throw new Error(r.task)
  return r
}

describe('detection sets', () => {
  // Two 32×32 images, a detector on 16×16 input (boxes are mapped back ×2) that always reports
  // box [0,0,8,8] class 0 (score 0.9) and box [8,8,16,16] class 1 (score 0.8):
  // image a holds a class-0 object at [0,0,16,16]; image b a class-1 object at [16,16,32,32].
  // class 0: a hit in a, a false alarm in b (tied score, image order) → precision [1, ½], recall [1, 1] → AP 1;
  // class 1: a false alarm in a, then a hit in b → precision [0, ½], recall [0, 1] → envelope ½ → AP ½. mAP = 0.75.
  const root = join(work.dir, 'det')
  put(join(root, 'images', 'a.png'), pngBytes(32, 32, () => [40, 40, 40]))
  put(join(root, 'images', 'b.png'), pngBytes(32, 32, () => [90, 90, 90]))
  put(join(root, 'annotations.json'), JSON.stringify({
    classes: ['car', 'tree'],
    images: [
      { file: 'images/a.png', objects: [{ box: [0, 0, 16, 16], label: 0 }] },
      { file: 'images/b.png', objects: [{ box: [16, 16, 32, 32], label: 1 }] },
    ],
  }))
  const rows = [[0, 0, 8, 8, 0.9, 0], [8, 8, 16, 16, 0.8, 1]]

  it('is detected from annotations.json and scored like pycocotools: mAP 0.75 worked by hand', async () => {
    expect(resolveDatasetSpec(root).kind).toBe('detection')
    const r = detection(await evaluateModel(constantDetector(join(work.dir, 'det.onnx'), rows), root, { progress: false, decoder: 'pure-js' }))
    expect(r.map).toBeCloseTo(0.75, 12)
    expect(r.map50).toBeCloseTo(0.75, 12)
    expect(r.metrics.perClass.map((c) => [c.name, c.objects, c.detections, Number(c.ap!.toFixed(12))])).toEqual([['car', 1, 2, 1], ['tree', 1, 2, 0.5]])
    expect(r.preprocessing?.resize).toBe('stretch')
  })

  it('reads boxes normalised to [0, 1] and in cx, cy, w, h when told to', async () => {
    const normalized = rows.map(([x1, y1, x2, y2, s, l]) => [(x1! + x2!) / 32, (y1! + y2!) / 32, (x2! - x1!) / 16, (y2! - y1!) / 16, s!, l!])
    const r = detection(await evaluateModel(constantDetector(join(work.dir, 'det-n.onnx'), normalized), root, {
      progress: false, decoder: 'pure-js', detection: { normalized: true, boxFormat: 'cxcywh' },
    }))
    expect(r.map).toBeCloseTo(0.75, 12)
  })

  it('takes a custom decode for other heads', async () => {
    const r = detection(await evaluateModel(constantDetector(join(work.dir, 'det-c.onnx'), rows), root, {
      progress: false,
      decoder: 'pure-js',
      detection: { decode: () => [{ box: [0, 0, 8, 8], score: 1, label: 0 }, { box: [8, 8, 16, 16], score: 1, label: 1 }] },
    }))
    expect(r.map).toBeCloseTo(0.75, 12)
  })

  it('reads a COCO instances file (bbox x, y, w, h; classes in category id order)', async () => {
    const coco = join(work.dir, 'coco')
    put(join(coco, 'images', 'a.png'), pngBytes(32, 32, () => [40, 40, 40]))
    put(join(coco, 'images', 'b.png'), pngBytes(32, 32, () => [90, 90, 90]))
    put(join(coco, 'annotations.json'), JSON.stringify({
      images: [{ id: 7, file_name: 'a.png' }, { id: 9, file_name: 'b.png' }],
      annotations: [{ id: 1, image_id: 7, bbox: [0, 0, 16, 16], category_id: 3, iscrowd: 0 }, { id: 2, image_id: 9, bbox: [16, 16, 16, 16], category_id: 5, iscrowd: 0 }],
      categories: [{ id: 5, name: 'tree' }, { id: 3, name: 'car' }],
    }))
    const r = detection(await evaluateModel(constantDetector(join(work.dir, 'det-coco.onnx'), rows), coco, { progress: false, decoder: 'pure-js' }))
    expect(r.dataset.classes).toEqual(['car', 'tree'])
    expect(r.map).toBeCloseTo(detectionMetrics(
      [[{ box: [0, 0, 16, 16], label: 0 }], [{ box: [16, 16, 32, 32], label: 1 }]],
      [[{ box: [0, 0, 16, 16], score: 0.9, label: 0 }, { box: [16, 16, 32, 32], score: 0.8, label: 1 }], [{ box: [0, 0, 16, 16], score: 0.9, label: 0 }, { box: [16, 16, 32, 32], score: 0.8, label: 1 }]],
    ).map!, 12)
  })
})

describe('segmentation sets', () => {
  // 16×16 images, left half red, right half blue; the model (8×8, arg-max of RGB) predicts class 0 left, 2 right.
  // Masks at the prediction grid: row 0 unlabelled (255), columns 0–2 class 0, column 3 class 1 (never predicted),
  // columns 4–7 class 2. Over 7 × 8 = 56 labelled pixels: IoU(0) = 21 / 28, IoU(1) = 0 / 7, IoU(2) = 28 / 28
  // → mIoU = (0.75 + 0 + 1) / 3; pixel accuracy = 49 / 56.
  const root = join(work.dir, 'seg')
  for (const name of ['a', 'b']) {
    put(join(root, 'images', `${name}.png`), pngBytes(16, 16, (x) => classColour(Math.floor(x / 2) < 4 ? 0 : 2)))
    put(join(root, 'masks', `${name}.png`), maskPng(16, 16, (x, y) => (Math.floor(y / 2) === 0 ? 255 : Math.floor(x / 2) <= 2 ? 0 : Math.floor(x / 2) === 3 ? 1 : 2)))
  }
  put(join(root, 'classes.json'), JSON.stringify(['red', 'green', 'blue']))

  it('is detected from images/ + masks/ and scored on the prediction grid: mIoU 0.5833 worked by hand', async () => {
    expect(resolveDatasetSpec(root).kind).toBe('segmentation')
    const r = segmentation(await evaluateModel(colourSegmenter(join(work.dir, 'seg.onnx')), root, { progress: false, decoder: 'pure-js' }))
    expect(r.metrics.perClass.map((c) => c.iou)).toEqual([0.75, 0, 1])
    expect(r.miou).toBeCloseTo(1.75 / 3, 12)
    expect(r.pixelAccuracy).toBe(49 / 56)
    expect(r.metrics.pixels).toBe(2 * 56)
    expect(r.dataset.classes).toEqual(['red', 'green', 'blue'])
  })
})
