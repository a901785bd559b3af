/**
 * Classification metrics: top-k accuracy, per-class accuracy (recall) and the confusion matrix, accumulated
 * one sample at a time so an evaluation never holds every score vector.
 *
 * Conventions (the ones scikit-learn and torchmetrics document):
 * - the confusion matrix has one row per TRUE class and one column per PREDICTED class (sklearn `confusion_matrix`);
 * - the predicted class is the arg-max; ties go to the lower class index (numpy `argmax`);
 * - top-k counts a sample when fewer than k classes rank above the true class, with the same tie rule
 *   (a tied class of lower index ranks above); k larger than the number of classes counts every sample;
 * - per-class accuracy is the recall of that class (torchmetrics `MulticlassAccuracy(average=None)`), null for a
 *   class without samples; `balancedAccuracy` is their mean over classes with samples (sklearn `balanced_accuracy_score`).
 */

/** One class's row of the result. */
export interface PerClassAccuracy {
  readonly index: number
  readonly name: string
  /** Samples whose true class this is. */
  readonly samples: number
  /** Of those, how many were predicted right (top-1). */
  readonly correct: number
  /** correct ÷ samples; null when the class has no samples. */
  readonly accuracy: number | null
}

/** Classification figures of one evaluation. */
export interface ClassificationMetrics {
  readonly samples: number
  /** Top-1 accuracy (fraction 0–1); NaN-free: 0 samples give 0. */
  readonly top1: number
  /** Top-k accuracy for every k asked for, keyed by k ("1", "5"). */
  readonly topK: Readonly<Record<string, number>>
  /** Mean of the per-class accuracies over classes with samples; null without samples. */
  readonly balancedAccuracy: number | null
  readonly perClass: readonly PerClassAccuracy[]
  /** confusion[true][predicted], counts. */
  readonly confusion: readonly (readonly number[])[]
}

/** Index of the largest score among `scores[offset .. offset+count)`; the first one on ties; NaN never wins. */
export function argmax(scores: ArrayLike<number>, offset = 0, count = scores.length - offset): number {
  let best = 0
  let bestScore = -Infinity
  let seen = false
  for (let i = 0; i < count; i++) {
    const s = scores[offset + i]!
    if (!seen || s > bestScore) {
      if (Number.isNaN(s)) continue
      best = i
      bestScore = s
      seen = true
    }
  }
  return best
}

/** How many classes rank above class `label` (higher score, or equal score and lower index); NaN ranks last. */
export function rankOf(scores: ArrayLike<number>, label: number, offset = 0, count = scores.length - offset): number {
  const own = scores[offset + label]!
  if (Number.isNaN(own)) return count - 1
  let rank = 0
  for (let i = 0; i < count; i++) {
    if (i === label) continue
    const s = scores[offset + i]!
    if (s > own || (s === own && i < label)) rank++
  }
  return rank
}

/** Accumulates classification results sample by sample. */
export class ClassificationAccumulator {
  private readonly confusion: number[][]
  private readonly hits: Map<number, number>
  private count = 0

  /**
   * @param classes number of classes (score vectors have this length)
   * @param ks the k of every top-k accuracy to report @default [1, 5]
   */
  constructor(
    readonly classes: number,
    readonly ks: readonly number[] = [1, 5],
  ) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
    this.hits = new Map([1, ...ks].map((k) => [k, 0]))
  }

  /** Adds one sample: its score vector at `scores[offset .. offset+classes)` and its true class. */
  add(scores: ArrayLike<number>, label: number, offset = 0): void {
    const predicted = argmax(scores, offset, this.classes)
    this.confusion[label]![predicted]!++
    const rank = rankOf(scores, label, offset, this.classes)
    for (const [k, n] of this.hits) if (rank < k) this.hits.set(k, n + 1)
    this.count++
  }

  /** Adds one sample by its predicted class only (top-k for k > 1 then counts as top-1). */
  addPrediction(predicted: number, label: number): void {
    this.confusion[label]![predicted]!++
    for (const [k, n] of this.hits) if (predicted === label) this.hits.set(k, n + 1)
    this.count++
  }

  /** Samples added so far. */
  get samples(): number {
    return this.count
  }

  /** The figures so far; `names[i]` names class i (default: its index). */
  result(names: readonly string[] = []): ClassificationMetrics {
    const n = this.count
    const perClass = this.confusion.map((row, index): PerClassAccuracy => {
      const samples = row.reduce((a, b) => a + b, 0)
      const correct = row[index]!
      return { index, name: names[index] ?? String(index), samples, correct, accuracy: samples === 0 ? null : correct / samples }
    })
    const withSamples = perClass.filter((c) => c.accuracy !== null)
    const topK: Record<string, number> = {}
    for (const k of [...this.hits.keys()].sort((a, b) => a - b)) topK[String(k)] = n === 0 ? 0 : this.hits.get(k)! / n
    return {
      samples: n,
      top1: topK['1'] ?? 0,
      topK,
      balancedAccuracy: withSamples.length === 0 ? null : withSamples.reduce((a, c) => a + c.accuracy!, 0) / withSamples.length,
      perClass,
      confusion: this.confusion.map((row) => [...row]),
    }
  }
}

/**
 * Classification figures of a whole set at once.
 * @param scores one score vector per sample (logits or probabilities: only the order matters)
 * @param labels the true class of every sample
 * @param options `ks`: the top-k accuracies to report (default [1, 5]); `names`: class names
 * @returns top-1/top-k accuracy, per-class accuracy and the confusion matrix
 */
export function classificationMetrics(
  scores: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: { readonly ks?: readonly number[]; readonly names?: readonly string[]; readonly classes?: number } = {},
): ClassificationMetrics {
  const classes = options.classes ?? scores[0]?.length ?? 0
  const acc = new ClassificationAccumulator(classes, options.ks)
  scores.forEach((s, i) => acc.add(s, labels[i]!))
  return acc.result(options.names)
}
