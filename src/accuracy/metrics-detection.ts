/**
 * Detection metrics as pycocotools computes them (COCOeval, iouType 'bbox', area 'all'):
 * greedy matching of detections in score order to the best unmatched ground truth with IoU ≥ t,
 * crowd boxes as "ignore" regions, precision made monotone, then sampled at the 101 recall points
 * 0, 0.01, …, 1 ("101-point interpolation"). AP@[.5:.95] averages the 10 IoU thresholds 0.5, 0.55, …, 0.95;
 * mAP@0.5 is the same AP at the single threshold 0.5. Classes without any (non-crowd) ground truth are left out
 * of the mean, as pycocotools leaves out its −1 entries.
 */

/** A box [x1, y1, x2, y2] in pixels (corners; width = x2 − x1, no +1). */
export type Box = readonly [number, number, number, number]

/** A ground-truth object. */
export interface BoxAnnotation {
  readonly box: Box
  readonly label: number
  /** A crowd region (COCO iscrowd): never a miss, and detections on it are neither right nor wrong. */
  readonly crowd?: boolean
}

/** A detection. */
export interface BoxDetection {
  readonly box: Box
  readonly label: number
  readonly score: number
}

/** One class's figures. */
export interface DetectionClassMetrics {
  readonly index: number
  readonly name: string
  /** Non-crowd ground-truth objects. */
  readonly objects: number
  readonly detections: number
  /** AP@[.5:.95]; null when the class has no ground truth (pycocotools' −1). */
  readonly ap: number | null
  readonly ap50: number | null
  readonly ap75: number | null
}

/** Detection figures of one evaluation. */
export interface DetectionMetrics {
  readonly images: number
  /** COCO mAP@[.5:.95]; null when no class has ground truth. */
  readonly map: number | null
  /** mAP at IoU 0.5 (VOC-style threshold, COCO 101-point interpolation). */
  readonly map50: number | null
  readonly map75: number | null
  readonly perClass: readonly DetectionClassMetrics[]
  /** Detections kept per image (highest scores first). */
  readonly maxDetections: number
}

/** Options of {@link detectionMetrics}. */
export interface DetectionMetricOptions {
  /** Number of classes (default: 1 + the largest label seen). */
  readonly classes?: number
  readonly names?: readonly string[]
  /** Detections kept per image and class, highest scores first. @default 100 */
  readonly maxDetections?: number
}

/** numpy.linspace(start, stop, num): i·step + start, the last value exactly `stop`. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1)
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start))
}

/** The 10 COCO IoU thresholds 0.5:0.05:0.95, computed as pycocotools does. */
export const COCO_IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10)
const RECALL_POINTS = linspace(0, 1, 101)
const EPS = 2.220446049250313e-16 // np.spacing(1)

/** IoU of two boxes; for a crowd ground truth, intersection over the detection's area (pycocotools). */
export function boxIou(d: Box, g: Box, crowd = false): number {
  const iw = Math.min(d[2], g[2]) - Math.max(d[0], g[0])
  const ih = Math.min(d[3], g[3]) - Math.max(d[1], g[1])
  if (iw <= 0 || ih <= 0) return 0
  const inter = iw * ih
  const areaD = (d[2] - d[0]) * (d[3] - d[1])
  const union = crowd ? areaD : areaD + (g[2] - g[0]) * (g[3] - g[1]) - inter
  return union <= 0 ? 0 : inter / union
}

/** Stable sort of indices by a key, descending (numpy argsort(-key, kind='mergesort')). */
function orderByDescending(keys: readonly number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[b]! - keys[a]! || a - b)
}

interface ImageEval {
  /** Scores of the kept detections, descending. */
  readonly scores: number[]
  /** matched[t][d]: detection d is matched to a ground truth at threshold t. */
  readonly matched: boolean[][]
  /** ignored[t][d]: detection d matched a crowd region. */
  readonly ignored: boolean[][]
  readonly nonCrowd: number
}

