/**
 * `toMatchBaseline()`: compares a model's figures with its committed baseline entry, Vitest-snapshot style.
 * The matcher only reads baseline files; what an entry should become travels to the reporter (the single
 * writer) through the test's meta.
 */
import { statSync } from 'node:fs'
import type { MatcherState } from 'vitest'
import { COST_MODEL_VERSION } from '../analysis/index.js'
import {
  baselineFileFor, compareFigure, DEFAULT_METRICS, entryKey, isMetricName, METRICS, nextEntry, projectPath, readBaselineFile,
  type BaselineEntry, type BaselineFile, type BaselineMetric, type EntryMetricVerdict,
} from '../baseline/index.js'
import { checkOptionKeys, closestKey, optionKeys } from '../_options.js'
import { TOLERANCE_OPTION_KEYS } from './gate-context.js'
import { isModelgateError, ModelgateError } from '../errors.js'
import type { MetricResult, Tolerance, VerdictKind } from '../report/types.js'
import { reportValue } from '../report/values.js'
import { gateContext, type GateContext } from './context.js'
import { currentFigures, modelIdentity, quantizedSizeNote, type Figure } from './figures.js'
import { evidenceFor, pairWithBaseline, PAIRED_METRICS, recordSessions, type PairingOutcome } from './latency-evidence.js'
import { guardAsync } from './guard.js'
import { MEASURE_OPTION_KEYS, type MeasureOptions } from './measured.js'
import { recordsOf, type GateRecords, type RecordingTask } from './record.js'
import { describe, hint, modelLabel, receivedModel, type MatcherOutcome } from './shared.js'
import type { ModelHandle } from '../model/index.js'
import { renderBaselineMessage, type MessageRow } from './baseline-message.js'

/** Options of `toMatchBaseline`. */
export interface MatchBaselineOptions {
  /**
   * Metrics to compare: built-in keys, or a metric an earlier matcher of the test recorded (`accuracy`).
   * @default the plugin's `metrics`, else the six exact figures (params, macs, flops, sizeBytes, memoryAccessBytes, peakActivationBytes)
   */
  readonly metrics?: readonly string[]
  /** One tolerance for every metric, or one per metric. Overrides the plugin's and the committed ones. */
  readonly tolerance?: Tolerance | Readonly<Record<string, Tolerance>>
  /** Runner settings for measured metrics (batch, threads, time, iterations). */
  readonly bench?: MeasureOptions
  /** The entry's model name in the key. @default the handle's name, else the path relative to the root */
  readonly name?: string
  /**
   * A file holding the baseline's model bytes, for the paired latency run when git cannot give them (checked
   * against the entry's SHA-256). @default found in git or the LFS object store
   */
  readonly baselineModel?: string
}

/** The keys of {@link MatchBaselineOptions}; any other key is refused. */
export const MATCH_BASELINE_OPTION_KEYS = optionKeys<MatchBaselineOptions>({ metrics: true, tolerance: true, bench: true, name: true, baselineModel: true })

interface TestTask extends RecordingTask {
  readonly name: string
  readonly fullTestName?: string
  readonly file: { readonly filepath: string }
}

const usedKeys = new WeakMap<GateRecords, Set<string>>()

/** The key for this call: `<test> › <model>`, numbered when a test checks the same name twice. */
function claimKey(task: TestTask, name: string): string {
  const records = recordsOf(task)
  const used = usedKeys.get(records) ?? new Set<string>()
  usedKeys.set(records, used)
  const base = entryKey(task.fullTestName ?? task.name, name)
  let key = base
  for (let n = 2; used.has(key); n++) key = `${base} (${n})`
  used.add(key)
  return key
}

const committedFiles = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly file: BaselineFile | undefined }>()

/** The committed baseline file (cached while unchanged); undefined when there is none. */
function readCommitted(path: string, display: string): BaselineFile | undefined {
  let stamp: { mtimeMs: number; size: number }
  try {
    stamp = statSync(path)
  } catch {
    return undefined
  }
  const cached = committedFiles.get(path)
  if (cached !== undefined && cached.mtimeMs === stamp.mtimeMs && cached.size === stamp.size) return cached.file
  const file = readBaselineFile(path, display)
  committedFiles.set(path, { mtimeMs: stamp.mtimeMs, size: stamp.size, file })
  return file
}

function isTolerance(value: unknown): value is Tolerance {
  if (typeof value !== 'object' || value === null) return false
  const keys = Object.keys(value)
  return keys.length > 0 && keys.every((k) => k === 'relative' || k === 'absolute')
}

function toleranceFor(metric: string, options: MatchBaselineOptions, context: GateContext, committed: BaselineMetric | undefined): Tolerance {
  const given = options.tolerance
  if (given !== undefined) {
    if (isTolerance(given)) return given
    const own = (given as Readonly<Record<string, Tolerance>>)[metric]
    if (own !== undefined) return own
  }
  return context.tolerance[metric] ?? committed?.tolerance ?? (isMetricName(metric) ? METRICS[metric].tolerance : { absolute: 0 })
}

