/**
 * The evidence behind a measured verdict of `toMatchBaseline()`: the same bytes as the baseline, a paired run of
 * the baseline's recovered bytes against the current model (adaptive, in this process), or the reason there is
 * none; and, when an entry is written, the independent sessions (child processes) whose spread lets a later
 * unpaired comparison tell a change from between-run noise.
 */
import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recoverBaselineModel, sessionsCenter, type BaselineEntry, type BaselineMetric, type MeasuredEvidence, type PairedEvidence } from '../baseline/index.js'
import type { BenchCompleted, LatencyComparison } from '../bench/index.js'
import { isModelgateError } from '../errors.js'
import { createModelHandle, type ModelHandle } from '../model/index.js'
import type { GateContext, GateLatencyOptions } from './gate-context.js'
import { benchOptionsFor, compareOptionsFor, completed, runner, type MeasureOptions } from './measured.js'

/** Defaults of the plugin's `latency` option. */
export const LATENCY_DEFAULTS = {
  /** Wall-time cap of one paired run, ms. */
  maxTime: 15_000,
  /** Independent sessions (child processes) measured when a measured metric is written. */
  sessions: 4,
} as const

/** The metrics a paired run judges: it compares medians (throughput is batch ÷ median). */
export const PAIRED_METRICS: readonly string[] = ['latency.p50', 'throughput']

/** The latency options in force: the plugin's, then the environment's ref. */
export function latencyOptions(context: GateContext): Required<Omit<GateLatencyOptions, 'baselineRef'>> & { readonly baselineRef?: string } {
  const ref = process.env.MODELGATE_BASELINE_REF ?? context.latency?.baselineRef
  return {
    maxTime: context.latency?.maxTime ?? LATENCY_DEFAULTS.maxTime,
    sessions: context.latency?.sessions ?? LATENCY_DEFAULTS.sessions,
    ...(ref === undefined || ref === '' ? {} : { baselineRef: ref }),
  }
}

/** The outcome of {@link pairWithBaseline}. */
export interface PairingOutcome {
  readonly comparison?: LatencyComparison
  readonly paired?: PairedEvidence
  readonly reason?: string
}

/**
 * Recovers the baseline's bytes and runs them interleaved with the current model until the interval clears the
 * bounds 1/(1 + t) and 1 + t or the time cap passes.
 * @param previous the committed entry (its SHA-256 differs from the current model's)
 * @param threshold t, the tolerance of the paired metric
 */
export async function pairWithBaseline(model: ModelHandle, previous: BaselineEntry, context: GateContext, bench: MeasureOptions, threshold: number, baselineModel: string | undefined): Promise<PairingOutcome> {
  const latency = latencyOptions(context)
  const found = await recoverBaselineModel({ model: previous.model, sha256: previous.sha256, gitBlob: previous.gitBlob }, { root: context.root, baselineModel, baselineRef: latency.baselineRef })
  if (found.state === 'missing') return { reason: found.reason }
  const oldPath = cachedCopy(previous.sha256, found.bytes)
  const old = createModelHandle(oldPath, { name: `${previous.model} (baseline)`, ...(model.options.shapes === undefined ? {} : { shapes: model.options.shapes }), ...(model.options.dims === undefined ? {} : { dims: model.options.dims }) })
  let comparison: LatencyComparison
  try {
    comparison = await (await runner()).compareLatency(old, model, {
      ...compareOptionsFor(context, bench),
      threshold,
      maxTime: latency.maxTime,
      bounds: [1 / (1 + threshold), 1 + threshold],
    })
  } catch (error) {
    // The old model may not run alone (external data beside the original, another input signature): judge unpaired.
    if (!isModelgateError(error) || error.code === 'E_RUNTIME_MISSING') throw error
    return { reason: `the baseline's bytes were found (${found.source}) but could not be run: ${error.message.split('\n')[0]}` }
  }
  return {
    comparison,
    paired: {
      ratio: comparison.ratio,
      ci: comparison.ci,
      rounds: comparison.rounds,
      elapsedMs: comparison.elapsedMs ?? 0,
      stoppedBy: comparison.stoppedBy ?? 'time-cap',
      baselineMs: comparison.a.latencyMs.p50,
      currentMs: comparison.b.latencyMs.p50,
      source: found.source,
    },
  }
}

