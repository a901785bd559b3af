/**
 * The metrics a baseline can hold: name → unit, better direction, kind and default tolerance. One table, so the
 * matchers, the comparison and the README say the same thing.
 */
import type { BaselineTolerance } from './baseline.generated.js'

/** How a metric is obtained, which decides how it is compared. */
export type MetricKind =
  /** computed by the static analyzer: any change beyond tolerance is a regression or an improvement */
  | 'exact'
  /** timed by the runner: a regression must be confident (statistics), else `inconclusive` */
  | 'measured'
  /** recorded by another matcher (accuracy): compared like an exact figure */
  | 'recorded'

/** What the gate knows about a metric. */
export interface MetricSpec {
  readonly unit: string
  readonly direction: 'lower' | 'higher'
  readonly kind: MetricKind
  /** Used when neither the matcher, the plugin nor the baseline entry says otherwise. */
  readonly tolerance: BaselineTolerance
}

/** Every built-in metric. Keys are the analyzer's report keys and the runner's. */
export const METRICS = {
  params: { unit: 'params', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  macs: { unit: 'MACs', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  flops: { unit: 'FLOPs', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  sizeBytes: { unit: 'bytes', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  // opt-in (not in DEFAULT_METRICS): weight bytes × 8 ÷ learnable params, 32 for float32, ≈ 8 for int8
  bitsPerWeight: { unit: 'bits/weight', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  memoryAccessBytes: { unit: 'bytes', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  peakActivationBytes: { unit: 'bytes', direction: 'lower', kind: 'exact', tolerance: { relative: 0 } },
  'latency.p50': { unit: 'ms', direction: 'lower', kind: 'measured', tolerance: { relative: 0.1 } },
  'latency.p90': { unit: 'ms', direction: 'lower', kind: 'measured', tolerance: { relative: 0.1 } },
  'latency.p95': { unit: 'ms', direction: 'lower', kind: 'measured', tolerance: { relative: 0.1 } },
  'latency.p99': { unit: 'ms', direction: 'lower', kind: 'measured', tolerance: { relative: 0.1 } },
  throughput: { unit: 'samples/s', direction: 'higher', kind: 'measured', tolerance: { relative: 0.1 } },
  accuracy: { unit: 'ratio', direction: 'higher', kind: 'recorded', tolerance: { absolute: 0 } },
} as const satisfies Readonly<Record<string, MetricSpec>>

/** A built-in metric name. */
export type MetricName = keyof typeof METRICS

/** The static metrics, in the order tables show them. */
export const EXACT_METRICS = ['params', 'macs', 'flops', 'sizeBytes', 'memoryAccessBytes', 'peakActivationBytes'] as const satisfies readonly MetricName[]

/** The measured metrics. */
export const MEASURED_METRICS = ['latency.p50', 'latency.p90', 'latency.p95', 'latency.p99', 'throughput'] as const satisfies readonly MetricName[]

/**
 * What `toMatchBaseline()` checks when `metrics` is not given: the six exact figures. Measured metrics are
 * opt-in (they need onnxruntime-node, take time and depend on the machine).
 */
export const DEFAULT_METRICS: readonly MetricName[] = EXACT_METRICS

/** True for a built-in metric name. */
export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name)
}

/** The spec of a built-in metric. */
export function metricSpec(name: MetricName): MetricSpec {
  return METRICS[name]
}
