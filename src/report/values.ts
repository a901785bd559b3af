/**
 * How the report's figures read: verdict labels, metric names, values with explicit units, Δ and limits.
 * Shared by the markdown and the terminal renderers, so both say the same thing.
 */
import { dimFromBigInt, dimToBigInt } from '../analysis/dims.js'
import { formatBytes, formatExact, formatSi } from './format.js'
import type { GateReport, MetricResult, VerdictKind } from './types.js'

/** How each verdict is shown; `rank` orders the "what changed" table (most urgent first). */
export const VERDICT_STYLES: Readonly<Record<VerdictKind, { readonly emoji: string; readonly label: string; readonly plural: string; readonly rank: number; readonly changed: boolean; readonly failing: boolean }>> = {
  regression: { emoji: '❌', label: 'regression', plural: 'regressions', rank: 0, changed: true, failing: true },
  'over-budget': { emoji: '❌', label: 'over budget', plural: 'over budget', rank: 1, changed: true, failing: true },
  inconclusive: { emoji: '⚠️', label: 'inconclusive', plural: 'inconclusive', rank: 2, changed: true, failing: false },
  incomparable: { emoji: '❔', label: 'incomparable', plural: 'incomparable', rank: 3, changed: true, failing: false },
  new: { emoji: '🆕', label: 'new', plural: 'new', rank: 4, changed: true, failing: false },
  obsolete: { emoji: '🗑️', label: 'obsolete', plural: 'obsolete', rank: 5, changed: true, failing: false },
  improvement: { emoji: '⚡', label: 'improvement', plural: 'improvements', rank: 6, changed: true, failing: false },
  updated: { emoji: '✏️', label: 'updated', plural: 'updated', rank: 7, changed: true, failing: false },
  pass: { emoji: '✅', label: 'unchanged', plural: 'unchanged', rank: 8, changed: false, failing: false },
  'within-budget': { emoji: '✅', label: 'within budget', plural: 'within budget', rank: 9, changed: false, failing: false },
}

/**
 * A result's verdict label, with how a measured verdict was reached: `unchanged (same model)`,
 * `regression (paired)`, `inconclusive (unpaired)` …
 */
export function verdictLabel(result: MetricResult): string {
  const label = VERDICT_STYLES[result.verdict].label
  return result.pairing === undefined ? label : `${label} (${result.pairing === 'same-model' ? 'same model' : result.pairing})`
}

/** Verdict counts in headline order, zero counts left out: `[['regression', 2], ['pass', 14]]`. */
export function countVerdicts(results: readonly MetricResult[]): [VerdictKind, number][] {
  const counts = new Map<VerdictKind, number>()
  for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1)
  return [...counts].sort((a, b) => VERDICT_STYLES[a[0]].rank - VERDICT_STYLES[b[0]].rank)
}

/** The summary line: `2 regressions · 1 inconclusive · 14 unchanged` (singular for one). */
export function summarizeVerdicts(results: readonly MetricResult[]): string {
  const counts = countVerdicts(results)
  if (counts.length === 0) return 'no metrics recorded'
  return counts.map(([kind, n]) => `${n} ${n === 1 ? VERDICT_STYLES[kind].label : VERDICT_STYLES[kind].plural}`).join(' · ')
}

/** Results in reading order: by model, then metric, then test. */
export function sortResults(results: readonly MetricResult[]): MetricResult[] {
  return [...results].sort(compareResults)
}

/** Total order on results (model, metric, test file, test name, verdict) used for sorting and merging. */
export function compareResults(a: MetricResult, b: MetricResult): number {
  return (
    cmp(a.model, b.model) ||
    metricRank(a.metric) - metricRank(b.metric) ||
    cmp(a.metric, b.metric) ||
    cmp(a.test?.file ?? '', b.test?.file ?? '') ||
    cmp(a.test?.name ?? '', b.test?.name ?? '') ||
    cmp(a.verdict, b.verdict)
  )
}

/** The changed results, most urgent first. */
export function changedResults(results: readonly MetricResult[]): MetricResult[] {
  return sortResults(results.filter((r) => VERDICT_STYLES[r.verdict].changed)).sort((a, b) => VERDICT_STYLES[a.verdict].rank - VERDICT_STYLES[b.verdict].rank)
}

const METRIC_ORDER = ['params', 'macs', 'flops', 'sizeBytes', 'bitsPerWeight', 'memoryAccessBytes', 'peakActivationBytes', 'footprintBytes']

/** Static figures first (params, MACs, FLOPs, size, memory), then latency, throughput, accuracy, custom metrics. */
function metricRank(metric: string): number {
  const i = METRIC_ORDER.indexOf(metric)
  if (i >= 0) return i
  if (metric.startsWith('latency.') || metric === 'estimate.latency') return 10
  return metric === 'throughput' ? 11 : metric === 'accuracy' ? 12 : 13
}

const METRIC_LABELS: Readonly<Record<string, string>> = {
  params: 'params',
  macs: 'MACs',
  flops: 'FLOPs',
  sizeBytes: 'size',
  bitsPerWeight: 'bits/weight',
  memoryAccessBytes: 'memory access',
  peakActivationBytes: 'peak activations',
  footprintBytes: 'memory footprint',
  throughput: 'throughput',
  accuracy: 'accuracy',
  'estimate.latency': 'latency (ESTIMATED)',
}

/** `latency.p50` → `latency p50`, `macs` → `MACs`; custom names unchanged. */
export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? (metric.startsWith('latency.') ? `latency ${metric.slice('latency.'.length)}` : metric)
}

