/**
 * The matchers for `expect.extend`, their option types and the metric channel other matchers use.
 */
import './augment.js'

export { STATIC_MATCHERS } from './static.js'
export { MEASURED_MATCHERS } from './measured.js'
export type { FasterThanOptions, LatencyPercentile, MeasureOptions, RunUnderOptions } from './measured.js'
export { ESTIMATE_MATCHERS, ESTIMATE_METRIC } from './estimated.js'
export type { EstimateUnderOptions } from './estimated.js'
export { BASELINE_MATCHERS } from './baseline.js'
export type { MatchBaselineOptions } from './baseline.js'
export { ACCURACY_MATCHERS } from './accuracy.js'
export { recordMetric } from './record.js'
export type { BaselineCheck, GateRecords } from './record.js'
export { PROVIDE_KEY } from './context.js'
export type { GateBenchOptions, GateContext } from './context.js'
export type { ModelgateMatchers } from './augment.js'
