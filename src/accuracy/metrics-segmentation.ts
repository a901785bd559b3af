/**
 * Semantic segmentation metrics from a pixel confusion matrix, with the conventions of mmsegmentation's
 * `mean_iou` and torchmetrics' `MulticlassJaccardIndex`:
 * - IoU of class c = TP / (TP + FP + FN) over all pixels of all images (not averaged per image);
 * - mIoU = mean IoU over the classes that occur in the ground truth or the prediction (a class absent from both
 *   has no IoU — NaN in mmseg — and is left out of the mean);
 * - pixel accuracy = correctly labelled pixels ÷ labelled pixels; pixels whose ground truth is the ignore index
 *   (default 255) are left out of everything;
 * - a predicted label outside [0, classes) counts as wrong for the true class.
 */

/** One class's figures. */
export interface SegmentationClassMetrics {
  readonly index: number
  readonly name: string
  /** Ground-truth pixels of the class. */
  readonly pixels: number
  /** null when the class is neither in the ground truth nor predicted. */
  readonly iou: number | null
  /** Recall of the class: null when it has no ground-truth pixels. */
  readonly accuracy: number | null
}

/** Segmentation figures of one evaluation. */
export interface SegmentationMetrics {
  readonly images: number
  /** Labelled pixels counted (ignore index excluded). */
  readonly pixels: number
  /** Mean IoU over the classes present; null when there are none. */
  readonly miou: number | null
  /** Correct ÷ labelled pixels (0 without pixels). */
  readonly pixelAccuracy: number
  /** Mean of the per-class accuracies over classes with ground-truth pixels (mmseg mAcc). */
  readonly meanAccuracy: number | null
  readonly perClass: readonly SegmentationClassMetrics[]
  /** confusion[true][predicted], pixel counts; predictions outside the classes are not in it. */
  readonly confusion: readonly (readonly number[])[]
}

/** Accumulates per-pixel results image by image. */
export class SegmentationAccumulator {
  private readonly confusion: number[][]
  /** Ground-truth pixels per class whose prediction was outside [0, classes). */
  private readonly outside: number[]
  private imageCount = 0

  /**
   * @param classes number of classes
   * @param ignoreIndex ground-truth value that marks unlabelled pixels @default 255
   */
  constructor(
    readonly classes: number,
    readonly ignoreIndex = 255,
  ) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
    this.outside = new Array<number>(classes).fill(0)
  }

  /**
   * Adds one image: predicted and true labels, pixel by pixel (same length).
   * @returns the number of ground-truth values that were neither a class nor the ignore index
   */
  add(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
    let invalid = 0
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i]!
      if (t === this.ignoreIndex) continue
      if (!(t >= 0 && t < this.classes && Number.isInteger(t))) {
        invalid++
        continue
      }
      const p = predicted[i]!
      if (p >= 0 && p < this.classes && Number.isInteger(p)) this.confusion[t]![p]!++
      else this.outside[t]!++
    }
    this.imageCount++
    return invalid
  }

  /** The figures so far; `names[i]` names class i. */
  result(names: readonly string[] = []): SegmentationMetrics {
    const k = this.classes
    const rowSums = this.confusion.map((row, c) => row.reduce((a, b) => a + b, 0) + this.outside[c]!)
    const colSums = Array.from({ length: k }, (_, c) => this.confusion.reduce((a, row) => a + row[c]!, 0))
    const total = rowSums.reduce((a, b) => a + b, 0)
    const correct = this.confusion.reduce((a, row, c) => a + row[c]!, 0)
    const perClass = this.confusion.map((row, c): SegmentationClassMetrics => {
      const tp = row[c]!
      const union = rowSums[c]! + colSums[c]! - tp
      return {
        index: c,
        name: names[c] ?? String(c),
        pixels: rowSums[c]!,
        iou: union === 0 ? null : tp / union,
        accuracy: rowSums[c] === 0 ? null : tp / rowSums[c]!,
      }
    })
    const ious = perClass.flatMap((c) => (c.iou === null ? [] : [c.iou]))
    const accs = perClass.flatMap((c) => (c.accuracy === null ? [] : [c.accuracy]))
    return {
      images: this.imageCount,
      pixels: total,
      miou: ious.length === 0 ? null : ious.reduce((a, b) => a + b, 0) / ious.length,
      pixelAccuracy: total === 0 ? 0 : correct / total,
      meanAccuracy: accs.length === 0 ? null : accs.reduce((a, b) => a + b, 0) / accs.length,
      perClass,
      confusion: this.confusion.map((row) => [...row]),
    }
  }
}

/**
 * Segmentation figures of a set of label maps.
 * @param predicted per image, the predicted label of every pixel
 * @param truth per image, the true label of every pixel (ignore index allowed)
 * @param options number of classes, class names, ignore index (255)
 * @returns mIoU, pixel accuracy, per-class IoU/accuracy and the confusion matrix
 */
export function segmentationMetrics(
  predicted: readonly ArrayLike<number>[],
  truth: readonly ArrayLike<number>[],
  options: { readonly classes: number; readonly names?: readonly string[]; readonly ignoreIndex?: number },
): SegmentationMetrics {
  const acc = new SegmentationAccumulator(options.classes, options.ignoreIndex)
  truth.forEach((t, i) => acc.add(predicted[i]!, t))
  return acc.result(options.names)
}
