/**
 * Accuracy: evaluate a model on a labelled data set from disk — classification (top-1/top-k, per-class accuracy,
 * confusion matrix), detection (COCO mAP@[.5:.95], mAP@0.5) and segmentation (mIoU, pixel accuracy).
 */
import { openSession } from '../bench/index.js'
import type { ModelRef } from '../model/index.js'
import { evaluateWith } from './evaluate.js'
import type { DatasetSpec, EvaluateOptions, EvaluationResult } from './types.js'

/**
 * Evaluates a model on a data set, in batches, through onnxruntime (the runner's `openSession`).
 * @param model a handle from `loadModel()` or a path to an .onnx file
 * @param dataset a path (layout detected: ImageFolder, tensor set, detection or segmentation set) or a {@link DatasetSpec}
 * @param options top-k, batch size, preprocessing, decoder, time budget, progress line … see {@link EvaluateOptions}
 * @returns the metrics of the task, the decoder and preprocessing used, and the throughput measured on the way
 * @throws ModelgateError for bad data (E_DATASET_EMPTY, E_DATASET_CLASS_EMPTY, E_IMAGE_DECODE, E_LABEL_RANGE …) or a
 *   model that does not fit it (E_MODEL_OUTPUT, E_RUN_INPUT)
 */
export function evaluateModel(model: ModelRef, dataset: DatasetSpec | string, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  return evaluateWith(openSession, model, dataset, options)
}

export { evaluateWith, type SessionOpener } from './evaluate.js'
export { resolveDatasetSpec } from './dataset.js'
export { loadImageDecoder, sniffImageFormat, type DecoderChoice, type DecoderInfo, type ImageDecoder, type RgbImage } from './image-decode.js'
export { scanImageFolder, IMAGE_EXTENSIONS, type ImageFolderIndex, type ImageSample } from './image-folder.js'
export { loadTensorSet, type TensorSet } from './tensor-set.js'
export { loadDetectionSet, loadSegmentationSet, type DetectionSample, type DetectionSet, type SegmentationSample, type SegmentationSet } from './ground-truth.js'
export { readLabelPng, type LabelMap } from './png-labels.js'
export { IMAGENET_MEAN, IMAGENET_STD, resolvePreprocessing, writeImageTensor, type ImageDtype, type ImageTransform, type Preprocessing, type PreprocessOptions, type ResizeMode } from './preprocess.js'
export { ClassificationAccumulator, classificationMetrics, type ClassificationMetrics, type PerClassAccuracy } from './metrics-classification.js'
export { COCO_IOU_THRESHOLDS, boxIou, detectionMetrics, type Box, type BoxAnnotation, type BoxDetection, type DetectionClassMetrics, type DetectionMetricOptions, type DetectionMetrics } from './metrics-detection.js'
export { SegmentationAccumulator, segmentationMetrics, type SegmentationClassMetrics, type SegmentationMetrics } from './metrics-segmentation.js'
export type {
  ClassificationEvaluation, DatasetSpec, DetectionEvaluation, DetectionOutputOptions, EvaluateOptions, EvaluationBase, EvaluationResult,
  EvaluationTask, EvaluationThroughput, ProgressStream, SegmentationEvaluation,
} from './types.js'
export { DETECTION_OUTPUT_OPTION_KEYS, EVALUATE_OPTION_KEYS } from './types.js'