/**
 * One tolerance (`{ relative?, absolute? }`) or one per metric. An object that is neither (`{ relativ: 0.1 }`)
 * would otherwise read as a tolerance for a metric named `relativ`, and change nothing.
 */
function checkTolerance(tolerance: unknown, matcher: string): void {
  if (tolerance === undefined || isTolerance(tolerance)) return
  const perMetric = typeof tolerance === 'object' && tolerance !== null && !Array.isArray(tolerance) ? Object.entries(tolerance) : []
  const bad = perMetric.find(([, t]) => !isTolerance(t))
  if (perMetric.length > 0 && bad === undefined) return
  if (bad !== undefined) {
    const [key, t] = bad
    if (typeof t === 'object' && t !== null) checkOptionKeys(t, TOLERANCE_OPTION_KEYS, `${matcher} tolerance.${key}`)
    const near = typeof t === 'number' ? closestKey(key, Object.keys(TOLERANCE_OPTION_KEYS)) : undefined
    if (near !== undefined) {
      throw new ModelgateError('E_UNKNOWN_OPTION', `${matcher}: unknown tolerance key ${JSON.stringify(key)}; did you mean ${JSON.stringify(near)}? (valid: relative, absolute, or metric → { relative?, absolute? }).`, { value: key })
    }
  }
  throw new ModelgateError('E_GATE_OPTION', `${matcher}: tolerance must be { relative?, absolute? } or { metric: { relative?, absolute? } }, got ${JSON.stringify(tolerance)}.`, { value: tolerance })
}

function checkMetrics(metrics: unknown): readonly string[] {
  if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string' && m !== '')) {
    throw new ModelgateError('E_GATE_OPTION', `toMatchBaseline: metrics must be a non-empty array of metric names, got ${describe(metrics)}.`, { value: metrics })
  }
  return [...new Set(metrics as string[])]
}

function toMatchBaseline(this: MatcherState, received: unknown, options: MatchBaselineOptions = {}): Promise<MatcherOutcome> {
  const matcher = 'toMatchBaseline'
  const model = receivedModel(received, matcher)
  if (typeof options !== 'object' || options === null) throw new ModelgateError('E_GATE_OPTION', `${matcher}: options must be an object, got ${describe(options)}.`, { value: options })
  checkOptionKeys(options, MATCH_BASELINE_OPTION_KEYS, matcher)
  checkOptionKeys(options.bench, MEASURE_OPTION_KEYS, `${matcher} options.bench`)
  checkTolerance(options.tolerance, matcher)
  const task = this.task as TestTask | undefined
  if (task === undefined) throw new ModelgateError('E_GATE_OPTION', `${matcher} must run inside a test: its entry is keyed by the test's name.`)
  const context = gateContext()
  const metrics = checkMetrics(options.metrics ?? (context.metrics.length > 0 ? context.metrics : DEFAULT_METRICS))
  const label = options.name ?? modelLabel(model, context.root)
  const fileAbs = baselineFileFor(context.root, context.baselineDir, task.file.filepath)
  const file = projectPath(context.root, fileAbs)
  const key = claimKey(task, label)

  const work = (async (): Promise<MatcherOutcome> => {
    let committed: BaselineFile | undefined
    let brokenNote: string | undefined
    try {
      committed = readCommitted(fileAbs, file)
    } catch (error) {
      // A broken file fails every check, unless this run rewrites it.
      if (!isModelgateError(error) || context.update !== 'all') throw error
      brokenNote = `${error.message.split('. ')[0]}: rewritten from this run`
    }
    const previous = committed?.entries[key]
    const bench = options.bench ?? {}
    const pairing = await pairIfChanged(model, metrics, previous, context, options)
    const figures = await currentFigures(model, metrics, label, context, task, bench, pairing?.comparison)
    const current = currentEntry(model, context, figures, (metric) => toleranceFor(metric, options, context, previous?.metrics[metric]))
    const verdicts: Record<string, EntryMetricVerdict> = {}
    const rows: MessageRow[] = []
    for (const [metric, figure] of figures) {
      const base = previous?.metrics[metric]
      const tolerance = current.metrics[metric]!.tolerance
      const measured = figure.kind === 'measured'
      const evidence = measured && previous !== undefined ? evidenceFor(metric, previous, current, pairing) : undefined
      const comparison = base === undefined ? undefined : compareFigure(metric, base, figure, { kind: measured ? 'measured' : 'exact', tolerance, calibrated: context.calibrated, ...(evidence === undefined ? {} : { evidence }) })
      verdicts[metric] = comparison?.verdict ?? 'new'
      rows.push({ metric, figure, tolerance, baseline: base?.value ?? null, verdict: comparison?.verdict ?? 'new', deltaPct: comparison?.deltaPct ?? null, note: joinNotes(comparison?.note, quantizedSizeNote(model, metric)), statistics: comparison?.statistics, pairing: comparison?.pairing })
    }
    const next = nextEntry(previous, current, verdicts, context.update)
    if (next !== null) {
      const firstValues = new Map([...figures].filter(([, f]) => f.kind === 'measured').map(([m, f]) => [m, Number(f.value)]))
      await recordSessions(model, next, current, firstValues, context, bench)
    }
    const records = recordsOf(task)
    records.baselines.push({ file, key, next })
    const failing = context.update === 'all' ? [] : rows.filter((r) => r.verdict === 'regression' || (r.verdict === 'new' && context.update === 'none'))
    for (const row of rows) records.results.push(resultRow(projectPath(context.root, model.path), row, context, next !== null, failing.includes(row), brokenNote))
    const pass = failing.length === 0
    return {
      pass,
      message: () => renderBaselineMessage({ hint: hint(this, matcher, 'options'), label, file, key, rows, failing, update: context.update, isNot: this.isNot === true, previous, current, brokenNote }),
    }
  })()
  return guardAsync(task, `expect(model)${this.isNot ? '.not' : ''}.${matcher}()`, this.isNot === true, work)
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const given = notes.filter((n): n is string => n !== undefined && n !== '')
  return given.length === 0 ? undefined : given.join('; ')
}

