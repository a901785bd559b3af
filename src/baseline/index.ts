/**
 * Baselines: the JSON Schema (source of truth) → generated types; read/validate/write; compare → verdicts.
 */
export type { BaselineConditions, BaselineEntry, BaselineFile, BaselineMetric, BaselineStatistics, BaselineTolerance } from './baseline.generated.js'
export { BASELINE_SCHEMA } from './baseline.generated.js'
export { BASELINE_SCHEMA_ID, emptyBaseline, jsonPath, parseBaseline, readBaselineFile, serializeBaseline, sortKeys, writeBaselineFile, writeTextAtomically } from './io.js'
export { allowance, compareFigure, conditionDifferences } from './compare.js'
export type { CompareFigureOptions, CompareVerdict, CurrentFigure, FigureComparison } from './compare.js'
export { applyEntries, baselineFileFor, entryKey, KEY_SEPARATOR, keyBelongsTo, nextEntry, obsoleteKeys, projectPath } from './entries.js'
export type { EntryMetricVerdict, UpdateMode } from './entries.js'
export { DEFAULT_METRICS, EXACT_METRICS, isMetricName, MEASURED_METRICS, METRICS, metricSpec } from './metrics.js'
export type { MetricKind, MetricName, MetricSpec } from './metrics.js'
export { intervalVerdict, judgeMeasured, logSpread, sessionsCenter, smallestDetectableChange } from './latency.js'
export type { JudgeMeasuredInput, LatencyPairing, MeasuredEvidence, MeasuredJudgement, PairedEvidence } from './latency.js'
export { gitBlobId, parseLfsPointer, recoverBaselineModel, sha256Of } from './recover.js'
export type { BaselineModelIdentity, LfsPointer, RecoverOptions, RecoverResult } from './recover.js'
