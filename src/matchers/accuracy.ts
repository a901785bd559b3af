/**
 * Accuracy matchers (asynchronous, must be awaited): a model evaluated on a labelled data set from disk, held to a
 * minimum — and the accuracy–efficiency trade-off against a baseline model as one assertion. Each records its
 * figure into the gate's report (metric `accuracy`, `accuracy.top5`, `map`, `map50` or `miou`; unit `ratio`,
 * higher is better), so `toMatchBaseline({ metrics: ['accuracy'] })` can hold it to a committed baseline.
 */
import { resolve } from 'node:path'
import type { MatcherState } from 'vitest'
import { checkOptionKeys, optionKeys, type KeyList } from '../_options.js'
import { EVALUATE_OPTION_KEYS, evaluateModel, type DatasetSpec, type EvaluateOptions, type EvaluationResult } from '../accuracy/index.js'
import { projectPath } from '../baseline/index.js'
import { compareLatency } from '../bench/index.js'
import { ModelgateError } from '../errors.js'
import type { ModelHandle, ModelRef } from '../model/index.js'
import { gateContext, type GateContext } from './context.js'
import { guardAsync } from './guard.js'
import { reportConditions } from './measured.js'
import { recordMetric } from './record.js'
import { formatMs, hint, modelLabel, positiveNumber, receivedModel, type MatcherOutcome } from './shared.js'

/** Options of the accuracy matchers: the data set, and how to evaluate on it. */
export interface AccuracyOptions extends Omit<EvaluateOptions, 'topK' | 'progress'> {
  /** A data set path (relative to the project root) or spec. */
  readonly dataset: DatasetSpec | string
  /** Which top-k accuracy is held to the threshold. @default 1 */
  readonly topK?: number
}

/** Options of `toHaveMapAbove`. */
export interface MapOptions extends AccuracyOptions {
  /** COCO mAP@[.5:.95] (`'0.5:0.95'`) or mAP@0.5 (`0.5`). @default '0.5:0.95' */
  readonly iou?: 0.5 | '0.5:0.95'
}

/** Options of `toBeBetterTradeoffThan`. */
export interface TradeoffOptions extends AccuracyOptions {
  /** Largest accepted accuracy loss, absolute: 0.01 = one percentage point ("under 1 % accuracy loss"). */
  readonly maxAccuracyDrop: number
  /** Smallest accepted speed-up: median latency of the baseline ÷ median latency of the model, measured interleaved. */
  readonly minSpeedup: number
  /** Batch of the latency comparison. @default the model's batch, or 1 */
  readonly batch?: number
  /** Measuring time of the latency comparison, ms per model. @default the plugin's bench.time, else 1000 */
  readonly time?: number
}

const { progress: _progress, ...EVALUATION_KEYS } = EVALUATE_OPTION_KEYS
/** The keys of {@link AccuracyOptions}, {@link MapOptions} and {@link TradeoffOptions}; any other key is refused. */
export const ACCURACY_OPTION_KEYS = optionKeys<AccuracyOptions>({ ...EVALUATION_KEYS, dataset: true })
export const MAP_OPTION_KEYS = optionKeys<MapOptions>({ ...ACCURACY_OPTION_KEYS, iou: true })
export const TRADEOFF_OPTION_KEYS = optionKeys<TradeoffOptions>({ ...ACCURACY_OPTION_KEYS, maxAccuracyDrop: true, minSpeedup: true, batch: true, time: true })

/** The accuracy matchers' types (merged into Vitest's `Assertion` below). */
export interface AccuracyMatchers<R = unknown> {
  /** Top-k accuracy (default top-1) on `dataset` at least `threshold` (a fraction: 0.925 = 92.5 %). Await it. */
  toHaveAccuracyAbove(threshold: number, options: AccuracyOptions): Promise<R>
  /** Detection mAP (COCO @[.5:.95] by default, or @0.5) on `dataset` at least `threshold`. Await it. */
  toHaveMapAbove(threshold: number, options: MapOptions): Promise<R>
  /** Segmentation mIoU on `dataset` at least `threshold`. Await it. */
  toHaveMiouAbove(threshold: number, options: AccuracyOptions): Promise<R>
  /** Loses at most `maxAccuracyDrop` accuracy against `baseline` while running at least `minSpeedup`× faster. Await it. */
  toBeBetterTradeoffThan(baseline: ModelRef, options: TradeoffOptions): Promise<R>
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- must repeat Vitest 4's declaration exactly (TS2428)
  interface Matchers<T = any> extends AccuracyMatchers<T> {}
}

