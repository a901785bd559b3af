import { describe, expect, it } from 'vitest'
import type { BenchCompleted, LatencyComparison } from '../../src/bench/index.js'
import { fmtBytes, fmtNum, renderBenchText, renderComparisonText, renderProgress } from '../../src/bench/render-text.js'

const latency = { mean: 1.0512, p50: 1.0234, p90: 1.1, p95: 1.15, p99: 1.4, min: 0.98, max: 3.2, sd: 0.08, mad: 0.02, rme: 0.9, samples: 950 }
const conditions: BenchCompleted['conditions'] = {
  machine: { cpu: 'AMD EPYC', cores: 2, os: 'Linux 6.1 x64', node: 'v20.20.2' },
  engine: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  batch: 1,
  executionMode: 'sequential',
  inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 224, 224] }],
  warmup: { iterations: 10, timeMs: 100 },
  measure: { timeMs: 1000, minIterations: 10 },
  timer: 'hrtimeNow',
  isolated: true,
}
const result: BenchCompleted = {
  state: 'completed',
  model: 'model.onnx',
  latencyMs: latency,
  throughput: { samplesPerSec: 977.1 },
  coldStart: { sessionCreateMs: 141.5, firstRunMs: 3.25 },
  memory: { rssBeforeSessionBytes: 104_128_512, rssAfterSessionBytes: 131_080_768, peakRssBytes: 146_726_912, maxRssBytes: 150_000_000, estimate: { weightsBytes: 2_048_000, peakActivationBytes: 1_584_000, totalBytes: 3_632_000 } },
  conditions,
  energy: { kind: 'estimated', joulesPerInference: 3.55e-4, joulesPerSample: 3.55e-4, source: 'Horowitz', note: 'no energy counters readable on this machine; float32 arithmetic' },
  calibration: { workload: 'js-matmul-f64-48x48x48x8/v1', referenceMs: 1.2766, normalizedP50: 0.8017 },
  batchSweep: [
    { batch: 1, latencyMs: latency, throughput: { samplesPerSec: 977.1 } },
    { batch: 8, latencyMs: { ...latency, p50: 6.5, p90: 7, p99: 9 }, throughput: { samplesPerSec: 1230.8 } },
  ],
}

describe('terminal rendering of the runner', () => {
  it('formats numbers to 4 significant digits and bytes in powers of 1000', () => {
    expect([fmtNum(1.23456), fmtNum(0.000123456), fmtNum(12345.6), fmtNum(1000)]).toEqual(['1.235', '0.0001235', '12,346', '1000'])
    expect([fmtBytes(999), fmtBytes(1_500), fmtBytes(131_080_768)]).toEqual(['999 B', '1.5 KB', '131.1 MB'])
  })

  it('renders a bench result', () => {
    expect(renderBenchText(result)).toMatchInlineSnapshot(`
      "model.onnx · onnxruntime-node 1.30.0 (cpu) · 1 intra-op thread · optimisation all · batch 1

        latency      p50 1.023 ms · p90 1.1 · p95 1.15 · p99 1.4 · mean 1.051 ± 0.9 % · min 0.98 · max 3.2 · mad 0.02 (950 runs)
        throughput   977.1 samples/s
        cold start   session 141.5 ms · first run 3.25 ms
        memory       RSS 104.1 MB → 131.1 MB with the session · peak 146.7 MB (process max 150.0 MB) · static estimate: weights 2.0 MB + peak activations 1.6 MB
        energy       355 µJ per inference (estimated; no energy counters readable on this machine; float32 arithmetic)
        calibration  p50 = 0.8017 × reference (js-matmul-f64-48x48x48x8/v1: 1.277 ms)
        inputs       x float32 [1, 3, 224, 224]
        warm-up      10 runs, ≥ 100 ms · measured ≥ 1000 ms, ≥ 10 runs · in a child process
        machine      AMD EPYC · 2 cores · Linux 6.1 x64 · Node v20.20.2

        batch   p50 ms   p90 ms   p99 ms   samples/s
        1         1.023      1.1      1.4   977.1
        8           6.5        7        9   1231
      "
    `)
  })

  it('renders an errored result as one line', () => {
    expect(renderBenchText({ state: 'errored', model: 'hang.onnx', error: { code: 'E_RUN_TIMEOUT', message: 'did not finish.' } })).toBe('hang.onnx: E_RUN_TIMEOUT: did not finish.\n')
  })

  it('renders a comparison', () => {
    const comparison: LatencyComparison = {
      verdict: 'slower',
      ratio: 1.1234,
      ci: [1.101, 1.142],
      confidence: 0.95,
      threshold: 0.1,
      rounds: 20,
      method: 'ratio of medians …',
      a: { model: 'a.onnx', latencyMs: latency, throughput: { samplesPerSec: 977.1 }, conditions },
      b: { model: 'b.onnx', latencyMs: { ...latency, p50: 1.15 }, throughput: { samplesPerSec: 869.6 }, conditions },
      conditions,
    }
    expect(renderComparisonText(comparison)).toMatchInlineSnapshot(`
      "a.onnx vs b.onnx · onnxruntime-node 1.30.0 (cpu) · 1 intra-op thread · optimisation all · batch 1

        A        a.onnx: p50 1.023 ms · p90 1.1 · p95 1.15 · p99 1.4 · mean 1.051 ± 0.9 % · min 0.98 · max 3.2 · mad 0.02 (950 runs)
        B        b.onnx: p50 1.15 ms · p90 1.1 · p95 1.15 · p99 1.4 · mean 1.051 ± 0.9 % · min 0.98 · max 3.2 · mad 0.02 (950 runs)
        B / A    1.123 (+12.34 %), 95 % CI 1.101–1.142
        verdict  slower (threshold 10 %)
        method   ratio of medians …
      "
    `)
  })

  it('renders a progress line', () => {
    expect(renderProgress({ phase: 'measure', model: 'm.onnx', batch: 8, fraction: 0.425 }, 2345)).toBe('modelgate bench: m.onnx · batch 8 · measure 43 % · 2.3 s')
  })
})