function currentEntry(model: { readonly path: string; readonly options: { readonly shapes?: Readonly<Record<string, readonly number[]>>; readonly dims?: Readonly<Record<string, number>> } }, context: GateContext, figures: ReadonlyMap<string, Figure>, tolerance: (metric: string) => Tolerance): BaselineEntry {
  const metrics: BaselineEntry['metrics'] = {}
  for (const [metric, f] of figures) {
    const t = tolerance(metric)
    const m: BaselineMetric = { value: f.value, unit: f.unit, direction: f.direction, tolerance: { ...(t.relative !== undefined ? { relative: t.relative } : {}), ...(t.absolute !== undefined ? { absolute: t.absolute } : {}) } }
    if (f.statistics !== undefined) m.statistics = f.statistics
    if (f.conditions !== undefined) m.conditions = f.conditions
    metrics[metric] = m
  }
  const shapes: Record<string, number[]> = {}
  for (const [name, dims] of Object.entries(model.options.shapes ?? {})) shapes[name] = [...dims]
  return {
    model: projectPath(context.root, model.path),
    ...modelIdentity(model.path),
    costModelVersion: COST_MODEL_VERSION,
    shapes,
    dims: { ...(model.options.dims ?? {}) },
    metrics,
  }
}

function resultRow(model: string, row: MessageRow, context: GateContext, written: boolean, failing: boolean, brokenNote: string | undefined): Omit<MetricResult, 'test'> {
  let verdict: VerdictKind = row.verdict
  if (context.update === 'all' && written && (row.verdict === 'regression' || row.verdict === 'improvement' || row.verdict === 'incomparable')) verdict = 'updated'
  const notes = [row.note, failing && row.verdict === 'new' ? 'no baseline entry, and CI never writes one' : undefined, brokenNote].filter((n): n is string => n !== undefined)
  return {
    model,
    metric: row.metric,
    unit: row.figure.unit,
    direction: row.figure.direction,
    // a count past 2^53 stays its exact decimal digits, as in the baseline file
    baseline: row.baseline === null ? null : reportValue(row.baseline),
    current: reportValue(row.figure.value),
    deltaPct: row.deltaPct,
    tolerance: row.tolerance,
    verdict,
    ...(row.figure.conditions !== undefined ? { conditions: row.figure.conditions } : {}),
    ...(row.statistics !== undefined ? { statistics: row.statistics } : {}),
    ...(row.pairing !== undefined ? { pairing: row.pairing } : {}),
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  }
}

/**
 * The paired run against the baseline's bytes, when the model changed and a median-based measured metric
 * (latency.p50, throughput) has a committed figure; undefined when none is needed.
 */
async function pairIfChanged(model: ModelHandle, metrics: readonly string[], previous: BaselineEntry | undefined, context: GateContext, options: MatchBaselineOptions): Promise<PairingOutcome | undefined> {
  if (previous === undefined) return undefined
  const committedMeasured = metrics.filter((m) => isMetricName(m) && METRICS[m].kind === 'measured' && previous.metrics[m] !== undefined)
  if (committedMeasured.length === 0 || modelIdentity(model.path).sha256 === previous.sha256) return undefined
  const paired = committedMeasured.find((m) => PAIRED_METRICS.includes(m))
  if (paired === undefined) return { reason: 'the paired run compares medians; percentiles beyond p50 are judged against the recorded figure' }
  const tolerance = toleranceFor(paired, options, context, previous.metrics[paired])
  return pairWithBaseline(model, previous, context, options.bench ?? {}, tolerance.relative ?? 0.1, options.baselineModel)
}

/** The baseline matcher, for `expect.extend`. */
export const BASELINE_MATCHERS = {
  toMatchBaseline,
}
