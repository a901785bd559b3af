/**
 * The matcher types: `declare module 'vitest'` so `expect(model).toHaveMacsBelow(5e9)` type-checks and a wrong
 * argument does not compile. Loaded by `modelgate/vitest` (and `modelgate/matchers`).
 */
import type { ModelRef } from '../model/index.js'
import type { MatchBaselineOptions } from './baseline.js'
import type { EstimateUnderOptions } from './estimated.js'
import type { FasterThanOptions, MeasureOptions, RunUnderOptions } from './measured.js'

/** modelgate's matchers. Sync ones return `R`; the measured ones and `toMatchBaseline` must be awaited. */
export interface ModelgateMatchers<R = unknown> {
  /** Learnable parameters at most `limit`. */
  toHaveParamsBelow(limit: number): R
  /** Multiply-accumulates at most `limit`. */
  toHaveMacsBelow(limit: number): R
  /** FLOPs at most `limit`. */
  toHaveFlopsBelow(limit: number): R
  /** Bytes on disk (model + external data) at most `bytes`. */
  toHaveModelSizeBelow(bytes: number): R
  /** Peak activation memory at most `bytes`. */
  toHavePeakMemoryBelow(bytes: number): R
  /** Bytes read and written by all nodes at most `bytes`. */
  toHaveMemoryAccessBelow(bytes: number): R
  /** Every node has a cost rule (no unknown ops). */
  toHaveFullCoverage(): R
  /** Latency (`percentile`, default p50) at most `ms`, measured in onnxruntime-node. Await it. */
  toRunUnderMs(ms: number, options?: RunUnderOptions): Promise<R>
  /** Throughput at least `samplesPerSec`. Await it. */
  toHaveThroughputAbove(samplesPerSec: number, options?: MeasureOptions): Promise<R>
  /** Confidently faster than `other`, by a median speed-up of at least `by` (default 1), measured interleaved. Await it. */
  toBeFasterThan(other: ModelRef, options?: FasterThanOptions): Promise<R>
  /** Roofline latency ESTIMATE on a device (not a measurement) at most `ms`. Await it. */
  toEstimateUnderMs(ms: number, options: EstimateUnderOptions): Promise<R>
  /** Every chosen metric within tolerance of the committed baseline entry. Await it. */
  toMatchBaseline(options?: MatchBaselineOptions): Promise<R>
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- must repeat Vitest 4's declaration exactly (TS2428)
  interface Matchers<T = any> extends ModelgateMatchers<T> {}
}