/** A figure held by a matcher: which metric of which task. */
interface Quality {
  readonly metric: string
  readonly label: string
  readonly task: EvaluationResult['task']
  read(r: EvaluationResult): number | null
}

function accuracyQuality(topK: number): Quality {
  return {
    metric: topK === 1 ? 'accuracy' : `accuracy.top${topK}`,
    label: `top-${topK} accuracy`,
    task: 'classification',
    read: (r) => (r.task === 'classification' ? (r.metrics.topK[String(topK)] ?? null) : null),
  }
}

const MAP: Quality = { metric: 'map', label: 'mAP@[.5:.95]', task: 'detection', read: (r) => (r.task === 'detection' ? r.map : null) }
const MAP50: Quality = { metric: 'map50', label: 'mAP@0.5', task: 'detection', read: (r) => (r.task === 'detection' ? r.map50 : null) }
const MIOU: Quality = { metric: 'miou', label: 'mIoU', task: 'segmentation', read: (r) => (r.task === 'segmentation' ? r.miou : null) }

function pct(v: number): string {
  return `${Number((v * 100).toPrecision(4))} %`
}

function points(v: number): string {
  return `${Number((v * 100).toPrecision(3))} point${Math.abs(v * 100) === 1 ? '' : 's'}`
}

function sig(v: number): number {
  return Number(v.toPrecision(3))
}

const cache = new Map<string, Promise<EvaluationResult>>()

/** The evaluation options among a matcher's options (the rest — bounds, latency settings — must not split the cache). */
function evaluationOptions(o: AccuracyOptions): EvaluateOptions {
  const keys = ['batchSize', 'preprocess', 'decoder', 'input', 'output', 'timeBudgetMs', 'limit', 'detection', 'maxDetections', 'ignoreIndex', 'threads', 'interOpThreads', 'graphOptimizationLevel'] as const
  const out: Record<string, unknown> = {}
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]
  return out as EvaluateOptions
}

/** Evaluates (once per worker for the same model file, data set and evaluation options). */
function evaluate(model: ModelHandle, options: AccuracyOptions, context: GateContext, topK: number): Promise<EvaluationResult> {
  const spec = typeof options.dataset === 'string' ? resolve(context.root, options.dataset) : options.dataset
  const rest = evaluationOptions(options)
  const key = JSON.stringify([model.path, model.options, spec, rest, topK])
  let run = cache.get(key)
  if (run === undefined) {
    run = evaluateModel(model, spec, { ...rest, topK: [...new Set([1, 5, topK])], progress: false })
    cache.set(key, run)
    run.catch(() => cache.delete(key))
  }
  return run
}

function checkOptions(options: unknown, matcher: string, keys: KeyList<AccuracyOptions>): AccuracyOptions {
  checkOptionKeys(options, keys, matcher)
  if (typeof options !== 'object' || options === null || !('dataset' in options)) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: pass { dataset: 'path/to/data' } (an ImageFolder, tensor set, detection or segmentation set).`, { value: options })
  }
  const o = options as AccuracyOptions
  if (o.topK !== undefined && !(Number.isSafeInteger(o.topK) && o.topK >= 1)) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: topK must be a positive integer, got ${String(o.topK)}.`, { value: o.topK })
  }
  return o
}

