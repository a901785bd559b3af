/**
 * The verdict of a measured figure (latency percentile, throughput) against its baseline. Pure.
 *
 * The dominant noise of a latency figure is between runs (process placement, neighbours, CPU frequency: 5–15 %
 * on a shared 2-core machine), which no interval computed from one process's samples can see. So a verdict is
 * claimed only from evidence that covers it:
 * - `same-model`: the model's SHA-256 and the measurement conditions equal the baseline entry's. Any measured
 *   difference is noise by construction: verdict `pass` ("unchanged (same model)"), never regression or
 *   improvement. Differing conditions make it `incomparable`, naming the fields.
 * - `paired`: the baseline's bytes were recovered and run interleaved with the current model in one process
 *   (compareLatency). With r = median(current)/median(baseline bytes), its 95 % interval [lo, hi] and threshold
 *   t: `regression` when lo > 1 + t, `improvement` when hi < 1/(1 + t), `pass` when the interval lies inside
 *   (1/(1 + t), 1 + t), else `inconclusive`, stating the smallest slowdown the interval could have called:
 *   (1 + t)·r/lo − 1.
 * - `unpaired`: the old bytes cannot be had. The interval is a 95 % prediction interval for one new run from the
 *   spread of the independent sessions (child processes) the baseline recorded when it was written:
 *   r·exp(±t(0.975, k−1)·s·√(1 + 1/k)), s = sample SD of the k sessions' log values. The same bounds as above
 *   decide. Without recorded sessions no regression or improvement is ever claimed: `inconclusive` when r is
 *   beyond a bound, else `pass`, and the note says why.
 * Improvements obey the same rules as regressions. r is always oriented so that r > 1 is worse (throughput:
 * baseline/current).
 */
import { mean, sampleSd, tQuantile975 } from '../bench/stats.js'
import type { BaselineMetric } from './baseline.generated.js'

/** How a measured verdict was reached. */
export type LatencyPairing = 'paired' | 'same-model' | 'unpaired'

/** A paired run of the baseline's bytes against the current model, interleaved in one process. */
export interface PairedEvidence {
  /** median(current) ÷ median(baseline bytes): > 1 means the current model is slower. */
  readonly ratio: number
  /** 95 % confidence interval of `ratio`. */
  readonly ci: readonly [number, number]
  /** Interleaved rounds measured. */
  readonly rounds: number
  /** Wall time of the paired run, ms. */
  readonly elapsedMs: number
  /** Why sampling stopped: the interval cleared the decision bounds, or the time cap was reached. */
  readonly stoppedBy: 'decided' | 'time-cap'
  /** Medians of the baseline's bytes and of the current model in the paired run, ms. */
  readonly baselineMs: number
  readonly currentMs: number
  /** Where the baseline's bytes came from, in words (`git object 3f2a…`, `LFS object store`, a path …). */
  readonly source: string
}

/** What the gate knows beyond the two figures. */
export interface MeasuredEvidence {
  /** The model's SHA-256 equals the baseline entry's. */
  readonly sameModel: boolean
  /** The paired run, when the baseline's bytes were recovered. */
  readonly paired?: PairedEvidence
  /** Why there is no paired run (shallow clone, bytes not found …), for the note of an unpaired verdict. */
  readonly unpairedReason?: string
  /** Differences outside the conditions object (input shapes, dims), in words. */
  readonly otherDifferences?: readonly string[]
}

/** A measured verdict. */
export interface MeasuredJudgement {
  readonly verdict: 'pass' | 'regression' | 'improvement' | 'inconclusive' | 'incomparable'
  readonly pairing: LatencyPairing
  readonly note: string
  readonly statistics?: Readonly<Record<string, number | string | null>>
}