/** Milliseconds with three significant digits, in µs below 1 ms and s from 1000 ms. */
export function formatMs(ms: number): string {
  if (ms !== 0 && Math.abs(ms) < 1) return `${sig(ms * 1000)} µs`
  if (Math.abs(ms) >= 1000) return `${sig(ms / 1000)} s`
  return `${sig(ms)} ms`
}

/**
 * A figure as a report row holds it: a number, or the decimal digits of an exact count past 2^53 (a decimal
 * string within the safe range becomes its number, so one value has one form).
 */
export function reportValue(value: number | string): number | string {
  if (typeof value === 'number') return value
  const exact = dimToBigInt(value)
  return exact === undefined ? value : dimFromBigInt(exact)
}

/**
 * A value with its unit, e.g. `4.089 G MACs`, `97.49 MiB`, `12.3 ms`, `78.50 %`. `exact` prints every digit
 * (every digit of a count past 2^53 too: `1,208,925,819,614,629,174,706,177 MACs`).
 */
export function formatValue(value: number | string | null, unit: string, exact = false): string {
  if (value === null) return '—'
  if (typeof value === 'string') return unit === 'bytes' ? (exact ? `${formatExact(value)} B` : formatBytes(value)) : `${exact ? formatExact(value) : formatSi(value)} ${unit}`
  switch (unit) {
    case 'bytes':
      return exact ? `${formatExact(value)} B` : formatBytes(value)
    case 'ms':
      return exact ? `${value} ms` : formatMs(value)
    case 'ratio':
      return exact ? `${(value * 100).toFixed(4)} %` : `${percent(value * 100)} %`
    case '%':
      return exact ? `${value} %` : `${percent(value)} %`
    default:
      return `${exact ? formatExact(value) : formatSi(value)} ${unit}`
  }
}

/** Baseline and current of a result; when both round to the same text but differ, every digit is shown. */
export function formatPair(result: MetricResult): [string, string] {
  const a = formatValue(result.baseline, result.unit)
  const b = formatValue(result.current, result.unit)
  if (a === b && !sameValue(result.baseline, result.current)) return [formatValue(result.baseline, result.unit, true), formatValue(result.current, result.unit, true)]
  return [a, b]
}

/** Equal figures: a count past 2^53 (digits) compares exactly with another. */
function sameValue(a: number | string | null, b: number | string | null): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a !== null && b !== null && dimToBigInt(a) !== undefined && dimToBigInt(a) === dimToBigInt(b)
  return a === b
}

/**
 * `+21.5 %`, `-3.20 %`, `±0 %`, `—` when there is no Δ. A change too small for two decimals keeps two
 * significant digits (`+8.3e-23 %`: one MAC more at 2^80), so a regression never reads `+0.00 %`.
 */
export function formatDelta(deltaPct: number | null): string {
  if (deltaPct === null || !Number.isFinite(deltaPct)) return '—'
  if (deltaPct === 0) return '±0 %'
  const digits = Math.abs(deltaPct) < 10 ? 2 : 1
  const text = Math.abs(deltaPct) < 0.005 ? String(Number(deltaPct.toPrecision(2))) : deltaPct.toFixed(digits)
  return `${deltaPct > 0 ? '+' : ''}${text} %`
}

/** The limit a result was held to: a budget (`≤ 5 M params`), a tolerance (`+10 %`) or `exact`. */
export function formatLimit(result: MetricResult): string {
  const budget = result.budget ?? numberStat(result, 'budget') ?? numberStat(result, 'limit')
  if (result.verdict === 'within-budget' || result.verdict === 'over-budget' || (result.baseline === null && budget !== undefined)) {
    if (budget === undefined) return 'budget'
    return `${result.direction === 'lower' ? '≤' : '≥'} ${formatValue(budget, result.unit)}`
  }
  const sign = result.direction === 'lower' ? '+' : '-'
  const parts: string[] = []
  const { relative, absolute } = result.tolerance
  if (relative !== undefined && relative > 0) parts.push(`${sign}${Number((relative * 100).toPrecision(4))} %`)
  // An absolute tolerance of a percentage is in percentage points, not a relative change.
  if (absolute !== undefined && absolute > 0) parts.push(result.unit === 'ratio' || result.unit === '%' ? `${sign}${Number((absolute * (result.unit === 'ratio' ? 100 : 1)).toPrecision(4))} pp` : `${sign}${formatValue(absolute, result.unit)}`)
  return parts.length === 0 ? 'exact' : parts.join(' / ')
}

/** The conditions of the measured results, one text per distinct set (machine, engine, threads). */
export function describeConditions(report: GateReport): string[] {
  const seen = new Set<string>()
  for (const r of report.results) {
    const c = r.conditions
    if (c === undefined) continue
    const m = c.machine
    seen.add(
      `machine ${m.cpu} ×${m.cores}, ${m.os}, node ${m.node} · engine ${c.engine.name} ${c.engine.version} (${c.engine.executionProvider}, ${c.graphOptimizationLevel}) · threads intra-op ${c.intraOpThreads}, inter-op ${c.interOpThreads} · batch ${c.batch}`,
    )
  }
  return [...seen].sort()
}

/** 77 → "77.0", 78.5 → "78.5", 76.125 → "76.13": at least one decimal, at most two. */
function percent(v: number): string {
  const s = v.toFixed(2)
  return s.endsWith('0') ? s.slice(0, -1) : s
}

function numberStat(result: MetricResult, key: string): number | undefined {
  const v = result.statistics?.[key]
  return typeof v === 'number' ? v : undefined
}

function sig(v: number): string {
  return String(Number(v.toPrecision(3)))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
