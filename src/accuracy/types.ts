/**
 * Options and results of `evaluateModel`. Results are plain JSON data.
 */
import { optionKeys } from '../_options.js'
import { ENGINE_OPTION_KEYS, type EngineOptions, type TensorOutput } from '../bench/types.js'
import type { DecoderChoice, DecoderInfo } from './image-decode.js'
import type { ClassificationMetrics } from './metrics-classification.js'
import type { BoxDetection, DetectionMetrics } from './metrics-detection.js'
import type { SegmentationMetrics } from './metrics-segmentation.js'
import type { Preprocessing, PreprocessOptions } from './preprocess.js'

/**
 * A data set on disk. A plain string is detected: a folder with `annotations.json` → detection; with `images/` and
 * `masks/` → segmentation; an `.npz`/`.npy` file, or a folder with `inputs.npy`/`x.npy` or `*.pb` tensors → tensors;
 * any other folder → ImageFolder.
 */
export type DatasetSpec =
  | { readonly kind: 'image-folder'; readonly root: string }
  | { readonly kind: 'tensors'; readonly path: string; readonly labels?: string }
  | { readonly kind: 'detection'; readonly root: string }
  | { readonly kind: 'segmentation'; readonly root: string }

/** The task a data set implies. */
export type EvaluationTask = 'classification' | 'detection' | 'segmentation'

/** Where the progress line goes (a TTY stream gets a live line; anything else gets nothing). */
export interface ProgressStream {
  write(chunk: string): unknown
  readonly isTTY?: boolean
}

/** How a detector's outputs are read. */
export interface DetectionOutputOptions {
  /**
   * Output names: `boxes` [N, D, 4], `scores` [N, D], `labels` [N, D] (torchvision style). Without them: outputs named
   * like that are used; else a single output [N, D, 6] or [N, D, 7] of x1, y1, x2, y2, score, label (a 7th column,
   * as in some exports, is ignored).
   */
  readonly boxes?: string
  readonly scores?: string
  readonly labels?: string
  /** @default 'xyxy' */
  readonly boxFormat?: 'xyxy' | 'xywh' | 'cxcywh'
  /** Boxes in [0, 1] of the input size rather than input pixels. @default false */
  readonly normalized?: boolean
  /** Subtracted from the model's labels to get class indices (1 for models with a background class 0). @default 0 */
  readonly labelOffset?: number
  /** Detections below this score are dropped. @default 0 */
  readonly scoreThreshold?: number
  /** Your own decoding of one image's detections, in input pixels: replaces all of the above except labelOffset. */
  readonly decode?: (outputs: Readonly<Record<string, TensorOutput>>, indexInBatch: number) => readonly BoxDetection[]
}

/** The keys of {@link DetectionOutputOptions}. */
export const DETECTION_OUTPUT_OPTION_KEYS = optionKeys<DetectionOutputOptions>({
  boxes: true, scores: true, labels: true, boxFormat: true, normalized: true, labelOffset: true, scoreThreshold: true, decode: true,
})

/** Options of `evaluateModel`. */
export interface EvaluateOptions extends EngineOptions {
  /** The k of every top-k accuracy (classification). @default [1, 5] */
  readonly topK?: readonly number[]
  /** Samples per run; the model's batch dim when fixed. @default 32 when the batch dim is symbolic */
  readonly batchSize?: number
  /** Image preprocessing (size, resize, mean/std, layout, channel order, dtype); defaults from the model input. */
  readonly preprocess?: PreprocessOptions
  /** @default 'auto' (sharp when installed, else pngjs + jpeg-js) */
  readonly decoder?: DecoderChoice
  /** The model input fed (default: the first). */
  readonly input?: string
  /** The model output read (default: the first; detection: see `detection`). */
  readonly output?: string
  /** Stop starting new batches after this long (ms); the result then says `complete: false`. */
  readonly timeBudgetMs?: number
  /** Evaluate at most this many samples (spread over the classes for classification). */
  readonly limit?: number
  /** Progress line: a stream, or false for none. @default process.stderr when it is a TTY */
  readonly progress?: ProgressStream | false
  readonly detection?: DetectionOutputOptions
  /** Detection: detections kept per image, highest scores first (COCO maxDets). @default 100 */
  readonly maxDetections?: number
  /** Segmentation: the mask value of unlabelled pixels. @default 255 */
  readonly ignoreIndex?: number
}

/** The keys of {@link EvaluateOptions}; any other key is refused. */
export const EVALUATE_OPTION_KEYS = optionKeys<EvaluateOptions>({
  ...ENGINE_OPTION_KEYS, topK: true, batchSize: true, preprocess: true, decoder: true, input: true, output: true, timeBudgetMs: true,
  limit: true, progress: true, detection: true, maxDetections: true, ignoreIndex: true,
})

/** Throughput measured on the way (not a latency benchmark: no warm-up, decoding in between). */
export interface EvaluationThroughput {
  /** Samples ÷ time spent inside session.run. */
  readonly samplesPerSec: number
  /** Samples ÷ wall time of the whole evaluation (reading, decoding, preprocessing included). */
  readonly endToEndSamplesPerSec: number
  readonly inferenceMs: number
  readonly totalMs: number
  readonly batches: number
}

/** What every evaluation reports. */
export interface EvaluationBase {
  /** The model's display name. */
  readonly model: string
  readonly dataset: {
    readonly kind: DatasetSpec['kind']
    readonly path: string
    /** Samples in the set. */
    readonly samples: number
    readonly classes: readonly string[]
  }
  /** Samples evaluated (fewer than the set when the time budget or the limit stopped it). */
  readonly evaluated: number
  readonly complete: boolean
  readonly stoppedBy?: 'time-budget' | 'limit'
  /** The image decoder (null for tensor sets). Accuracy on JPEG images can depend on it. */
  readonly decoder: DecoderInfo | null
  /** The preprocessing applied (null for tensor sets). */
  readonly preprocessing: Preprocessing | null
  readonly input: { readonly name: string; readonly dtype: string; readonly dims: readonly number[] }
  readonly output: string
  readonly batchSize: number
  readonly threads: number
  readonly throughput: EvaluationThroughput
}

/** A classification evaluation. */
export interface ClassificationEvaluation extends EvaluationBase {
  readonly task: 'classification'
  /** Top-1 accuracy, 0–1. */
  readonly accuracy: number
  readonly metrics: ClassificationMetrics
}

/** A detection evaluation. */
export interface DetectionEvaluation extends EvaluationBase {
  readonly task: 'detection'
  /** COCO mAP@[.5:.95]. */
  readonly map: number | null
  readonly map50: number | null
  readonly metrics: DetectionMetrics
}

/** A segmentation evaluation. */
export interface SegmentationEvaluation extends EvaluationBase {
  readonly task: 'segmentation'
  readonly miou: number | null
  readonly pixelAccuracy: number
  readonly metrics: SegmentationMetrics
}

/** The result of `evaluateModel`. */
export type EvaluationResult = ClassificationEvaluation | DetectionEvaluation | SegmentationEvaluation