/** The three possible outcomes of an interval against the bounds 1/(1 + t) and 1 + t. */
export function intervalVerdict(ci: readonly [number, number], threshold: number): 'regression' | 'improvement' | 'pass' | 'undecided' {
  const upper = 1 + threshold
  if (ci[0] > upper) return 'regression'
  if (ci[1] < 1 / upper) return 'improvement'
  if (ci[0] > 1 / upper && ci[1] < upper) return 'pass'
  return 'undecided'
}

/**
 * The smallest slowdown an interval of this relative width would have called a regression: the true ratio R
 * is called when R·lo/r > 1 + t, so R − 1 = (1 + t)·r/lo − 1.
 */
export function smallestDetectableChange(ratio: number, ci: readonly [number, number], threshold: number): number {
  return ((1 + threshold) * ratio) / ci[0] - 1
}

/** Sample SD of the logs of positive values (k − 1 divisor). */
export function logSpread(values: readonly number[]): number {
  return sampleSd(values.map(Math.log))
}

/** The central value of the sessions: their geometric mean (the mean of the logs the spread is taken around). */
export function sessionsCenter(values: readonly number[]): number {
  return Math.exp(mean(values.map(Math.log)))
}

/** Inputs of {@link judgeMeasured}. */
export interface JudgeMeasuredInput {
  readonly baseline: BaselineMetric
  /** The current value and direction, after any calibration scaling (baseline's value likewise). */
  readonly baselineValue: number
  readonly currentValue: number
  readonly direction: 'lower' | 'higher'
  readonly threshold: number
  /** Absolute tolerance in the metric's unit, if any. */
  readonly absolute?: number | undefined
  /** Condition differences (machine, engine, threads, batch, shapes …), already filtered for calibration. */
  readonly differences: readonly string[]
  readonly evidence: MeasuredEvidence
  /** Prefix for notes (calibration). */
  readonly notePrefix?: string
}

/**
 * Judges a measured figure (see the module comment for the rules).
 * @returns the verdict, how it was reached (`pairing`), a note in words and the figures behind it
 */
