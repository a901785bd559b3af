import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { benchModel, type BenchCompleted, type BenchResult } from '../../src/bench/index.js'
import { loadModel } from '../../src/model/index.js'
import { IDENTITY_DTYPES, writeIdentityModel, writeMatMulChain } from './models.js'
import { bytesOf, npy } from './npy-file.js'

const QUICK = { time: 50, warmupIterations: 2, calibrate: false } as const

function completed(result: BenchResult): BenchCompleted {
  if (result.state !== 'completed') throw new Error(`expected a completed result, got ${JSON.stringify(result)}`)
  return result
}

describe('benchModel', () => {
  let dir = ''
  let chain = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-'))
    chain = writeMatMulChain(dir, 'chain', { rows: 'N', width: 32, layers: 2 })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('returns a completed, JSON-serialisable result with every documented field', async () => {
    const r = completed(await benchModel(chain, { time: 50, warmupIterations: 2 }))
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    expect(Object.keys(r).sort()).toEqual(['calibration', 'coldStart', 'conditions', 'energy', 'latencyMs', 'memory', 'model', 'state', 'throughput'])
    expect(Object.keys(r.latencyMs).sort()).toEqual(['mad', 'max', 'mean', 'min', 'p50', 'p90', 'p95', 'p99', 'rme', 'samples', 'sd'])
    expect(r.latencyMs.samples).toBeGreaterThanOrEqual(10)
    expect(r.latencyMs.min).toBeLessThanOrEqual(r.latencyMs.p50)
    expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p99)
    expect(r.throughput.samplesPerSec).toBeCloseTo(1000 / r.latencyMs.p50, 6)
    expect(r.coldStart.sessionCreateMs).toBeGreaterThan(0)
    expect(r.coldStart.firstRunMs).toBeGreaterThan(0)
    expect(r.memory).toMatchObject({ maxRssBytes: null, estimate: { weightsBytes: 2 * 32 * 32 * 4 } })
    expect(r.memory.peakRssBytes).toBeGreaterThan(0)
    expect(r.energy.kind).toBe(r.energy.kind === 'measured' ? 'measured' : 'estimated')
    expect(r.energy.source).not.toBe('')
    expect(r.calibration?.workload).toMatch(/^js-matmul/)
    expect(r.calibration?.normalizedP50).toBeCloseTo(r.latencyMs.p50 / (r.calibration?.referenceMs ?? 1), 9)
  })

  it('records the conditions of the measurement', async () => {
    const r = completed(await benchModel(chain, QUICK))
    expect(r.conditions).toMatchObject({
      engine: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
      intraOpThreads: 1,
      interOpThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      batch: 1,
      inputs: [{ name: 'x', dtype: 'float32', dims: [1, 32] }],
      warmup: { iterations: 2, timeMs: 0 },
      measure: { timeMs: 50, minIterations: 10 },
      timer: 'hrtimeNow',
      isolated: false,
    })
    expect(Object.keys(r.conditions.machine).sort()).toEqual(['cores', 'cpu', 'node', 'os'])
  })

  it('keeps the raw samples on request and runs exactly N iterations without a time', async () => {
    const r = completed(await benchModel(chain, { iterations: 7, warmupIterations: 0, keepSamples: true, calibrate: false }))
    expect(r.latencyMs.samples).toBe(7)
    expect(r.latencyMs.raw).toHaveLength(7)
    expect(r.latencyMs.raw).toEqual([...(r.latencyMs.raw ?? [])].sort((a, b) => a - b))
  })

  it('sweeps batch sizes of a symbolic batch dim', async () => {
    const r = completed(await benchModel(chain, { ...QUICK, batch: [1, 4] }))
    expect(r.batchSweep?.map((p) => p.batch)).toEqual([1, 4])
    expect(r.batchSweep?.[1]?.throughput.samplesPerSec).toBeCloseTo(4000 / (r.batchSweep?.[1]?.latencyMs.p50 ?? 1), 6)
    expect(r.conditions.batch).toBe(1)
  })

  it('takes the shapes and name of a model handle', async () => {
    const handle = await loadModel(chain, { dims: { N: 3 }, name: 'chain at N=3' })
    const r = completed(await benchModel(handle, QUICK))
    expect([r.model, r.conditions.batch, r.conditions.inputs[0]?.dims]).toEqual(['chain at N=3', 3, [3, 32]])
  })

  it('generates inputs for every dtype the fixture builder can declare', async () => {
    const r = completed(await benchModel(writeIdentityModel(dir), { ...QUICK, batch: 2 }))
    expect(r.conditions.inputs.map((i) => [i.dtype, i.dims])).toEqual(IDENTITY_DTYPES.map((d) => [d, [2, 3]]))
  })

  it('runs user tensors given as typed arrays or .npy files', async () => {
    const path = join(dir, 'x.npy')
    writeFileSync(path, npy('<f4', [5, 32], bytesOf(new Float32Array(5 * 32).fill(0.5))))
    const fromNpy = completed(await benchModel(chain, { ...QUICK, inputs: { x: path } }))
    expect(fromNpy.conditions.inputs[0]?.dims).toEqual([5, 32])
    const fromArray = completed(await benchModel(chain, { ...QUICK, inputs: { x: { data: new Float32Array(64), dims: [2, 32] } } }))
    expect(fromArray.conditions.batch).toBe(2)
  })

  describe('bad input', () => {
    it('a missing file is E_FILE_NOT_FOUND', async () => {
      await expect(benchModel(join(dir, 'missing.onnx'), QUICK)).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
    })

    it('a model the engine cannot load is E_SESSION_CREATE', async () => {
      await expect(benchModel(join(FIXTURES_DIR, 'unknown-op', 'model.onnx'), QUICK)).rejects.toMatchObject({ code: 'E_SESSION_CREATE', message: expect.stringContaining('MysteryOp') as string })
    })

    it('an input of the wrong shape or dtype is E_RUN_INPUT', async () => {
      await expect(benchModel(chain, { ...QUICK, inputs: { x: { data: new Float32Array(31), dims: [1, 31] } } })).rejects.toMatchObject({ code: 'E_RUN_INPUT' })
      await expect(benchModel(chain, { ...QUICK, inputs: { x: { data: new Int32Array(32), dims: [1, 32] } } })).rejects.toMatchObject({ code: 'E_RUN_INPUT' })
      await expect(benchModel(chain, { ...QUICK, inputs: { nope: { data: new Float32Array(32), dims: [1, 32] } } })).rejects.toMatchObject({ code: 'E_RUN_INPUT' })
    })

    it('a bad option is E_BENCH_OPTION, a bad shape E_SHAPE_OPTION', async () => {
      await expect(benchModel(chain, { ...QUICK, threads: -1 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
      await expect(benchModel(chain, { ...QUICK, batch: [] })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
      await expect(benchModel(chain, { ...QUICK, time: 0, iterations: 0 })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
      await expect(benchModel(chain, { ...QUICK, shapes: { x: [1, 2, 3] } })).rejects.toMatchObject({ code: 'E_SHAPE_OPTION' })
    })
  })
})
