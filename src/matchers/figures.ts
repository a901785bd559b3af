/**
 * This run's figures of a model for `toMatchBaseline()`: exact ones from the analyzer, measured ones from one
 * runner measurement, recorded ones (accuracy) from what an earlier matcher of the same test recorded.
 */
import { readFileSync, statSync } from 'node:fs'
import { gitBlobId, isMetricName, METRICS, projectPath, sha256Of, type BaselineStatistics, type CurrentFigure, type MetricKind } from '../baseline/index.js'
import type { BenchCompleted, LatencyComparison } from '../bench/index.js'
import { isQuantized } from '../analysis/index.js'
import { ModelgateError } from '../errors.js'
import { formatExact } from '../report/format.js'
import type { ModelHandle } from '../model/index.js'
import type { GateContext } from './context.js'
import { benchOptionsFor, completed, reportConditions, runner, type MeasureOptions } from './measured.js'
import { recordedMetric, type RecordingTask } from './record.js'
import { exactFigure, type ExactFigure } from './static.js'

/** A current figure and how it compares. */
export interface Figure extends CurrentFigure {
  readonly kind: MetricKind
}

/**
 * Measures every asked metric once.
 * @param metrics metric keys (built-in, or recorded earlier in the test)
 * @param label how messages name the model
 */
export async function currentFigures(model: ModelHandle, metrics: readonly string[], label: string, context: GateContext, task: RecordingTask, bench: MeasureOptions, paired?: LatencyComparison): Promise<Map<string, Figure>> {
  const out = new Map<string, Figure>()
  // A paired run's current side is this run's measurement: its rounds are latency samples like any other.
  let run: MeasuredRun | undefined = paired === undefined ? undefined : { latencyMs: paired.b.latencyMs, throughput: paired.b.throughput, conditions: paired.b.conditions }
  for (const metric of metrics) {
    const spec = isMetricName(metric) ? METRICS[metric] : undefined
    if (spec?.kind === 'exact') {
      out.set(metric, { kind: 'exact', value: exactFigure(model, metric as ExactFigure, label), unit: spec.unit, direction: spec.direction })
    } else if (spec?.kind === 'measured') {
      run ??= completed(await (await runner()).benchModel(model, benchOptionsFor(context, bench)))
      const value = metric === 'throughput' ? run.throughput.samplesPerSec : run.latencyMs[metric.slice('latency.'.length) as 'p50' | 'p90' | 'p95' | 'p99']
      out.set(metric, { kind: 'measured', value: round(value), unit: spec.unit, direction: spec.direction, statistics: statistics(run), conditions: reportConditions(run.conditions) })
    } else {
      const names = new Set([projectPath(context.root, model.path), model.path, model.name, label])
      const found = [...names].map((name) => recordedMetric(task, name, metric)).find((r) => r !== undefined)
      if (found === undefined || found.current === null) {
        throw new ModelgateError('E_GATE_OPTION', `toMatchBaseline: no ${JSON.stringify(metric)} was recorded for ${label} in this test; it is not a built-in metric (${Object.keys(METRICS).join(', ')}), so a matcher such as toHaveAccuracyAbove must record it first.`, { value: metric })
      }
      out.set(metric, { kind: 'recorded', value: found.current, unit: spec?.unit ?? found.unit, direction: spec?.direction ?? found.direction })
    }
  }
  return out
}

/** The part of a measurement the figures use. */
type MeasuredRun = Pick<BenchCompleted, 'latencyMs' | 'throughput' | 'conditions'> & { readonly calibration?: BenchCompleted['calibration'] }

function statistics(run: MeasuredRun): BaselineStatistics {
  const l = run.latencyMs
  const stats: BaselineStatistics = {
    samples: l.samples, mean: round(l.mean), p50: round(l.p50), p90: round(l.p90), p95: round(l.p95), p99: round(l.p99),
    min: round(l.min), max: round(l.max), sd: round(l.sd), mad: round(l.mad), rme: round(l.rme),
  }
  if (run.calibration !== undefined && run.calibration.referenceMs > 0) stats.referenceMs = round(run.calibration.referenceMs)
  return stats
}

/**
 * The note of a quantized model's size row: its bits per weight, so that a quantization PR reads as one even when
 * `bitsPerWeight` is not a gated metric. Undefined for other metrics and for float32 models.
 */
export function quantizedSizeNote(model: ModelHandle, metric: string): string | undefined {
  if (metric !== 'sizeBytes') return undefined
  const p = model.analysis().params
  if (!isQuantized(p) || p.bitsPerWeight === null) return undefined
  const types = Object.keys(p.byDtype).sort().join(', ')
  const metadata = p.quantization.elements > 0 ? `; ${formatExact(p.quantization.elements)} scales and zero points counted apart` : ''
  return `weights at ${Number(p.bitsPerWeight.toFixed(2))} bits/weight (${types})${metadata}`
}

/** Measured values are stored with 4 significant digits: more is noise, and it keeps diffs short. */
function round(v: number): number {
  return Number(v.toPrecision(4))
}

const hashes = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly sha256: string; readonly gitBlob: string }>()

/** SHA-256 and git blob id of a model file (cached while the file is unchanged). */
export function modelIdentity(path: string): { readonly sha256: string; readonly gitBlob: string } {
  const st = statSync(path)
  const cached = hashes.get(path)
  if (cached !== undefined && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return { sha256: cached.sha256, gitBlob: cached.gitBlob }
  const bytes = readFileSync(path)
  const entry = { mtimeMs: st.mtimeMs, size: st.size, sha256: sha256Of(bytes), gitBlob: gitBlobId(bytes) }
  hashes.set(path, entry)
  return { sha256: entry.sha256, gitBlob: entry.gitBlob }
}
