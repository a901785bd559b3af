import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BenchCompleted, BenchResult, LatencyComparison } from '../../src/bench/index.js'
import { fakeTask, matcherState, plain, type Outcome } from './state.js'

const bench = vi.hoisted(() => ({ result: undefined as unknown, comparison: undefined as unknown, calls: [] as unknown[] }))

vi.mock('../../src/bench/index.js', () => ({
  benchModel: vi.fn(async (_model: unknown, options: unknown) => {
    bench.calls.push(options)
    return bench.result
  }),
  compareLatency: vi.fn(async (_a: unknown, _b: unknown, options: unknown) => {
    bench.calls.push(options)
    return bench.comparison
  }),
}))

// The plugin's setup file loaded the matchers with the real runner before this file's mock: load them again.
vi.resetModules()
const { MEASURED_MATCHERS } = await import('../../src/matchers/index.js')

const CONV = 'fixtures/conv/model.onnx'
const CONDITIONS = {
  machine: { cpu: 'AMD EPYC', cores: 2, os: 'Linux 6.1 x64', node: 'v20.20.2' },
  engine: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  batch: 1,
  executionMode: 'sequential',
  inputs: [],
  warmup: { iterations: 10, timeMs: 0 },
  measure: { timeMs: 1000, minIterations: 10 },
  timer: 'hrtimeNow',
  isolated: false,
} as const

function completed(p50: number): BenchCompleted {
  return {
    state: 'completed',
    model: CONV,
    latencyMs: { mean: p50 * 1.1, p50, p90: p50 * 1.2, p95: p50 * 1.3, p99: p50 * 1.5, min: p50 * 0.9, max: p50 * 2, sd: p50 * 0.1, mad: p50 * 0.02, rme: 1.5, samples: 250 },
    throughput: { samplesPerSec: 1000 / p50 },
    coldStart: { sessionCreateMs: 5, firstRunMs: 1 },
    memory: { rssBeforeSessionBytes: 0, rssAfterSessionBytes: 0, peakRssBytes: 0, maxRssBytes: null, estimate: null },
    conditions: CONDITIONS,
    energy: { kind: 'estimated', joulesPerInference: null, joulesPerSample: null, source: 'none', note: '' },
  }
}

async function run(matcher: keyof typeof MEASURED_MATCHERS, args: readonly unknown[], isNot = false) {
  const task = fakeTask()
  const fn = MEASURED_MATCHERS[matcher] as (this: unknown, received: unknown, ...args: unknown[]) => Promise<Outcome>
  const outcome = await fn.call(matcherState({ isNot, task }), CONV, ...args)
  return { outcome, rows: task.meta.modelgate?.results ?? [] }
}

beforeEach(() => {
  bench.calls.length = 0
  bench.result = completed(2)
})

describe('toRunUnderMs', () => {
  it('passes when the chosen percentile is within the budget, and records it with its conditions', async () => {
    const { outcome, rows } = await run('toRunUnderMs', [3, { percentile: 'p95', batch: 4, threads: 2 }])
    expect(outcome.pass).toBe(true)
    expect(bench.calls).toEqual([{ batch: 4, threads: 2 }])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ metric: 'latency.p95', unit: 'ms', current: 2.6, budget: 3, verdict: 'within-budget', conditions: { batch: 1, intraOpThreads: 1 } })
    expect(rows[0]!.conditions).not.toHaveProperty('inputs')
  })

  it('fails over the budget with the figure, the run and the excess', async () => {
    const { outcome } = await run('toRunUnderMs', [1.5])
    expect(outcome.pass).toBe(false)
    expect(plain(outcome.message())).toMatchInlineSnapshot(`
      "expect(model).toRunUnderMs(ms)

      fixtures/conv/model.onnx ran in 2 ms at p50 (batch 1, 1 intra-op thread, 250 timed runs, MAD 40 µs), over the budget of 1.5 ms by +33.3 %."
    `)
  })

  it('turns a crashed isolated run into its error', async () => {
    const errored: BenchResult = { state: 'errored', model: CONV, error: { code: 'E_RUN_CRASHED', message: 'The engine crashed.' } }
    bench.result = errored
    await expect(run('toRunUnderMs', [5])).rejects.toMatchObject({ code: 'E_RUN_CRASHED' })
  })

  it('refuses an unknown percentile', async () => {
    await expect(run('toRunUnderMs', [5, { percentile: 'p42' }])).rejects.toMatchObject({ code: 'E_GATE_OPTION' })
  })
})

describe('toHaveThroughputAbove', () => {
  it('compares samples per second, higher being better', async () => {
    expect((await run('toHaveThroughputAbove', [400])).outcome.pass).toBe(true)
    const { outcome, rows } = await run('toHaveThroughputAbove', [600])
    expect(outcome.pass).toBe(false)
    expect(plain(outcome.message())).toMatchInlineSnapshot(`
      "expect(model).toHaveThroughputAbove(samplesPerSec)

      fixtures/conv/model.onnx processed 500 samples/s (batch 1, 1 intra-op thread, 250 timed runs, MAD 40 µs), below the required 600 samples/s."
    `)
    expect(rows[0]).toMatchObject({ metric: 'throughput', direction: 'higher', verdict: 'over-budget' })
  })
})

describe('toBeFasterThan', () => {
  function comparison(ratio: number, ci: [number, number], verdict: LatencyComparison['verdict']): LatencyComparison {
    const side = (p50: number) => ({ model: CONV, latencyMs: completed(p50).latencyMs, throughput: { samplesPerSec: 1000 / p50 }, conditions: CONDITIONS })
    return { verdict, ratio, ci, confidence: 0.95, threshold: 0.1, rounds: 20, method: 'paired', a: side(1), b: side(ratio), conditions: CONDITIONS }
  }

  it('passes when confidently faster by at least `by`', async () => {
    bench.comparison = comparison(5.4, [5.1, 5.7], 'slower')
    const { outcome, rows } = await run('toBeFasterThan', ['fixtures/resnet-heavy/model.onnx', { by: 5 }])
    expect(outcome.pass).toBe(true)
    expect(rows[0]).toMatchObject({ metric: 'latency.p50', baseline: 5.4, current: 1, budget: 1.08, verdict: 'within-budget', note: 'vs fixtures/resnet-heavy/model.onnx: 5.4× faster (required 5×), paired' })
  })

  it('fails short of `by`, or without a confident difference', async () => {
    bench.comparison = comparison(4.1, [3.9, 4.3], 'slower')
    const short = await run('toBeFasterThan', ['fixtures/resnet-heavy/model.onnx', { by: 5 }])
    expect(short.outcome.pass).toBe(false)
    expect(plain(short.outcome.message())).toMatchInlineSnapshot(`
      "expect(model).toBeFasterThan(other)

      fixtures/conv/model.onnx is 4.1× faster than fixtures/resnet-heavy/model.onnx (median 1 ms vs 4.1 ms, 95 % CI of the speed-up 3.9–4.3×, 20 interleaved rounds: confidently faster); short of the required 5×."
    `)
    bench.comparison = comparison(1.02, [0.97, 1.07], 'no-detectable-difference')
    expect((await run('toBeFasterThan', ['fixtures/resnet-heavy/model.onnx'])).outcome.pass).toBe(false)
  })
})
