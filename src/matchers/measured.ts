/**
 * Measured matchers (asynchronous, must be awaited): latency, throughput and paired speed-up, timed by the
 * runner in onnxruntime-node. An un-awaited call fails its test (see guard.ts).
 */
import type { MatcherState } from 'vitest'
import { projectPath } from '../baseline/index.js'
import { checkOptionKeys, optionKeys } from '../_options.js'
import type { BenchCompleted, BenchConditions, BenchOptions, BenchResult, CompareOptions, EngineName } from '../bench/index.js'
import { ModelgateError } from '../errors.js'
import type { ModelHandle } from '../model/index.js'
import type { MeasurementConditions } from '../report/types.js'
import { gateContext, type GateContext } from './context.js'
import { guardAsync } from './guard.js'
import { recordMetric } from './record.js'
import { formatMs, hint, modelLabel, positiveNumber, receivedModel, type MatcherOutcome } from './shared.js'

/** A latency percentile the runner reports. */
export type LatencyPercentile = 'p50' | 'p90' | 'p95' | 'p99'

/** Engine settings a measured matcher may set. */
export interface MeasureOptions {
  /** Batch size (the leading symbolic dim). @default the model's batch, or 1 when symbolic */
  readonly batch?: number
  /** Intra-op threads. @default 1 */
  readonly threads?: number
  /** Measuring time, ms. @default the plugin's `bench.time`, else the runner's 1000 */
  readonly time?: number
  /** Minimum number of timed runs. */
  readonly iterations?: number
  /** The engine. @default the plugin's `bench.engine`, else 'onnxruntime-node' */
  readonly engine?: EngineName
  /** Execution providers (each must be available; no silent fallback). @default the engine's CPU provider */
  readonly executionProviders?: readonly string[]
}

/** Options of `toRunUnderMs`. */
export interface RunUnderOptions extends MeasureOptions {
  /** Which latency statistic must be under the budget. @default 'p50' */
  readonly percentile?: LatencyPercentile
}

/** Options of `toBeFasterThan`. */
export interface FasterThanOptions extends MeasureOptions {
  /** Required speed-up: median(other) ÷ median(model) must be at least this, and confidently above 1. @default 1 */
  readonly by?: number
}

/** The keys of {@link MeasureOptions}, {@link RunUnderOptions} and {@link FasterThanOptions}; any other key is refused. */
export const MEASURE_OPTION_KEYS = optionKeys<MeasureOptions>({ batch: true, threads: true, time: true, iterations: true, engine: true, executionProviders: true })
export const RUN_UNDER_OPTION_KEYS = optionKeys<RunUnderOptions>({ ...MEASURE_OPTION_KEYS, percentile: true })
export const FASTER_THAN_OPTION_KEYS = optionKeys<FasterThanOptions>({ ...MEASURE_OPTION_KEYS, by: true })

const PERCENTILES: readonly LatencyPercentile[] = ['p50', 'p90', 'p95', 'p99']

/** The runner options of a measured matcher: the plugin's defaults, then the call's. */
export function benchOptionsFor(context: GateContext, options: MeasureOptions): BenchOptions {
  const out: { -readonly [K in keyof BenchOptions]?: BenchOptions[K] } = { ...context.bench }
  if (options.batch !== undefined) out.batch = positiveNumber(options.batch, 'batch', 'batch')
  if (options.threads !== undefined) out.threads = options.threads
  if (options.time !== undefined) out.time = options.time
  if (options.iterations !== undefined) out.iterations = options.iterations
  if (options.engine !== undefined) out.engine = options.engine
  if (options.executionProviders !== undefined) out.executionProviders = options.executionProviders
  return out
}

/** The part of {@link benchOptionsFor} that a paired comparison takes (a batch curve is not paired). */
export function compareOptionsFor(context: GateContext, options: MeasureOptions): CompareOptions {
  const { batch, threads, time, engine, executionProviders } = benchOptionsFor(context, options)
  return {
    ...(typeof batch === 'number' ? { batch } : {}),
    ...(threads === undefined ? {} : { threads }),
    ...(time === undefined ? {} : { time }),
    ...(engine === undefined ? {} : { engine }),
    ...(executionProviders === undefined ? {} : { executionProviders }),
  }
}

