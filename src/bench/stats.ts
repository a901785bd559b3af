/**
 * Pure statistics of latency samples: order statistics, spread, the margin of error of the mean, and the ratio
 * of two medians with a seeded block-bootstrap confidence interval. No clock, no engine: data in, data out.
 *
 * Conventions (stated once, used everywhere):
 * - percentiles interpolate linearly between order statistics (Hyndman–Fan type 7, NumPy's default):
 *   h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]);
 * - `mad` is the unscaled median absolute deviation from the median (no 1.4826 factor), as tinybench reports it;
 * - `sd` is the sample standard deviation (n − 1); `rme` = 100 · t(0.975, n − 1) · sd/√n / mean.
 */

/** Summary of latency samples in milliseconds. */
export interface LatencyStats {
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly min: number
  readonly max: number
  /** Sample standard deviation (n − 1). */
  readonly sd: number
  /** Unscaled median absolute deviation from the median. */
  readonly mad: number
  /** Relative margin of error of the mean at 95 %, in percent. */
  readonly rme: number
  /** Number of timed runs. */
  readonly samples: number
  /** The samples themselves, ascending (only when asked for with `keepSamples`). */
  readonly raw?: readonly number[]
}

/** A sorted copy (ascending) of the values. */
export function sortAscending(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort())
}

/**
 * The p-quantile of ascending values, Hyndman–Fan type 7 (linear interpolation between order statistics).
 * @param sorted ascending values, at least one
 * @param p probability in [0, 1]
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('quantileSorted: no values')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`)
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  const b = sorted[Math.min(lo + 1, n - 1)] as number
  return a + (h - lo) * (b - a)
}

/** The median (type 7: the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return quantileSorted(sortAscending(values), 0.5)
}

/** The arithmetic mean. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean: no values')
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** The sample standard deviation (divisor n − 1); 0 for a single value. */
export function sampleSd(values: readonly number[]): number {
  const n = values.length
  if (n < 2) return 0
  const m = mean(values)
  let ss = 0
  for (const v of values) ss += (v - m) ** 2
  return Math.sqrt(ss / (n - 1))
}

/** The unscaled median absolute deviation: median(|x − median(x)|). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values)
  return median(values.map((v) => Math.abs(v - m)))
}

/** Two-sided 95 % critical values of Student's t for 1–30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
] as const

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: a table up to 30, then the Cornish–Fisher
 * expansion around the normal quantile (error < 1e-4 for df > 30).
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.POSITIVE_INFINITY
  const row = T975[Math.floor(df) - 1]
  if (row !== undefined) return row
  const z = 1.959963984540054
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
}

/**
 * Summarises latency samples (ms).
 * @param samples one latency per timed run, in any order, at least one
 * @param keepSamples also return the samples (ascending) as `raw`
 * @default keepSamples false
 */
export function summarizeLatency(samples: readonly number[], keepSamples = false): LatencyStats {
  if (samples.length === 0) throw new RangeError('summarizeLatency: no samples')
  const sorted = sortAscending(samples)
  const n = sorted.length
  const m = mean(sorted)
  const sd = sampleSd(sorted)
  const p50 = quantileSorted(sorted, 0.5)
  const stats: LatencyStats = {
    mean: m,
    p50,
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    sd,
    mad: medianAbsoluteDeviation(sorted),
    rme: n < 2 || m === 0 ? 0 : (100 * tQuantile975(n - 1) * sd) / Math.sqrt(n) / m,
    samples: n,
  }
  return keepSamples ? { ...stats, raw: sorted } : stats
}

/** mulberry32: a tiny seeded PRNG giving floats in [0, 1). Same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Options of {@link ratioOfMedians}. */
export interface RatioOptions {
  /** Bootstrap replicates. @default 2000 */
  readonly replicates?: number
  /** Two-sided confidence level. @default 0.95 */
  readonly confidence?: number
  /** PRNG seed of the resampling. @default 1 */
  readonly seed?: number
  /** Each round is represented by at most this many of its quantiles in the bootstrap. @default 101 */
  readonly maxPerRound?: number
}

/** The ratio of medians median(B)/median(A) and its confidence interval. */
export interface RatioEstimate {
  readonly ratio: number
  readonly ci: readonly [number, number]
  readonly confidence: number
  readonly replicates: number
}

/** At most `k` evenly spaced quantiles of ascending values (all of them when there are no more than `k`). */
export function thinSorted(sorted: readonly number[], k: number): number[] {
  if (sorted.length <= k) return [...sorted]
  return Array.from({ length: k }, (_, i) => quantileSorted(sorted, i / (k - 1)))
}

function pooledMedian(rounds: readonly (readonly number[])[], picks: readonly number[], scratch: Float64Array): number {
  let n = 0
  for (const r of picks) for (const v of rounds[r] as readonly number[]) scratch[n++] = v
  const view = scratch.subarray(0, n).sort()
  const h = (n - 1) / 2
  const lo = Math.floor(h)
  return (view[lo] as number) + (h - lo) * ((view[Math.min(lo + 1, n - 1)] as number) - (view[lo] as number))
}

/**
 * Ratio of medians median(B)/median(A) over all samples, with a percentile block-bootstrap confidence interval:
 * each replicate draws R rounds with replacement (seeded) and keeps both models' samples of a drawn round together,
 * so drift and noise bursts shared by A and B within a round stay paired. Rounds are thinned to at most
 * `maxPerRound` quantiles in the replicates so the cost does not grow with the sample count.
 * @param roundsA the samples of model A, one array per round
 * @param roundsB the samples of model B, one array per round (same number of rounds)
 * @param options replicates, confidence, seed
 */
export function ratioOfMedians(roundsA: readonly (readonly number[])[], roundsB: readonly (readonly number[])[], options: RatioOptions = {}): RatioEstimate {
  const replicates = options.replicates ?? 2000
  const confidence = options.confidence ?? 0.95
  const maxPerRound = options.maxPerRound ?? 101
  if (roundsA.length === 0 || roundsA.length !== roundsB.length) throw new RangeError('ratioOfMedians: A and B need the same positive number of rounds')
  if (roundsA.some((r) => r.length === 0) || roundsB.some((r) => r.length === 0)) throw new RangeError('ratioOfMedians: empty round')
  const ratio = median(roundsB.flat()) / median(roundsA.flat())
  const thinA = roundsA.map((r) => thinSorted(sortAscending(r), maxPerRound))
  const thinB = roundsB.map((r) => thinSorted(sortAscending(r), maxPerRound))
  const rounds = thinA.length
  const scratch = new Float64Array(rounds * maxPerRound)
  const random = seededRandom(options.seed ?? 1)
  const estimates: number[] = []
  const picks = new Array<number>(rounds).fill(0)
  for (let i = 0; i < replicates; i++) {
    for (let j = 0; j < rounds; j++) picks[j] = Math.floor(random() * rounds)
    estimates.push(pooledMedian(thinB, picks, scratch) / pooledMedian(thinA, picks, scratch))
  }
  const sorted = sortAscending(estimates)
  const tail = (1 - confidence) / 2
  // Thinning can shift a replicate's median by a hair; the interval always contains the full-data estimate.
  const ci: [number, number] = [Math.min(ratio, quantileSorted(sorted, tail)), Math.max(ratio, quantileSorted(sorted, 1 - tail))]
  return { ratio, ci, confidence, replicates }
}