/** pycocotools evaluateImg for one image and class. */
function evaluateImage(gts: readonly BoxAnnotation[], dets: readonly BoxDetection[], maxDet: number): ImageEval | undefined {
  if (gts.length === 0 && dets.length === 0) return undefined
  const gtOrder = gts.map((g, i) => [g.crowd === true ? 1 : 0, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => gts[i]!)
  const dt = orderByDescending(dets.map((d) => d.score)).slice(0, maxDet).map((i) => dets[i]!)
  const ious = dt.map((d) => gtOrder.map((g) => boxIou(d.box, g.box, g.crowd === true)))
  const matched: boolean[][] = []
  const ignored: boolean[][] = []
  for (const t of COCO_IOU_THRESHOLDS) {
    const gtTaken = new Array<boolean>(gtOrder.length).fill(false)
    const m = new Array<boolean>(dt.length).fill(false)
    const ig = new Array<boolean>(dt.length).fill(false)
    dt.forEach((_, di) => {
      let best = Math.min(t, 1 - 1e-10)
      let match = -1
      for (let gi = 0; gi < gtOrder.length; gi++) {
        const crowd = gtOrder[gi]!.crowd === true
        if (gtTaken[gi] === true && !crowd) continue
        // once a real object is matched, crowd regions (sorted last) cannot take the detection away
        if (match > -1 && gtOrder[match]!.crowd !== true && crowd) break
        const iou = ious[di]![gi]!
        if (iou < best) continue
        best = iou
        match = gi
      }
      if (match === -1) return
      ig[di] = gtOrder[match]!.crowd === true
      m[di] = true
      gtTaken[match] = true
    })
    matched.push(m)
    ignored.push(ig)
  }
  return { scores: dt.map((d) => d.score), matched, ignored, nonCrowd: gtOrder.filter((g) => g.crowd !== true).length }
}

/** pycocotools accumulate for one class: the 101-point precision per threshold, averaged = AP per threshold. */
function accumulate(evals: readonly ImageEval[]): number[] | undefined {
  const npig = evals.reduce((n, e) => n + e.nonCrowd, 0)
  if (npig === 0) return undefined
  const scores = evals.flatMap((e) => e.scores)
  const order = orderByDescending(scores)
  return COCO_IOU_THRESHOLDS.map((_, t) => {
    const matched = evals.flatMap((e) => e.matched[t]!)
    const ignored = evals.flatMap((e) => e.ignored[t]!)
    const precision: number[] = []
    const recall: number[] = []
    let tp = 0
    let fp = 0
    for (const i of order) {
      if (ignored[i] === true) {
        // an ignored detection still occupies its place in the cumulative sums
      } else if (matched[i] === true) tp++
      else fp++
      recall.push(tp / npig)
      precision.push(tp / (tp + fp + EPS))
    }
    for (let i = precision.length - 1; i > 0; i--) if (precision[i]! > precision[i - 1]!) precision[i - 1] = precision[i]!
    let sum = 0
    let at = 0
    for (const r of RECALL_POINTS) {
      while (at < recall.length && recall[at]! < r) at++ // numpy searchsorted(side='left')
      if (at >= recall.length) break
      sum += precision[at]!
    }
    return sum / RECALL_POINTS.length
  })
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length
}

/**
 * mAP of a detector over a set of images, as pycocotools computes it.
 * @param groundTruth per image, its objects
 * @param detections per image (same order), its detections
 * @param options number of classes, class names, detections kept per image
 * @returns mAP@[.5:.95], mAP@0.5, mAP@0.75 and per-class AP
 */
export function detectionMetrics(
  groundTruth: readonly (readonly BoxAnnotation[])[],
  detections: readonly (readonly BoxDetection[])[],
  options: DetectionMetricOptions = {},
): DetectionMetrics {
  const maxDet = options.maxDetections ?? 100
  const seen = [...groundTruth.flat(), ...detections.flat()].reduce((m, o) => Math.max(m, o.label + 1), 0)
  const classes = options.classes ?? seen
  const perClass: DetectionClassMetrics[] = []
  const apTable: number[][] = []
  for (let c = 0; c < classes; c++) {
    const evals: ImageEval[] = []
    let dets = 0
    groundTruth.forEach((gts, i) => {
      const g = gts.filter((o) => o.label === c)
      const d = (detections[i] ?? []).filter((o) => o.label === c)
      dets += d.length
      const e = evaluateImage(g, d, maxDet)
      if (e !== undefined) evals.push(e)
    })
    const aps = accumulate(evals)
    if (aps !== undefined) apTable.push(aps)
    perClass.push({
      index: c,
      name: options.names?.[c] ?? String(c),
      objects: evals.reduce((n, e) => n + e.nonCrowd, 0),
      detections: dets,
      ap: aps === undefined ? null : mean(aps),
      ap50: aps?.[0] ?? null,
      ap75: aps?.[5] ?? null,
    })
  }
  return {
    images: groundTruth.length,
    map: mean(apTable.map((a) => mean(a)!)),
    map50: mean(apTable.map((a) => a[0]!)),
    map75: mean(apTable.map((a) => a[5]!)),
    perClass,
    maxDetections: maxDet,
  }
}
