/**
 * Paired comparison of two models (or one model with itself) in one process: both sessions open side by side,
 * warmed up alternately, then measured in rounds whose order alternates (A B, B A, A B, …, i.e. A B B A A B …),
 * so drift, frequency changes and noise bursts fall on both. The ratio of medians gets a confidence interval
 * from a seeded block bootstrap over the rounds, and the verdict follows the rule in `verdict.ts`.
 */
import { ModelgateError } from '../errors.js'
import type { ModelRef } from '../model/index.js'
import { benchConditions } from './conditions.js'
import { engineSettings, engineVersion, runError } from './engine.js'
import { feedsFor, openModel, type OpenedModel } from './measure.js'
import { sampleLatency } from './sampler.js'
import { median, ratioOfMedians, summarizeLatency, type RatioEstimate } from './stats.js'
import type { BenchConditions, CompareOptions, CompareSideOptions, ComparedSide, LatencyComparison } from './types.js'
import { comparabilityIssue, DEFAULT_THRESHOLD, guardBand, latencyVerdict } from './verdict.js'

const BOOTSTRAP_REPLICATES = 2000

function positive(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ModelgateError('E_BENCH_OPTION', `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}.`, { value })
  }
  return value
}

function sideOptions(options: CompareOptions, side: CompareSideOptions | undefined): CompareSideOptions {
  const threads = side?.threads ?? options.threads
  const interOpThreads = side?.interOpThreads ?? options.interOpThreads
  const graphOptimizationLevel = side?.graphOptimizationLevel ?? options.graphOptimizationLevel
  const engine = side?.engine ?? options.engine
  const executionProviders = side?.executionProviders ?? options.executionProviders
  return {
    ...(engine === undefined ? {} : { engine }),
    ...(executionProviders === undefined ? {} : { executionProviders }),
    ...(threads === undefined ? {} : { threads }),
    ...(interOpThreads === undefined ? {} : { interOpThreads }),
    ...(graphOptimizationLevel === undefined ? {} : { graphOptimizationLevel }),
    shapes: { ...options.shapes, ...side?.shapes },
    dims: { ...options.dims, ...side?.dims },
    inputs: { ...options.inputs, ...side?.inputs },
  }
}

/**
 * Rounds for a measuring time: blocks of ≥ 10 ms and ≥ 2 runs, between 4 and 100 rounds. Short blocks keep the
 * A and B runs of a round close in time, so load changes on a shared machine fall on both.
 */
export function autoRounds(timeMs: number, runMs: number): number {
  const blockMs = Math.max(10, 2 * runMs)
  return Math.min(100, Math.max(4, Math.floor(timeMs / blockMs)))
}

/**
 * The decision bounds of adaptive sampling: the caller's, or the verdict rule's guard band 1/(1 + t/2), 1 + t/2.
 */
function decisionBounds(options: CompareOptions, threshold: number): readonly [number, number] {
  if (options.bounds === undefined) return guardBand(threshold)
  const [lo, hi] = options.bounds
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo < 1 && hi > 1)) {
    throw new ModelgateError('E_BENCH_OPTION', `bounds must be [lower < 1, upper > 1], both positive, got ${JSON.stringify(options.bounds)}.`, { value: options.bounds })
  }
  return [lo, hi]
}

/** True when no decision bound lies inside the interval: it is above, below or between them. */
export function intervalClear(ci: readonly [number, number], bounds: readonly [number, number]): boolean {
  return bounds.every((b) => !(ci[0] <= b && b <= ci[1]))
}

/** Samples per round kept in the bootstrap: fewer as rounds accumulate, so a check stays well under a second. */
function perRoundCap(rounds: number): number {
  return Math.max(3, Math.min(101, Math.floor(20_000 / rounds)))
}

/** The method of a comparison, in words (stored with the result). */
export function comparisonMethod(rounds: number, threshold: number): string {
  const guard = (threshold / 2) * 100
  return `ratio of medians median(B)/median(A) over ${rounds} rounds interleaved A B | B A | …; 95 % CI by a seeded block bootstrap over rounds (${BOOTSTRAP_REPLICATES} replicates); ` +
    `slower when the CI's lower bound exceeds 1 + ${guard.toFixed(1)} % (half the ${(threshold * 100).toFixed(1)} % threshold), faster when its upper bound is below 1/(1 + ${guard.toFixed(1)} %)`
}

/**
 * Compares two models in this process.
 * @param isolated true when this process is the comparison's own child
 */
