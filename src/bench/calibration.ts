/**
 * Machine calibration: a fixed pure-JS workload timed in the same process as the model, so that a latency
 * recorded on one machine can be set against one recorded on another as `p50 ÷ referenceMs`. The workload is a
 * dense float64 matrix product (CPU-bound, cache-resident, JIT-compiled): it tracks the core's speed, not the
 * engine's SIMD kernels, so normalised figures are comparable only for the same engine version, threads and
 * provider (the verdict is `incomparable` otherwise).
 */
import type { BenchCalibration } from './types.js'
import { median } from './stats.js'

/** Name and version of the workload; a change to it must change this name. */
export const CALIBRATION_WORKLOAD = 'js-matmul-f64-48x48x48x8/v1'

const N = 48

function workload(a: Float64Array, b: Float64Array, c: Float64Array): number {
  for (let rep = 0; rep < 8; rep++) {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0
        for (let k = 0; k < N; k++) sum += (a[i * N + k] as number) * (b[k * N + j] as number)
        c[i * N + j] = sum + rep
      }
    }
  }
  return c[N * N - 1] as number
}

/**
 * Times the workload: 5 untimed runs, then the median of 25 timed ones (hrtime).
 * @returns the median time of one run, ms
 */
export function timeReferenceWorkload(): number {
  const a = Float64Array.from({ length: N * N }, (_, i) => ((i * 7919) % 101) / 101)
  const b = Float64Array.from({ length: N * N }, (_, i) => ((i * 104729) % 103) / 103)
  const c = new Float64Array(N * N)
  let sink = 0
  for (let i = 0; i < 5; i++) sink += workload(a, b, c)
  const times: number[] = []
  for (let i = 0; i < 25; i++) {
    const t0 = process.hrtime.bigint()
    sink += workload(a, b, c)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  // The sink keeps the JIT from dropping the work; it is never NaN for these inputs.
  if (Number.isNaN(sink)) throw new Error('unreachable')
  return median(times)
}

/** The calibration record for a measured median. */
export function calibrate(p50: number): BenchCalibration {
  const referenceMs = timeReferenceWorkload()
  return { workload: CALIBRATION_WORKLOAD, referenceMs, normalizedP50: p50 / referenceMs }
}