function qualityOf(result: EvaluationResult, q: Quality, matcher: string, label: string): number {
  const value = q.read(result)
  if (result.task !== q.task) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: ${result.dataset.path} is a ${result.task} data set; ${matcher} needs a ${q.task} set.`, { value: result.dataset.path })
  }
  if (value === null) throw new ModelgateError('E_GATE_OPTION', `${matcher}: the ${q.label} of ${label} is undefined (no ground truth in ${result.dataset.path}).`, { value: result.dataset.path })
  return value
}

function describeEvaluation(r: EvaluationResult, root: string): string {
  const decoder = r.decoder === null ? '' : `, decoder ${r.decoder.label}`
  const partial = r.complete ? '' : `, stopped by the ${r.stoppedBy ?? 'limit'}`
  return `${r.evaluated}/${r.dataset.samples} samples of ${projectPath(root, r.dataset.path)}${decoder}${partial}`
}

function recordQuality(state: MatcherState, context: GateContext, model: ModelHandle, q: Quality, value: number, extra: { budget?: number; pass: boolean; note?: string; result: EvaluationResult }): void {
  recordMetric(
    {
      model: projectPath(context.root, model.path),
      metric: q.metric,
      unit: 'ratio',
      direction: 'higher',
      baseline: null,
      current: value,
      deltaPct: null,
      tolerance: {},
      verdict: extra.pass !== (state.isNot === true) ? 'within-budget' : 'over-budget',
      ...(extra.budget === undefined ? {} : { budget: extra.budget }),
      statistics: {
        samples: extra.result.evaluated,
        dataset: projectPath(context.root, extra.result.dataset.path),
        decoder: extra.result.decoder?.label ?? 'none (tensors)',
        samplesPerSec: sig(extra.result.throughput.samplesPerSec),
      },
      ...(extra.note === undefined ? {} : { note: extra.note }),
    },
    state,
  )
}

function thresholdMatcher(matcher: string, keys: KeyList<AccuracyOptions>, quality: (o: AccuracyOptions) => Quality) {
  return function (this: MatcherState, received: unknown, threshold: number, options: AccuracyOptions): Promise<MatcherOutcome> {
    const model = receivedModel(received, matcher)
    positiveNumber(threshold, matcher, 'the threshold')
    const o = checkOptions(options, matcher, keys)
    const q = quality(o)
    const context = gateContext()
    const label = modelLabel(model, context.root)
    const work = (async (): Promise<MatcherOutcome> => {
      const result = await evaluate(model, o, context, o.topK ?? 1)
      const value = qualityOf(result, q, matcher, label)
      const pass = value >= threshold
      recordQuality(this, context, model, q, value, { budget: threshold, pass, result })
      return {
        pass,
        message: () =>
          `${hint(this, matcher, 'threshold')}\n\n${label} reached ${pct(value)} ${q.label} on ${describeEvaluation(result, context.root)}, ` +
          (pass ? `at least the required ${pct(threshold)}; expected less than that.` : `below the required ${pct(threshold)} by ${points(threshold - value)}.`),
      }
    })()
    return guardAsync(this.task, `expect(model)${this.isNot ? '.not' : ''}.${matcher}(${threshold}, { dataset })`, this.isNot === true, work)
  }
}

function toBeBetterTradeoffThan(this: MatcherState, received: unknown, baseline: unknown, options: TradeoffOptions): Promise<MatcherOutcome> {
  const matcher = 'toBeBetterTradeoffThan'
  const model = receivedModel(received, matcher)
  const reference = receivedModel(baseline, `${matcher} (the baseline model)`)
  const o = checkOptions(options, matcher, TRADEOFF_OPTION_KEYS) as TradeoffOptions
  if (typeof o.maxAccuracyDrop !== 'number' || !Number.isFinite(o.maxAccuracyDrop) || o.maxAccuracyDrop < 0) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: maxAccuracyDrop must be a number ≥ 0 (0.01 = one percentage point), got ${String(o.maxAccuracyDrop)}.`, { value: o.maxAccuracyDrop })
  }
  positiveNumber(o.minSpeedup, matcher, 'minSpeedup')
  const topK = o.topK ?? 1
  const q = accuracyQuality(topK)
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const baseLabel = modelLabel(reference, context.root)
  const work = (async (): Promise<MatcherOutcome> => {
    const ours = await evaluate(model, o, context, topK)
    const theirs = await evaluate(reference, o, context, topK)
    const accuracy = qualityOf(ours, q, matcher, label)
    const baseAccuracy = qualityOf(theirs, q, matcher, baseLabel)
    const time = o.time ?? context.bench.time
    const threads = o.threads ?? context.bench.threads
    const cmp = await compareLatency(model, reference, {
      ...(o.batch === undefined ? {} : { batch: o.batch }),
      ...(threads === undefined ? {} : { threads }),
      ...(time === undefined ? {} : { time }),
    })
    if (cmp.verdict === 'incomparable') {
      throw new ModelgateError('E_GATE_OPTION', `${matcher}: ${label} and ${baseLabel} cannot be compared: ${cmp.note ?? 'different conditions'}.`)
    }
    // ratio = median(baseline) / median(model): how many times faster the model is.
    const speedup = cmp.ratio
    const drop = baseAccuracy - accuracy
    const accuracyOk = drop <= o.maxAccuracyDrop + 1e-12
    const speedOk = speedup >= o.minSpeedup
    const pass = accuracyOk && speedOk
    const note = `vs ${baseLabel}: accuracy drop ${points(drop)} (max ${points(o.maxAccuracyDrop)}), ${sig(speedup)}× faster (min ${o.minSpeedup}×)`
    recordQuality(this, context, model, q, accuracy, { pass, note, result: ours })
    recordQuality(this, context, reference, q, baseAccuracy, { pass, note: `the baseline of ${label}'s trade-off`, result: theirs })
    recordMetric(
      {
        model: projectPath(context.root, model.path),
        metric: 'speedup',
        unit: '×',
        direction: 'higher',
        baseline: null,
        current: sig(speedup),
        deltaPct: null,
        tolerance: {},
        verdict: speedOk !== (this.isNot === true) ? 'within-budget' : 'over-budget',
        budget: o.minSpeedup,
        conditions: reportConditions(cmp.conditions),
        statistics: { ciLow: sig(cmp.ci[0]), ciHigh: sig(cmp.ci[1]), versus: projectPath(context.root, reference.path), p50: cmp.a.latencyMs.p50, baselineP50: cmp.b.latencyMs.p50, rounds: cmp.rounds },
        note,
      },
      this,
    )
    const accuracyText = `${label} reached ${pct(accuracy)} ${q.label} against ${pct(baseAccuracy)} for ${baseLabel} (${describeEvaluation(ours, context.root)}): ` +
      `a drop of ${points(drop)}, ${accuracyOk ? 'within' : 'over'} the allowed ${points(o.maxAccuracyDrop)}`
    const speedText = `it ran ${sig(speedup)}× faster (median ${formatMs(cmp.a.latencyMs.p50)} vs ${formatMs(cmp.b.latencyMs.p50)}, 95 % CI ${sig(cmp.ci[0])}–${sig(cmp.ci[1])}×, ` +
      `${cmp.rounds} interleaved rounds), ${speedOk ? 'at least' : 'below'} the required ${o.minSpeedup}×`
    return {
      pass,
      message: () =>
        `${hint(this, matcher, 'baseline')}\n\n${accuracyText};\n${speedText}.\n` +
        (pass ? 'Expected the trade-off to miss a bound.' : `The trade-off misses ${[accuracyOk ? '' : 'the accuracy bound', speedOk ? '' : 'the speed-up bound'].filter(Boolean).join(' and ')}.`),
    }
  })()
  return guardAsync(this.task, `expect(model)${this.isNot ? '.not' : ''}.${matcher}(baseline, { dataset, maxAccuracyDrop: ${String(o.maxAccuracyDrop)}, minSpeedup: ${String(o.minSpeedup)} })`, this.isNot === true, work)
}

/** The accuracy matchers, for `expect.extend`. */
export const ACCURACY_MATCHERS = {
  toHaveAccuracyAbove: thresholdMatcher('toHaveAccuracyAbove', ACCURACY_OPTION_KEYS, (o) => accuracyQuality(o.topK ?? 1)),
  toHaveMapAbove: thresholdMatcher('toHaveMapAbove', MAP_OPTION_KEYS, (o) => ((o as MapOptions).iou === 0.5 ? MAP50 : MAP)),
  toHaveMiouAbove: thresholdMatcher('toHaveMiouAbove', ACCURACY_OPTION_KEYS, () => MIOU),
  toBeBetterTradeoffThan,
}