export async function compareInProcess(a: ModelRef, b: ModelRef, options: CompareOptions, isolated: boolean): Promise<LatencyComparison> {
  const time = positive('time', options.time, 1000, false)
  const fixedRounds = options.rounds === undefined ? undefined : positive('rounds', options.rounds, 1, true)
  const threshold = positive('threshold', options.threshold, DEFAULT_THRESHOLD, false)
  const warmupIterations = options.warmupIterations ?? 10
  if (!Number.isInteger(warmupIterations) || warmupIterations < 0) throw new ModelgateError('E_BENCH_OPTION', `warmupIterations must be a non-negative integer, got ${JSON.stringify(warmupIterations)}.`, { value: warmupIterations })
  const optsA = sideOptions(options, options.a)
  const optsB = sideOptions(options, options.b)
  const seed = options.seed ?? 0
  const maxTime = options.maxTime === undefined ? undefined : positive('maxTime', options.maxTime, 15_000, false)
  const started = Date.now()
  const openedA = await openModel(a, optsA)
  let openedB: OpenedModel | undefined
  try {
    openedB = await openModel(b, optsB)
    const sides = [openedA, openedB].map((opened) => {
      const { resolved, feeds } = feedsFor(opened, options.batch, seed)
      const name = opened.prepared.name
      const run = (): Promise<unknown> => opened.session.run(feeds).catch((error: unknown) => {
        throw runError(error, name)
      })
      return { name, opened, resolved, run, rounds: [] as number[][] }
    })
    const [sideA, sideB] = sides as [typeof sides[number], typeof sides[number]]
    const warmupMs: number[] = []
    for (let i = 0; i < Math.max(1, warmupIterations); i++) {
      for (const side of [sideA, sideB]) {
        const t0 = process.hrtime.bigint()
        await side.run()
        warmupMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    }
    const chunk = fixedRounds ?? autoRounds(time, median(warmupMs))
    const loop = { timeMs: time / chunk, minIterations: 1, warmupIterations: 0, warmupTimeMs: 0 }
    const bounds = decisionBounds(options, threshold)
    let estimate: RatioEstimate
    let stoppedBy: 'decided' | 'time-cap' | undefined
    for (;;) {
      const chunkStart = Date.now()
      const first = sideA.rounds.length
      for (let r = first; r < first + chunk; r++) {
        for (const side of r % 2 === 0 ? [sideA, sideB] : [sideB, sideA]) {
          const { samples } = await sampleLatency(side.run, loop)
          side.rounds.push([...samples])
        }
        const fraction = maxTime === undefined ? (r + 1) / chunk : Math.min(1, (Date.now() - started) / maxTime)
        options.onProgress?.({ phase: 'measure', model: `${sideA.name} vs ${sideB.name}`, fraction })
      }
      estimate = ratioOfMedians(sideA.rounds, sideB.rounds, { replicates: BOOTSTRAP_REPLICATES, seed: seed + 1, maxPerRound: perRoundCap(sideA.rounds.length) })
      if (maxTime === undefined) break
      if (intervalClear(estimate.ci, bounds)) {
        stoppedBy = 'decided'
        break
      }
      // Stop when one more chunk would pass the cap.
      if (Date.now() - started + (Date.now() - chunkStart) > maxTime) {
        stoppedBy = 'time-cap'
        break
      }
    }
    const rounds = sideA.rounds.length
    const conditionsOf = (side: typeof sideA, opts: CompareSideOptions): BenchConditions => {
      const settings = engineSettings(opts)
      return benchConditions({
        engineVersion: engineVersion(side.opened.ort, settings.engine),
        settings,
        batch: side.resolved.batch,
        specs: side.resolved.specs,
        warmup: { iterations: Math.max(1, warmupIterations), timeMs: 0 },
        measure: { timeMs: time, minIterations: rounds },
        isolated,
      })
    }
    const summary = (side: typeof sideA, conditions: BenchConditions): ComparedSide => {
      const latencyMs = summarizeLatency(side.rounds.flat())
      return { model: side.name, latencyMs, throughput: { samplesPerSec: (side.resolved.batch * 1000) / latencyMs.p50 }, conditions }
    }
    const conditions = conditionsOf(sideA, optsA)
    const conditionsB = conditionsOf(sideB, optsB)
    const issue = comparabilityIssue(conditions, conditionsB)
    return {
      verdict: issue === null ? latencyVerdict(estimate.ci, threshold) : 'incomparable',
      ratio: estimate.ratio,
      ci: estimate.ci,
      confidence: estimate.confidence,
      threshold,
      rounds,
      method: comparisonMethod(rounds, threshold) + (maxTime === undefined ? '' : `; adaptive: chunks of ${chunk} rounds until the CI is clear of ${bounds[0].toFixed(4)} and ${bounds[1].toFixed(4)} or ${maxTime} ms have passed`),
      elapsedMs: Date.now() - started,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
      a: summary(sideA, conditions),
      b: summary(sideB, conditionsB),
      conditions,
      ...(issue === null ? {} : { note: issue }),
    }
  } finally {
    await openedA.session.release()
    await openedB?.session.release()
  }
}
