/**
 * Comparing a current figure with its baseline: verdicts as data. Pure.
 *
 * Exact metrics (params, size, MACs, FLOPs, memory): a change in the bad direction beyond the tolerance is a
 * `regression`, one in the good direction beyond it an `improvement`, anything else `pass`. The tolerance allows
 * the larger of `absolute` and `relative` × baseline; by default 0.
 *
 * Measured metrics (latency percentiles, throughput): r = current/baseline (baseline/current for throughput, so
 * r > 1 is always worse), with a 95 % interval from the two runs' statistics (standard error of a percentile,
 * σ from the scaled MAD, combined in log space). With threshold t (`tolerance.relative`, default 10 %):
 * `regression` when the interval's low end exceeds 1 + t (confidently slower by more than t); `improvement` when
 * its high end is below 1/(1 + t); `inconclusive` when the point estimate is beyond either bound but the interval
 * is not; `pass` otherwise. Different measurement conditions make the verdict `incomparable`, unless calibrated
 * comparison is on and only the machine differs: then both figures are divided by their machine's calibration
 * time first.
 */
import type { BaselineConditions, BaselineMetric, BaselineStatistics, BaselineTolerance } from './baseline.generated.js'

/** What a comparison can conclude. */
export type CompareVerdict = 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'incomparable'

/** The current figure of one metric. */
export interface CurrentFigure {
  /** A number, or the decimal digits of an exact count past 2^53 (as in the baseline file). */
  readonly value: number | string
  readonly unit: string
  readonly direction: 'lower' | 'higher'
  readonly statistics?: BaselineStatistics
  readonly conditions?: BaselineConditions
}

/** Options of {@link compareFigure}. */
export interface CompareFigureOptions {
  /** Exact or measured comparison. */
  readonly kind: 'exact' | 'measured'
  readonly tolerance: BaselineTolerance
  /** Compare measured figures across machines through the runner's calibration workload. @default false */
  readonly calibrated?: boolean
}

/** The outcome of one comparison. */
export interface FigureComparison {
  readonly verdict: CompareVerdict
  /** (current − baseline) / baseline × 100; null when the baseline is 0. */
  readonly deltaPct: number | null
  /** Why: the interval of a measured verdict, the conditions that differ … */
  readonly note?: string
  /** Ratio and interval of a measured verdict (r > 1 is worse). */
  readonly statistics?: Readonly<Record<string, number | string | null>>
}

/** Standard error of the p-quantile of a normal sample, in units of σ/√n: √(p(1−p)) / φ(z_p). */
const QUANTILE_SE_FACTOR: Readonly<Record<string, number>> = { p50: 1.2533, p90: 1.7094, p95: 2.1132, p99: 3.7325 }

/** MAD → σ for a normal distribution. */
const MAD_TO_SD = 1.4826

const Z95 = 1.959964

/**
 * Compares a figure with its baseline.
 * @param metric the metric key (`latency.p95` picks the p95 standard error)
 * @param baseline the committed figure
 * @param current this run's figure
 */
export function compareFigure(metric: string, baseline: BaselineMetric, current: CurrentFigure, options: CompareFigureOptions): FigureComparison {
  const base = Number(baseline.value)
  const deltaPct = base === 0 ? null : (Number(exactDifference(current.value, baseline.value)) / Math.abs(base)) * 100
  if (options.kind === 'exact') return { verdict: compareExact(baseline.value, current.value, current.direction, options.tolerance), deltaPct }
  return compareMeasured(metric, baseline, current, options, deltaPct)
}

/** a − b, exact for integer counts past 2^53 (decimal strings, or numbers a double holds exactly). */
function exactDifference(a: number | string, b: number | string): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b
    if (Number.isSafeInteger(d) || !Number.isInteger(a) || !Number.isInteger(b)) return d
  }
  if ((typeof a === 'number' && !Number.isInteger(a)) || (typeof b === 'number' && !Number.isInteger(b))) return Number(a) - Number(b)
  return BigInt(a) - BigInt(b)
}

/** The allowance of a tolerance at a baseline value: max(absolute, relative × |baseline|). */
export function allowance(tolerance: BaselineTolerance, baseline: number): number {
  return Math.max(tolerance.absolute ?? 0, (tolerance.relative ?? 0) * Math.abs(baseline))
}

function compareExact(baseline: number | string, current: number | string, direction: 'lower' | 'higher', tolerance: BaselineTolerance): CompareVerdict {
  const allowed = allowance(tolerance, Number(baseline))
  // a BigInt difference compares exactly with the (number) allowance
  const worse = direction === 'lower' ? exactDifference(current, baseline) : exactDifference(baseline, current)
  if (worse > allowed) return 'regression'
  if (-worse > allowed) return 'improvement'
  return 'pass'
}

