/**
 * The gate's report: what the Vitest reporter writes to `modelgate-report.json` at the end of a run, and what
 * every renderer (markdown, terminal, PR comment, Pareto chart, merge of shards) reads. Plain JSON data.
 */

/** How one metric compares with its baseline. */
export type VerdictKind =
  /** within tolerance of the baseline */
  | 'pass'
  /** worse than the baseline beyond tolerance (exact metrics) or confidently slower (measured metrics) */
  | 'regression'
  /** better than the baseline beyond tolerance */
  | 'improvement'
  /** no baseline entry yet (written on a local run; fails on CI) */
  | 'new'
  /** a baseline entry no test produced in this run */
  | 'obsolete'
  /** a measured difference that the statistics cannot call (not a failure) */
  | 'inconclusive'
  /** measured under other conditions (engine version, threads, provider, machine) and not calibrated */
  | 'incomparable'
  /** rewritten in update mode (-u / --update-baselines) */
  | 'updated'
  /** a budget assertion (toHaveMacsBelow …) without a baseline: passed or failed against its limit */
  | 'within-budget'
  | 'over-budget'

/** Which direction is better. */
export type Direction = 'lower' | 'higher'

/** Tolerance of a metric: the change allowed in the bad direction. */
export interface Tolerance {
  /** Fraction of the baseline, e.g. 0.1 = 10 %. */
  readonly relative?: number
  /** In the metric's unit. */
  readonly absolute?: number
}

/** The conditions a measured figure was taken under. Every latency figure carries these. */
export interface MeasurementConditions {
  readonly machine: { readonly cpu: string; readonly cores: number; readonly os: string; readonly node: string }
  readonly engine: { readonly name: 'onnxruntime-node' | 'onnxruntime-web'; readonly version: string; readonly executionProvider: string }
  readonly intraOpThreads: number
  readonly interOpThreads: number
  readonly graphOptimizationLevel: string
  readonly batch: number
}

/** One metric of one model in one run. */
export interface MetricResult {
  /** Model path relative to the project root (forward slashes). */
  readonly model: string
  /** Metric key: `params`, `macs`, `flops`, `sizeBytes`, `memoryAccessBytes`, `peakActivationBytes`, `latency.p50` … `latency.p99`, `throughput`, `accuracy`, or a custom name. */
  readonly metric: string
  /** Unit, always explicit: `params`, `MACs`, `FLOPs`, `bytes`, `ms`, `samples/s`, `ratio` … */
  readonly unit: string
  readonly direction: Direction
  /**
   * The committed figure: a number, or the decimal digits of an exact count past 2^53 (`"1208925819614629174706176"`),
   * as in the analysis JSON and the baseline files. Null when there is none (`new`, budget rows).
   */
  readonly baseline: number | string | null
  /** This run's figure: a number, or the decimal digits of an exact count past 2^53. Null for `obsolete`. */
  readonly current: number | string | null
  /** (current − baseline) / baseline × 100; null when either is missing or the baseline is 0. */
  readonly deltaPct: number | null
  readonly tolerance: Tolerance
  /** The absolute limit of a budget assertion (`toHaveMacsBelow(5e9)` → 5e9), shown as the row's limit. Optional. */
  readonly budget?: number
  readonly verdict: VerdictKind
  /** Measured metrics only. */
  readonly conditions?: MeasurementConditions
  /** Statistics behind a measured verdict (ratio of medians and its confidence interval, samples …). */
  readonly statistics?: Readonly<Record<string, number | string | null>>
  /**
   * Measured metrics against a baseline: how the verdict was reached. `same-model` (the SHA-256 and the
   * conditions equal the baseline's: no verdict, the figure is shown), `paired` (the baseline's bytes run
   * interleaved with the model in this job) or `unpaired` (the old bytes could not be had: judged against the
   * recorded figure and its between-run spread).
   */
  readonly pairing?: 'paired' | 'same-model' | 'unpaired'
  /** A short human explanation (why inconclusive / incomparable …). */
  readonly note?: string
  /** The test that produced it: file relative to the root, full name, line. */
  readonly test?: { readonly file: string; readonly name: string; readonly line?: number }
}

/** The whole report of a run (or of merged shards). */
export interface GateReport {
  readonly schema: 'modelgate-report/1'
  readonly modelgateVersion: string
  readonly costModelVersion: string
  /** Shards merged into this report, e.g. ['1/2', '2/2']; empty for an unsharded run. */
  readonly shards: readonly string[]
  readonly results: readonly MetricResult[]
  /** The command that updates the baselines, shown in the comment. */
  readonly updateCommand: string
}
