/**
 * Comparing a current figure with its baseline: verdicts as data. Pure.
 *
 * Exact metrics (params, size, MACs, FLOPs, memory): a change in the bad direction beyond the tolerance is a
 * `regression`, one in the good direction beyond it an `improvement`, anything else `pass`. The tolerance allows
 * the larger of `absolute` and `relative` × baseline; by default 0.
 *
 * Measured metrics (latency percentiles, throughput) are judged by `latency.ts`: the same bytes under the same
 * conditions give no verdict (`pass`, "unchanged (same model)"); changed bytes are judged on a paired run against
 * the baseline's bytes when the gate could recover them, else on an interval that includes the between-run spread
 * recorded in the baseline. Different measurement conditions make the verdict `incomparable`, unless calibrated
 * comparison is on and only the machine differs: then both figures are divided by their machine's calibration
 * time first.
 */
import type { BaselineConditions, BaselineMetric, BaselineStatistics, BaselineTolerance } from './baseline.generated.js'
import { judgeMeasured, type LatencyPairing, type MeasuredEvidence } from './latency.js'

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
  /** Measured metrics: same bytes, a paired run, or why there is none. @default unpaired, no reason given */
  readonly evidence?: MeasuredEvidence
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
  /** Measured verdicts: whether the verdict came from a paired run, the same bytes, or an unpaired comparison. */
  readonly pairing?: LatencyPairing
}

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
  return compareMeasured(baseline, current, options, deltaPct)
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

function compareMeasured(baseline: BaselineMetric, current: CurrentFigure, options: CompareFigureOptions, deltaPct: number | null): FigureComparison {
  // measured figures are plain numbers (only exact counts can be decimal strings)
  let base = Number(baseline.value)
  let cur = Number(current.value)
  let notePrefix = ''
  const evidence: MeasuredEvidence = options.evidence ?? { sameModel: false }
  let differences = [...conditionDifferences(baseline.conditions, current.conditions), ...(evidence.otherDifferences ?? [])]
  // A paired run measures both models now, under this run's conditions: the committed figure's conditions do not matter.
  if (differences.length > 0 && evidence.paired === undefined && !evidence.sameModel) {
    const onlyMachine = differences.every((d) => d.startsWith('machine'))
    const baseRef = baseline.statistics?.referenceMs
    const curRef = current.statistics?.referenceMs
    if (options.calibrated === true && onlyMachine && baseRef !== undefined && curRef !== undefined) {
      // Calibration: latency ∝ machine speed, so dividing by the reference workload's time cancels it.
      const scale = current.direction === 'lower' ? 1 : -1
      base *= baseRef ** -scale
      cur *= curRef ** -scale
      notePrefix = `calibrated by the machines' reference workload (${round(baseRef)} ms → ${round(curRef)} ms); `
      differences = []
    } else if (onlyMachine) {
      differences = differences.map((d, i) => (i === differences.length - 1 ? `${d}${options.calibrated === true ? ' (no calibration time recorded on both sides)' : ' (enable calibrated comparison, or update the baseline on this machine)'}` : d))
    }
  }
  const judgement = judgeMeasured({
    baseline,
    baselineValue: base,
    currentValue: cur,
    direction: current.direction,
    threshold: options.tolerance.relative ?? 0.1,
    absolute: options.tolerance.absolute,
    differences,
    evidence,
    notePrefix,
  })
  return { verdict: judgement.verdict, deltaPct, note: judgement.note, pairing: judgement.pairing, ...(judgement.statistics === undefined ? {} : { statistics: judgement.statistics }) }
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