function compareMeasured(metric: string, baseline: BaselineMetric, current: CurrentFigure, options: CompareFigureOptions, deltaPct: number | null): FigureComparison {
  // measured figures are plain numbers (only exact counts can be decimal strings)
  let base = Number(baseline.value)
  let cur = Number(current.value)
  let calibrationNote = ''
  const differences = conditionDifferences(baseline.conditions, current.conditions)
  if (differences.length > 0) {
    const onlyMachine = differences.every((d) => d.startsWith('machine'))
    const baseRef = baseline.statistics?.referenceMs
    const curRef = current.statistics?.referenceMs
    if (options.calibrated !== true || !onlyMachine || baseRef === undefined || curRef === undefined) {
      const hint = onlyMachine ? (options.calibrated === true ? ' (no calibration time recorded on both sides)' : ' (enable calibrated comparison, or update the baseline on this machine)') : ''
      return { verdict: 'incomparable', deltaPct, note: `measured under different conditions: ${differences.join(', ')}${hint}` }
    }
    // Calibration: latency ∝ machine speed, so dividing by the reference workload's time cancels it.
    const scale = current.direction === 'lower' ? 1 : -1
    base *= baseRef ** -scale
    cur *= curRef ** -scale
    calibrationNote = `calibrated by the machines' reference workload (${round(baseRef)} ms → ${round(curRef)} ms); `
  }
  const threshold = options.tolerance.relative ?? 0.1
  const ratio = current.direction === 'lower' ? cur / base : base / cur
  const percentile = metric.startsWith('latency.') ? metric.slice('latency.'.length) : 'p50'
  const se = Math.hypot(relativeError(baseline.statistics, percentile), relativeError(current.statistics, percentile))
  const low = ratio * Math.exp(-Z95 * se)
  const high = ratio * Math.exp(Z95 * se)
  const statistics = { ratio: round(ratio), ciLow: round(low), ciHigh: round(high), threshold, confidence: 0.95 }
  const interval = `${calibrationNote}ratio ${round(ratio)} (95 % CI ${round(low)}–${round(high)}, ${current.direction === 'lower' ? 'current/baseline' : 'baseline/current'}), threshold ${formatPct(threshold)}`
  const absolute = options.tolerance.absolute
  if (absolute !== undefined && Math.abs(Number(current.value) - Number(baseline.value)) <= absolute) {
    return { verdict: 'pass', deltaPct, statistics, note: `${interval}; within the absolute tolerance` }
  }
  const upper = 1 + threshold
  if (low > upper) return { verdict: 'regression', deltaPct, statistics, note: `${interval}: confidently worse` }
  if (high < 1 / upper) return { verdict: 'improvement', deltaPct, statistics, note: `${interval}: confidently better` }
  if (ratio > upper || ratio < 1 / upper) return { verdict: 'inconclusive', deltaPct, statistics, note: `${interval}: beyond the threshold, but not confidently` }
  return { verdict: 'pass', deltaPct, statistics, note: interval }
}

/** Relative standard error of a percentile from a run's statistics; 0 when they are missing. */
function relativeError(stats: BaselineStatistics | undefined, percentile: string): number {
  if (stats === undefined) return 0
  const value = percentileOf(stats, percentile) ?? stats.p50
  const sigma = stats.mad !== undefined && stats.mad > 0 ? stats.mad * MAD_TO_SD : stats.sd
  if (value === undefined || value <= 0 || sigma === undefined) return 0
  return ((QUANTILE_SE_FACTOR[percentile] ?? QUANTILE_SE_FACTOR.p50!) * sigma) / (value * Math.sqrt(stats.samples))
}

function percentileOf(stats: BaselineStatistics, percentile: string): number | undefined {
  switch (percentile) {
    case 'p90':
      return stats.p90
    case 'p95':
      return stats.p95
    case 'p99':
      return stats.p99
    default:
      return stats.p50
  }
}

/**
 * The conditions that differ between two measurements, in words; machine differences start with `machine`.
 * Node's version and the OS release are not compared: they do not run the model.
 */
export function conditionDifferences(a: BaselineConditions | undefined, b: BaselineConditions | undefined): string[] {
  if (a === undefined || b === undefined) return a === b ? [] : ['conditions recorded on one side only']
  const out: string[] = []
  const check = (label: string, x: string | number, y: string | number): void => {
    if (x !== y) out.push(`${label} ${x} vs ${y}`)
  }
  check('machine cpu', a.machine.cpu, b.machine.cpu)
  check('machine cores', a.machine.cores, b.machine.cores)
  check('machine os', osFamily(a.machine.os), osFamily(b.machine.os))
  check('engine', a.engine.name, b.engine.name)
  check('onnxruntime', a.engine.version, b.engine.version)
  check('execution provider', a.engine.executionProvider, b.engine.executionProvider)
  check('intra-op threads', a.intraOpThreads, b.intraOpThreads)
  check('inter-op threads', a.interOpThreads, b.interOpThreads)
  check('graph optimization', a.graphOptimizationLevel, b.graphOptimizationLevel)
  check('batch', a.batch, b.batch)
  return out
}

/** `Linux 6.8.0-1017-azure x64` → `Linux x64`: a kernel update does not make timings incomparable. */
function osFamily(os: string): string {
  const parts = os.split(' ')
  return parts.length >= 3 ? `${parts[0]} ${parts[parts.length - 1]}` : os
}

function round(v: number): number {
  return Number(v.toPrecision(4))
}

function formatPct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))} %`
}