/**
 * The runner, loaded on the first measurement: the setup file registers every matcher in every worker, and most
 * test files never measure.
 */
export function runner(): Promise<typeof import('../bench/index.js')> {
  return import('../bench/index.js')
}

/** A completed measurement, or the engine's failure as an error. */
export function completed(result: BenchResult): BenchCompleted {
  if (result.state === 'completed') return result
  throw new ModelgateError(result.error.code, result.error.message, { value: result.model })
}

/** The report's conditions (the runner's carry more detail than a report needs). */
export function reportConditions(c: BenchConditions): MeasurementConditions {
  return {
    machine: { cpu: c.machine.cpu, cores: c.machine.cores, os: c.machine.os, node: c.machine.node },
    engine: { name: c.engine.name, version: c.engine.version, executionProvider: c.engine.executionProvider },
    intraOpThreads: c.intraOpThreads,
    interOpThreads: c.interOpThreads,
    graphOptimizationLevel: c.graphOptimizationLevel,
    batch: c.batch,
  }
}

function describeRun(r: BenchCompleted): string {
  const c = r.conditions
  return `batch ${c.batch}, ${c.intraOpThreads} intra-op thread${c.intraOpThreads === 1 ? '' : 's'}, ${r.latencyMs.samples} timed runs, MAD ${formatMs(r.latencyMs.mad)}`
}

function assertionText(state: MatcherState, matcher: string, args: string): string {
  return `expect(model)${state.isNot ? '.not' : ''}.${matcher}(${args})`
}