export function judgeMeasured(input: JudgeMeasuredInput): MeasuredJudgement {
  const { evidence, threshold, direction } = input
  const t = formatPct(threshold)
  const prefix = input.notePrefix ?? ''
  if (evidence.sameModel && evidence.paired === undefined) {
    if (input.differences.length > 0) {
      return { verdict: 'incomparable', pairing: 'same-model', note: `same model (SHA-256 equal), but measured under different conditions: ${input.differences.join(', ')}` }
    }
    const ratio = worseRatio(input.baselineValue, input.currentValue, direction)
    return {
      verdict: 'pass',
      pairing: 'same-model',
      statistics: { ratio: round(ratio), threshold },
      note: `unchanged (same model): the SHA-256 and the measurement conditions equal the baseline's, so the ${formatSignedPct(ratio - 1)} difference between the runs is noise; no latency verdict`,
    }
  }
  if (evidence.paired !== undefined) {
    const p = evidence.paired
    const stats = { ratio: round(p.ratio), ciLow: round(p.ci[0]), ciHigh: round(p.ci[1]), threshold, confidence: 0.95, rounds: p.rounds, pairedMs: Math.round(p.elapsedMs), stoppedBy: p.stoppedBy }
    const head = `paired with the baseline's bytes (${p.source}) in ${p.rounds} interleaved rounds (${formatSeconds(p.elapsedMs)}): ratio ${round(p.ratio)} (95 % CI ${round(p.ci[0])}–${round(p.ci[1])}, current/baseline), threshold ${t}`
    // the tolerance is in the metric's unit: ms for latency; for throughput, the committed figure scaled by the paired speed change
    const pairedDifference = direction === 'lower' ? Math.abs(p.currentMs - p.baselineMs) : Math.abs(input.baselineValue * (p.baselineMs / p.currentMs - 1))
    if (input.absolute !== undefined && pairedDifference <= input.absolute) return { verdict: 'pass', pairing: 'paired', statistics: stats, note: `${head}; within the absolute tolerance` }
    const v = intervalVerdict(p.ci, threshold)
    if (v === 'regression') return { verdict: 'regression', pairing: 'paired', statistics: stats, note: `${head}: slower beyond the threshold` }
    if (v === 'improvement') return { verdict: 'improvement', pairing: 'paired', statistics: stats, note: `${head}: faster beyond the threshold` }
    if (v === 'pass') return { verdict: 'pass', pairing: 'paired', statistics: stats, note: `${head}: within the threshold` }
    const detectable = smallestDetectableChange(p.ratio, p.ci, threshold)
    return {
      verdict: 'inconclusive',
      pairing: 'paired',
      statistics: { ...stats, smallestDetectable: round(detectable) },
      note: `${head}: undecided at the time cap; the smallest slowdown this run could have detected is ${formatPct(detectable)}`,
    }
  }
  // Unpaired.
  const reason = evidence.unpairedReason === undefined ? '' : ` (${evidence.unpairedReason})`
  if (input.differences.length > 0) {
    return { verdict: 'incomparable', pairing: 'unpaired', note: `unpaired${reason}, and measured under different conditions: ${input.differences.join(', ')}` }
  }
  const ratio = worseRatio(input.baselineValue, input.currentValue, direction)
  const upper = 1 + threshold
  const beyond = ratio > upper || ratio < 1 / upper
  if (input.absolute !== undefined && Math.abs(input.currentValue - input.baselineValue) <= input.absolute) {
    return { verdict: 'pass', pairing: 'unpaired', statistics: { ratio: round(ratio), threshold }, note: `${prefix}unpaired${reason}: ratio ${round(ratio)}; within the absolute tolerance` }
  }
  const sessions = input.baseline.statistics?.sessions
  if (sessions === undefined || sessions.length < 2) {
    return {
      verdict: beyond ? 'inconclusive' : 'pass',
      pairing: 'unpaired',
      statistics: { ratio: round(ratio), threshold },
      note: `${prefix}unpaired${reason}: ratio ${round(ratio)} (current/baseline), threshold ${t}; the baseline records no between-run spread, and one process's samples cannot show it, so no regression or improvement is claimed`,
    }
  }
  const k = sessions.length
  const spread = logSpread(sessions)
  const half = tQuantile975(k - 1) * spread * Math.sqrt(1 + 1 / k)
  const ci: [number, number] = [ratio * Math.exp(-half), ratio * Math.exp(half)]
  const statistics = { ratio: round(ratio), ciLow: round(ci[0]), ciHigh: round(ci[1]), threshold, confidence: 0.95, sessions: k, sessionSpread: round(spread) }
  const head = `${prefix}unpaired${reason}: ratio ${round(ratio)} (95 % prediction interval ${round(ci[0])}–${round(ci[1])} from the spread of ${k} baseline sessions, SD ${formatPct(spread)}), threshold ${t}`
  const v = intervalVerdict(ci, threshold)
  if (v === 'regression') return { verdict: 'regression', pairing: 'unpaired', statistics, note: `${head}: slower beyond what separate runs of the same model show` }
  if (v === 'improvement') return { verdict: 'improvement', pairing: 'unpaired', statistics, note: `${head}: faster beyond what separate runs of the same model show` }
  return { verdict: beyond ? 'inconclusive' : 'pass', pairing: 'unpaired', statistics, note: beyond ? `${head}: beyond the threshold, but within what separate runs show` : head }
}

/** r > 1 is worse: current/baseline when lower is better, baseline/current when higher is. */
function worseRatio(baseline: number, current: number, direction: 'lower' | 'higher'): number {
  return direction === 'lower' ? current / baseline : baseline / current
}

function round(v: number): number {
  return Number(v.toPrecision(4))
}

function formatPct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`
}

function formatSignedPct(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${formatPct(Math.abs(fraction))}`
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`
}
