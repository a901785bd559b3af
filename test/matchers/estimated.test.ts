import { describe, expect, it } from 'vitest'
import { ESTIMATE_MATCHERS } from '../../src/matchers/index.js'
import { analyzeModelSync } from '../../src/analysis/index.js'
import type { DeviceProfile } from '../../src/estimate/index.js'
import { fakeTask, matcherState, plain, type Outcome } from './state.js'

const CONV = 'fixtures/conv/model.onnx'
// 1 GFLOP/s and 1 GB/s with no overheads: the estimate is Σ max(FLOPs, bytes) ns, read off the analysis below.
const SLOW: DeviceProfile = { id: 'slow', name: 'a slow device', peakFlops: { float32: 1e9 }, cores: 1, memoryBandwidth: 1e9, nodeOverheadUs: 0, runOverheadUs: 0, sources: {} }
const expectedMs = analyzeModelSync(CONV).nodes.reduce((s, n) => s + Math.max(n.flops as number, (n.bytesRead as number) + (n.bytesWritten as number)) * 1e-6, 0)

async function run(args: readonly unknown[], isNot = false) {
  const task = fakeTask()
  const fn = ESTIMATE_MATCHERS.toEstimateUnderMs as (this: unknown, received: unknown, ...args: unknown[]) => Promise<Outcome>
  const outcome = await fn.call(matcherState({ isNot, task }), CONV, ...args)
  return { outcome, rows: task.meta.modelgate?.results ?? [] }
}

describe('toEstimateUnderMs', () => {
  it('passes under the budget and records a row labelled as an estimate, with the device', async () => {
    // Conv 3→8 3×3 on 8×8: 27,648 FLOPs dominate → about 0.03 ms on the slow device.
    expect(expectedMs).toBeGreaterThan(0.0276)
    const { outcome, rows } = await run([1, { device: SLOW }])
    expect(outcome.pass).toBe(true)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ metric: 'estimate.latency', unit: 'ms', budget: 1, verdict: 'within-budget', statistics: { kind: 'estimated', device: 'slow' } })
    expect(rows[0]?.current).toBeCloseTo(expectedMs, 9)
    expect(rows[0]?.note).toMatch(/^ESTIMATED on slow \(roofline, not a measurement\)/)
    expect(rows[0]?.conditions).toBeUndefined()
  })

  it('fails over the budget, naming the estimate and the dominating nodes', async () => {
    const { outcome, rows } = await run([0.001, { device: SLOW }])
    expect(outcome.pass).toBe(false)
    expect(rows[0]?.verdict).toBe('over-budget')
    expect(plain(outcome.message())).toMatch(/is ESTIMATED at .* on slow .*not a measurement.*over the budget of 1 µs; dominated by Conv/)
  })

  it('a built-in device works by id; a missing device is E_GATE_OPTION, an unknown one E_DEVICE_PROFILE', async () => {
    expect((await run([1000, { device: 'raspberry-pi-5' }])).outcome.pass).toBe(true)
    await expect(run([1, {}])).rejects.toMatchObject({ code: 'E_GATE_OPTION' })
    await expect(run([1, { device: 'toaster' }])).rejects.toMatchObject({ code: 'E_DEVICE_PROFILE' })
  })
})
