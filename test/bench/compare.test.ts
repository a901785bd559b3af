import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { autoRounds } from '../../src/bench/compare.js'
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

  it('refuses bad options with E_BENCH_OPTION', async () => {
    await expect(compareLatency(base, base, { ...QUICK, rounds: 0 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
    await expect(compareLatency(base, base, { ...QUICK, threshold: -0.1 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
  })

  it('a missing model is E_FILE_NOT_FOUND', async () => {
    await expect(compareLatency(base, join(dir, 'missing.onnx'), QUICK)).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
  })
})
