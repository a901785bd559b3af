/**
 * The timed loop: tinybench with precise timestamps and retained samples. The timed section is the function
 * given (for the runner: `session.run(feeds)` on tensors prepared beforehand, awaited inside); memory sampling
 * and progress reports run in tinybench's `afterEach`, outside the clock.
 */
import { Bench } from 'tinybench'
import { ModelgateError } from '../errors.js'

/** How long to warm up and measure. */
export interface LoopSettings {
  /** Minimum measuring time, ms, counted over timed runs (tinybench `time`). */
  readonly timeMs: number
  /** Minimum timed runs (tinybench `iterations`). */
  readonly minIterations: number
  readonly warmupIterations: number
  readonly warmupTimeMs: number
}

/** Callbacks around the loop. */
export interface SamplerHooks {
  /** After warm-up, just before the first timed run. */
  readonly onStart?: () => void
  /** At most every 200 ms: the phase and the fraction done. */
  readonly onProgress?: (phase: 'warmup' | 'measure', fraction: number) => void
}

/** What a loop gives back. */
export interface SamplerResult {
  /** One latency per timed run, ms, ascending (tinybench sorts them). */
  readonly samples: readonly number[]
  /** Highest RSS sampled (every ≥ 5 ms) during warm-up and measurement. */
  readonly peakRssBytes: number
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6

/**
 * Runs `fn` under tinybench and returns the samples.
 * @throws whatever `fn` throws (tinybench `throws: true`)
 */
export async function sampleLatency(fn: () => Promise<unknown>, loop: LoopSettings, hooks: SamplerHooks = {}): Promise<SamplerResult> {
  const warmup = loop.warmupIterations > 0 || loop.warmupTimeMs > 0
  const bench = new Bench({
    time: loop.timeMs,
    iterations: loop.minIterations,
    warmup,
    warmupIterations: loop.warmupIterations,
    warmupTime: loop.warmupTimeMs,
    retainSamples: true,
    timestampProvider: 'hrtimeNow',
    throws: true,
  })
  let peakRssBytes = process.memoryUsage.rss()
  let lastRss = 0
  let lastProgress = nowMs()
  let phaseStart = lastProgress
  let count = 0
  let phase: 'warmup' | 'measure' = 'warmup'
  bench.addEventListener('start', () => {
    phase = 'measure'
    count = 0
    phaseStart = nowMs()
    hooks.onStart?.()
  })
  bench.add('session.run', fn, {
    async: true,
    afterEach: () => {
      count++
      const t = nowMs()
      if (t - lastRss >= 5) {
        lastRss = t
        peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())
      }
      if (hooks.onProgress !== undefined && t - lastProgress >= 200) {
        lastProgress = t
        const [time, iterations] = phase === 'warmup' ? [loop.warmupTimeMs, loop.warmupIterations] : [loop.timeMs, loop.minIterations]
        const fraction = Math.min(1, Math.min(time > 0 ? (t - phaseStart) / time : 1, iterations > 0 ? count / iterations : 1))
        hooks.onProgress(phase, fraction)
      }
    },
  })
  await bench.run()
  const result = bench.getTask('session.run')?.result
  if (result?.state !== 'completed' || result.latency.samples === undefined) {
    throw new ModelgateError('E_INTERNAL', `tinybench ended in state ${JSON.stringify(result?.state)} without samples.`, { value: result?.state })
  }
  return { samples: result.latency.samples, peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()) }
}
