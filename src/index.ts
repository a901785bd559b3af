/**
 * modelgate: hold ONNX models to efficiency budgets in CI.
 */
export { analyzeModel, COST_MODEL_VERSION } from './analysis/index.js'
export type { AnalysisReport, AnalyzeOptions, Dim, NodeStats, ParamsStats, SignatureEntry } from './analysis/index.js'
export { ERROR_FIXES, ModelgateError, isModelgateError } from './errors.js'
export type { ModelgateErrorCode, ModelgateErrorDetails } from './errors.js'
