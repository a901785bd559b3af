import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { autoRounds, intervalClear } from '../../src/bench/compare.js'
import { compareLatency } from '../../src/bench/index.js'
import { writeMatMulChain } from './models.js'

const QUICK = { time: 60, rounds: 4, warmupIterations: 2 } as const

describe('compareLatency', () => {
  let dir = ''
  let base = ''
  let bigger = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-compare-'))
    base = writeMatMulChain(dir, 'base', { rows: 'N', width: 32, layers: 2 })
    bigger = writeMatMulChain(dir, 'bigger', { rows: 'N', width: 32, layers: 2, extra: [32] })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('a model compared with itself gets a verdict in the allowed set, with a ratio inside its interval', async () => {
    const c = await compareLatency(base, base, QUICK)
    expect(['faster', 'slower', 'no-detectable-difference']).toContain(c.verdict)
    expect(c.ci[0]).toBeLessThanOrEqual(c.ratio)
    expect(c.ratio).toBeLessThanOrEqual(c.ci[1])
    expect(c).toMatchObject({ threshold: 0.1, rounds: 4, confidence: 0.95 })
    expect(JSON.parse(JSON.stringify(c))).toEqual(c)
  })

  it('reports both sides with their latency, throughput and conditions', async () => {
    const c = await compareLatency(base, bigger, { ...QUICK, batch: 2, threshold: 0.2 })
    expect([c.a.model, c.b.model]).toEqual([base, bigger])
    expect(c.a.latencyMs.samples).toBeGreaterThanOrEqual(4)
    expect(c.b.throughput.samplesPerSec).toBeCloseTo(2000 / c.b.latencyMs.p50, 6)
    expect(c.conditions.batch).toBe(2)
    expect(c.threshold).toBe(0.2)
    expect(c.method).toMatch(/ratio of medians .* 4 rounds .*block bootstrap.* 10\.0 % \(half the 20\.0 % threshold\)/)
  })

  it('is incomparable when the threads differ, saying why', async () => {
    const c = await compareLatency(base, base, { ...QUICK, b: { threads: 2 } })
    expect(c.verdict).toBe('incomparable')
    expect(c.note).toBe('measured under different conditions: intra-op threads 1 vs 2')
  })

  it('sizes the rounds to blocks of at least 10 ms and 2 runs, 4 to 100 of them', () => {
    expect([autoRounds(1000, 1), autoRounds(1000, 0.02), autoRounds(300, 1), autoRounds(1000, 100), autoRounds(1000, 400)]).toEqual([100, 100, 30, 5, 4])
  })

  it('sizes the rounds itself by default', async () => {
    const c = await compareLatency(base, base, { time: 60, warmupIterations: 1 })
    expect(c.rounds).toBe(6)
    expect(c.a.conditions.measure).toEqual({ timeMs: 60, minIterations: 6 })
  })

  it('adaptive sampling adds chunks of rounds until the interval clears the bounds or the time cap passes', async () => {
    // A narrow band around 1: whether an interval clears it depends on the machine, so the test checks that the
    // state agrees with the interval, and that rounds come in whole chunks of 4.
    const bounds = [0.9999, 1.0001] as const
    for (const maxTime of [1, 600]) {
      const c = await compareLatency(base, base, { ...QUICK, maxTime, bounds })
      expect(['decided', 'time-cap']).toContain(c.stoppedBy)
      expect(c.stoppedBy === 'decided').toBe(intervalClear(c.ci, bounds))
      expect(c.rounds % 4).toBe(0)
      // A 1 ms cap is passed by the first chunk.
      if (maxTime === 1) expect(c.rounds).toBe(4)
      expect(c.elapsedMs).toBeGreaterThan(0)
      expect(c.method).toMatch(new RegExp(`adaptive: chunks of 4 rounds until the CI is clear of 0\\.9999 and 1\\.0001 or ${maxTime} ms have passed$`))
    }
    // Bounds far from any plausible ratio: the first chunk's interval lies between them, so sampling stops at once.
    const decided = await compareLatency(base, base, { ...QUICK, maxTime: 60_000, bounds: [0.01, 100] })
    expect(decided).toMatchObject({ stoppedBy: 'decided', rounds: 4 })
    // Without maxTime: one fixed chunk, no stoppedBy.
    expect((await compareLatency(base, base, QUICK)).stoppedBy).toBeUndefined()
  })

  it('an interval is clear when no bound lies inside it', () => {
    expect(intervalClear([1.06, 1.2], [1 / 1.05, 1.05])).toBe(true)
    expect(intervalClear([0.97, 1.03], [1 / 1.05, 1.05])).toBe(true)
    expect(intervalClear([1.02, 1.08], [1 / 1.05, 1.05])).toBe(false)
    expect(intervalClear([0.9, 1.1], [1 / 1.05, 1.05])).toBe(false)
  })

  it('refuses bad options with E_BENCH_OPTION', async () => {
    await expect(compareLatency(base, base, { ...QUICK, maxTime: 1000, bounds: [1.1, 0.9] })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
    await expect(compareLatency(base, base, { ...QUICK, maxTime: -1 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
    await expect(compareLatency(base, base, { ...QUICK, rounds: 0 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
    await expect(compareLatency(base, base, { ...QUICK, threshold: -0.1 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
  })

  it('a missing model is E_FILE_NOT_FOUND', async () => {
    await expect(compareLatency(base, join(dir, 'missing.onnx'), QUICK)).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
  })
})