/** The evidence of one metric. */
export function evidenceFor(metric: string, previous: BaselineEntry, current: BaselineEntry, pairing: PairingOutcome | undefined): MeasuredEvidence {
  const sameModel = previous.sha256 === current.sha256
  const otherDifferences = shapeDifferences(previous, current)
  const base = { sameModel, ...(otherDifferences.length > 0 ? { otherDifferences } : {}) }
  if (sameModel) return base
  if (pairing?.paired !== undefined && PAIRED_METRICS.includes(metric)) return { ...base, paired: pairing.paired }
  const reason = pairing?.paired !== undefined ? `the paired run compares medians; ${metric} is judged against the recorded figure` : pairing?.reason
  return { ...base, ...(reason === undefined ? {} : { unpairedReason: reason }) }
}

/** Input shapes and dims that differ between the entries, in words. */
export function shapeDifferences(a: BaselineEntry, b: BaselineEntry): string[] {
  const out: string[] = []
  const text = (v: unknown): string => JSON.stringify(v)
  if (text(sorted(a.shapes)) !== text(sorted(b.shapes))) out.push(`shapes ${text(a.shapes)} vs ${text(b.shapes)}`)
  if (text(sorted(a.dims)) !== text(sorted(b.dims))) out.push(`dims ${text(a.dims)} vs ${text(b.dims)}`)
  return out
}

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
}

/** The old bytes as a file onnxruntime can open, kept under the temp folder by SHA-256 (written atomically). */
function cachedCopy(sha256: string, bytes: Uint8Array): string {
  const dir = join(tmpdir(), 'modelgate-baseline-models')
  const path = join(dir, `${sha256}.onnx`)
  if (existsSync(path)) return path
  mkdirSync(dir, { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, bytes)
  renameSync(temp, path)
  return path
}

/** A measured metric's value in a completed run. */
export function measuredValue(run: BenchCompleted | { readonly latencyMs: BenchCompleted['latencyMs']; readonly throughput: BenchCompleted['throughput'] }, metric: string): number {
  return metric === 'throughput' ? run.throughput.samplesPerSec : run.latencyMs[metric.slice('latency.'.length) as 'p50' | 'p90' | 'p95' | 'p99']
}

/**
 * Measures the extra independent sessions of every measured metric this run writes (its object is this run's,
 * not the committed one) and stores their values; the metric's value becomes their geometric mean.
 * @param next the entry as it will be written (changed in place)
 * @param current this run's entry
 * @param firstValues each metric's value in this run's own measurement (one more session)
 */
export async function recordSessions(model: ModelHandle, next: BaselineEntry, current: BaselineEntry, firstValues: ReadonlyMap<string, number>, context: GateContext, bench: MeasureOptions): Promise<void> {
  const written = Object.entries(next.metrics).filter(([name, m]) => m === current.metrics[name] && firstValues.has(name))
  const extra = latencyOptions(context).sessions
  if (written.length === 0 || extra < 1) return
  const values = new Map<string, number[]>(written.map(([name]) => [name, [firstValues.get(name)!]]))
  for (let i = 0; i < extra; i++) {
    const run = completed(await (await runner()).benchModel(model, { ...benchOptionsFor(context, bench), isolate: true, calibrate: false }))
    for (const [name, list] of values) list.push(measuredValue(run, name))
  }
  for (const [name, metric] of written) {
    const list = values.get(name)!.map(round)
    const statistics = { ...(metric.statistics ?? { samples: 1 }), sessions: list as [number, number, ...number[]] }
    const updated: BaselineMetric = { ...metric, value: round(sessionsCenter(list)), statistics }
    next.metrics[name] = updated
  }
}

function round(v: number): number {
  return Number(v.toPrecision(4))
}
