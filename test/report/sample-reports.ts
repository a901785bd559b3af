/**
 * Builders of gate reports for the report tests: a result with sensible defaults, a report around results,
 * fixed measurement conditions.
 */
import type { GateReport, MeasurementConditions, MetricResult } from '../../src/report/types.js'

export const CONDITIONS: MeasurementConditions = {
  machine: { cpu: 'AMD EPYC 7763', cores: 2, os: 'linux-x64', node: '20.20.2' },
  engine: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  batch: 1,
}

/** A result: a passing exact params metric unless overridden; Δ is computed from baseline and current. */
export function result(over: Partial<MetricResult> & Pick<MetricResult, 'model'>): MetricResult {
  const baseline = over.baseline === undefined ? 1_000_000 : over.baseline
  const current = over.current === undefined ? baseline : over.current
  // exact counts past 2^53 (decimal digits) subtract as BigInts, then divide as doubles
  const difference = (a: number | string, b: number | string): number => (typeof a === 'number' && typeof b === 'number' ? a - b : Number(BigInt(a) - BigInt(b)))
  const deltaPct = baseline === null || current === null || Number(baseline) === 0 ? null : (difference(current, baseline) / Number(baseline)) * 100
  return {
    metric: 'params',
    unit: 'params',
    direction: 'lower',
    tolerance: {},
    verdict: 'pass',
    ...over,
    baseline,
    current,
    deltaPct: over.deltaPct === undefined ? deltaPct : over.deltaPct,
  }
}

/** A latency p50 result measured under {@link CONDITIONS}. */
export function latency(model: string, baseline: number | null, current: number | null, over: Partial<MetricResult> = {}): MetricResult {
  return result({ model, metric: 'latency.p50', unit: 'ms', direction: 'lower', baseline, current, tolerance: { relative: 0.1 }, conditions: CONDITIONS, ...over })
}

/** A report of one unsharded run. */
export function report(results: readonly MetricResult[], over: Partial<GateReport> = {}): GateReport {
  return { schema: 'modelgate-report/1', modelgateVersion: '0.1.0', costModelVersion: '1.0.0', shards: [], results, updateCommand: 'npx vitest run -u', ...over }
}

/** Static figures of one model (params, MACs, FLOPs, size) that all pass. */
export function staticFigures(model: string, scale = 1): MetricResult[] {
  return [
    result({ model, metric: 'params', unit: 'params', baseline: 11_689_512 * scale }),
    result({ model, metric: 'macs', unit: 'MACs', baseline: 1_814_083_944 * scale }),
    result({ model, metric: 'flops', unit: 'FLOPs', baseline: 3_644_467_560 * scale }),
    result({ model, metric: 'sizeBytes', unit: 'bytes', baseline: 46_830_571 * scale }),
  ]
}
