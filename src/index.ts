/**
 * modelgate: hold ONNX models to efficiency budgets in CI.
 */
export {
  classificationMetrics, detectionMetrics, evaluateModel, IMAGENET_MEAN, IMAGENET_STD, segmentationMetrics,
} from './accuracy/index.js'
export type {
  Box, BoxAnnotation, BoxDetection, ClassificationEvaluation, ClassificationMetrics, DatasetSpec, DecoderChoice, DecoderInfo, DetectionEvaluation,
  DetectionMetrics, DetectionOutputOptions, EvaluateOptions, EvaluationResult, Preprocessing, PreprocessOptions, SegmentationEvaluation, SegmentationMetrics,
} from './accuracy/index.js'
export { analyzeModel, COST_MODEL_VERSION } from './analysis/index.js'
export type { AnalysisReport, AnalyzeOptions, Dim, NodeStats, ParamsStats, SignatureEntry, TiedPair, TiedWeights } from './analysis/index.js'
export { benchModel, compareLatency, openSession } from './bench/index.js'
export type {
  BatchPoint, BenchCalibration, BenchCompleted, BenchConditions, BenchEnergy, BenchErrored, BenchMemory, BenchOptions, BenchProgress,
  BenchResult, CompareOptions, CompareSideOptions, ComparedSide, EngineName, EngineOptions, EngineSession, GraphOptimizationLevel, LatencyComparison,
  LatencyStats, LatencyVerdict, SessionOptions, TensorDtype, TensorInput, TensorOutput, TypedArray, ValueSignature,
} from './bench/index.js'
export { ERROR_FIXES, ModelgateError, isModelgateError } from './errors.js'
export { BUILT_IN_PROFILES, calibrateThisMachine, estimateLatency, validateProfile } from './estimate/index.js'
export type { CalibrateOptions, ComputeDtype, DeviceProfile, DominatingNode, EstimateOptions, LatencyEstimate } from './estimate/index.js'
export { loadModel } from './model/index.js'
export type { ModelHandle, ModelOptions, ModelRef } from './model/index.js'
export {
  COMMENT_MARKER, mergeReports, paretoFrontier, publishReport, readReport, renderMarkdown, renderParetoSvg, renderTerminal, upsertStickyComment,
} from './report/index.js'
export type {
  ChartAxis, GateReport, MarkdownOptions, MeasurementConditions, MetricResult, ParetoChartOptions, ParetoOptions, ParetoPoint, ParetoResult,
  PublishOptions, StickyCommentOptions, StickyCommentResult, TerminalOptions, Tolerance, VerdictKind,
} from './report/index.js'
export type { ModelgateErrorCode, ModelgateErrorDetails } from './errors.js'