function toRunUnderMs(this: MatcherState, received: unknown, ms: number, options: RunUnderOptions = {}): Promise<MatcherOutcome> {
  const matcher = 'toRunUnderMs'
  const model = receivedModel(received, matcher)
  checkOptionKeys(options, RUN_UNDER_OPTION_KEYS, matcher)
  positiveNumber(ms, matcher, 'the budget in ms')
  const percentile = options.percentile ?? 'p50'
  if (!PERCENTILES.includes(percentile)) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: percentile must be one of ${PERCENTILES.join(', ')}, got ${JSON.stringify(percentile)}.`, { value: percentile })
  }
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const work = (async (): Promise<MatcherOutcome> => {
    const run = completed(await (await runner()).benchModel(model, benchOptionsFor(context, options)))
    const value = run.latencyMs[percentile]
    const pass = value <= ms
    record(this, context, model, {
      metric: `latency.${percentile}`, unit: 'ms', direction: 'lower', current: value, budget: ms, pass, run,
    })
    const over = ((value - ms) / ms) * 100
    return {
      pass,
      message: () =>
        `${hint(this, matcher, 'ms')}\n\n${label} ran in ${formatMs(value)} at ${percentile} (${describeRun(run)}), ` +
        (pass ? `within the budget of ${formatMs(ms)}; expected slower than that.` : `over the budget of ${formatMs(ms)} by +${Number(over.toPrecision(3))} %.`),
    }
  })()
  return guardAsync(this.task, assertionText(this, matcher, String(ms)), this.isNot === true, work)
}

function toHaveThroughputAbove(this: MatcherState, received: unknown, samplesPerSec: number, options: MeasureOptions = {}): Promise<MatcherOutcome> {
  const matcher = 'toHaveThroughputAbove'
  const model = receivedModel(received, matcher)
  checkOptionKeys(options, MEASURE_OPTION_KEYS, matcher)
  positiveNumber(samplesPerSec, matcher, 'the throughput in samples/s')
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const work = (async (): Promise<MatcherOutcome> => {
    const run = completed(await (await runner()).benchModel(model, benchOptionsFor(context, options)))
    const value = run.throughput.samplesPerSec
    const pass = value >= samplesPerSec
    record(this, context, model, {
      metric: 'throughput', unit: 'samples/s', direction: 'higher', current: value, budget: samplesPerSec, pass, run,
    })
    return {
      pass,
      message: () =>
        `${hint(this, matcher, 'samplesPerSec')}\n\n${label} processed ${sig(value)} samples/s (${describeRun(run)}), ` +
        (pass ? `at least the required ${sig(samplesPerSec)} samples/s; expected less than that.` : `below the required ${sig(samplesPerSec)} samples/s.`),
    }
  })()
  return guardAsync(this.task, assertionText(this, matcher, String(samplesPerSec)), this.isNot === true, work)
}

function toBeFasterThan(this: MatcherState, received: unknown, other: unknown, options: FasterThanOptions = {}): Promise<MatcherOutcome> {
  const matcher = 'toBeFasterThan'
  const model = receivedModel(received, matcher)
  const reference = receivedModel(other, `${matcher} (the model to compare with)`)
  checkOptionKeys(options, FASTER_THAN_OPTION_KEYS, matcher)
  const by = options.by === undefined ? 1 : positiveNumber(options.by, matcher, 'by')
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const otherLabel = modelLabel(reference, context.root)
  const compareOptions = compareOptionsFor(context, options)
  const work = (async (): Promise<MatcherOutcome> => {
    const cmp = await (await runner()).compareLatency(model, reference, compareOptions)
    if (cmp.verdict === 'incomparable') {
      throw new ModelgateError('E_GATE_OPTION', `${matcher}: ${label} and ${otherLabel} cannot be compared: ${cmp.note ?? 'different conditions'}.`)
    }
    // ratio = median(other) / median(model): how many times faster the model is.
    const speedup = cmp.ratio
    const pass = cmp.verdict === 'slower' && speedup >= by
    const a = cmp.a.latencyMs.p50
    const b = cmp.b.latencyMs.p50
    recordMetric(
      {
        model: projectPath(context.root, model.path),
        metric: 'latency.p50',
        unit: 'ms',
        direction: 'lower',
        baseline: b,
        current: a,
        deltaPct: b === 0 ? null : ((a - b) / b) * 100,
        tolerance: {},
        verdict: pass !== (this.isNot === true) ? 'within-budget' : 'over-budget',
        budget: b / by,
        conditions: reportConditions(cmp.conditions),
        statistics: { speedup: sig(speedup), ciLow: sig(cmp.ci[0]), ciHigh: sig(cmp.ci[1]), requiredSpeedup: by, versus: projectPath(context.root, reference.path), rounds: cmp.rounds },
        note: `vs ${otherLabel}: ${sig(speedup)}× faster (required ${by}×), paired`,
      },
      this,
    )
    const relation = speedup >= 1 ? `${sig(speedup)}× faster than` : `${sig(1 / speedup)}× slower than`
    const confident = cmp.verdict === 'slower' ? 'confidently faster' : cmp.verdict === 'faster' ? 'confidently slower' : 'no detectable difference'
    return {
      pass,
      message: () =>
        `${hint(this, matcher, 'other')}\n\n${label} is ${relation} ${otherLabel} (median ${formatMs(a)} vs ${formatMs(b)}, ` +
        `95 % CI of the speed-up ${sig(cmp.ci[0])}–${sig(cmp.ci[1])}×, ${cmp.rounds} interleaved rounds: ${confident}); ` +
        (pass ? `expected it not to be ${by}× faster.` : cmp.verdict === 'slower' ? `short of the required ${by}×.` : `required ${by}× and a confident difference.`),
    }
  })()
  return guardAsync(this.task, assertionText(this, matcher, `other${options.by === undefined ? '' : `, { by: ${by} }`}`), this.isNot === true, work)
}

interface Measured {
  readonly metric: string
  readonly unit: string
  readonly direction: 'lower' | 'higher'
  readonly current: number
  readonly budget: number
  readonly pass: boolean
  readonly run: BenchCompleted
}

function record(state: MatcherState, context: GateContext, model: ModelHandle, m: Measured): void {
  const l = m.run.latencyMs
  recordMetric(
    {
      model: projectPath(context.root, model.path),
      metric: m.metric,
      unit: m.unit,
      direction: m.direction,
      baseline: null,
      current: m.current,
      deltaPct: null,
      tolerance: {},
      verdict: m.pass !== (state.isNot === true) ? 'within-budget' : 'over-budget',
      budget: m.budget,
      conditions: reportConditions(m.run.conditions),
      statistics: { samples: l.samples, p50: l.p50, p95: l.p95, p99: l.p99, mad: l.mad, rme: l.rme },
    },
    state,
  )
}

function sig(v: number): number {
  return Number(v.toPrecision(3))
}

/** The measured matchers, for `expect.extend`. */
export const MEASURED_MATCHERS = {
  toRunUnderMs,
  toHaveThroughputAbove,
  toBeFasterThan,
}
