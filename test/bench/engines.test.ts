import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { conditionDifferences } from '../../src/baseline/compare.js'
import { benchModel, openSession } from '../../src/bench/index.js'
import { comparabilityIssue } from '../../src/bench/verdict.js'
import { parseEngine } from '../../src/cli/parse.js'

const conv = join(FIXTURES_DIR, 'conv', 'model.onnx')
const webVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../../node_modules/onnxruntime-web/package.json'), 'utf8')) as { version: string }).version
const quick = { iterations: 5, warmupIterations: 1, calibrate: false } as const

describe('engines', () => {
  it('measures a fixture in onnxruntime-web (wasm) and names the engine, its installed version and the provider', async () => {
    const r = await benchModel(conv, { ...quick, engine: 'onnxruntime-web' })
    expect(r.state).toBe('completed')
    if (r.state !== 'completed') return
    expect(r.conditions.engine).toEqual({ name: 'onnxruntime-web', version: webVersion, executionProvider: 'wasm' })
    expect(r.latencyMs.samples).toBe(5)
    expect(r.latencyMs.p50).toBeGreaterThan(0)
  })

  it('onnxruntime-web computes what onnxruntime-node computes (same Conv + Relu, same input)', async () => {
    const x = Float32Array.from({ length: 3 * 8 * 8 }, (_, i) => Math.sin(i))
    const outputs = []
    for (const engine of ['onnxruntime-node', 'onnxruntime-web'] as const) {
      const s = await openSession(conv, { engine })
      outputs.push((await s.run({ x: { data: x, dims: [1, 3, 8, 8] } })).y)
      await s.close()
    }
    const [native, wasm] = outputs
    expect(wasm?.dims).toEqual([1, 8, 8, 8])
    const a = native?.data as Float32Array
    const b = wasm?.data as Float32Array
    expect(b.length).toBe(512)
    // Relu output: some values are 0 and some positive, or the comparison would be vacuous.
    expect(a.some((v) => v > 0) && a.some((v) => v === 0)).toBe(true)
    for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] ?? 0) - (b[i] ?? 0))).toBeLessThan(1e-4)
  })

  it('refuses a provider this machine lacks, naming the ones it offers, instead of falling back to the CPU', async () => {
    // CoreML exists only in macOS builds; in Node there is no WebGPU adapter for onnxruntime-web.
    const absent = process.platform === 'darwin' ? 'dml' : 'coreml'
    const native = benchModel(conv, { ...quick, executionProviders: [absent] })
    await expect(native).rejects.toMatchObject({ code: 'E_ENGINE_PROVIDER', value: [absent] })
    await expect(native).rejects.toThrow(/offers: (\w+, )*cpu/)
    // onnxruntime-web alone would take the next provider in the list without a word.
    const web = benchModel(conv, { ...quick, engine: 'onnxruntime-web', executionProviders: ['webgpu', 'wasm'] })
    await expect(web).rejects.toMatchObject({ code: 'E_ENGINE_PROVIDER', value: ['webgpu'] })
    await expect(web).rejects.toThrow(/onnxruntime-web .* offers: wasm/)
  })

  it('a wrong engine name or an empty provider list is E_BENCH_OPTION', async () => {
    await expect(benchModel(conv, { engine: 'tensorflow' as 'onnxruntime-web' })).rejects.toMatchObject({ code: 'E_BENCH_OPTION', value: 'tensorflow' })
    await expect(benchModel(conv, { executionProviders: [] })).rejects.toMatchObject({ code: 'E_BENCH_OPTION' })
  })

  it('figures from different engines are never compared', () => {
    const node = { machine: { cpu: 'x', cores: 2, os: 'Linux 6 x64', node: 'v20' }, engine: { name: 'onnxruntime-node' as const, version: '1.30.0', executionProvider: 'cpu' }, intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all', batch: 1 }
    const web = { ...node, engine: { name: 'onnxruntime-web' as const, version: '1.30.0', executionProvider: 'cpu' } }
    expect(comparabilityIssue(node, web)).toContain('engine onnxruntime-node vs onnxruntime-web')
    expect(conditionDifferences(node, web)).toContain('engine onnxruntime-node vs onnxruntime-web')
    expect(comparabilityIssue(node, node)).toBeNull()
  })

  it('the CLI takes --engine and --ep lists', () => {
    expect(parseEngine('onnxruntime-web', ['wasm'])).toEqual({ engine: 'onnxruntime-web', executionProviders: ['wasm'] })
    expect(parseEngine(undefined, ['cuda,cpu', 'xnnpack'])).toEqual({ executionProviders: ['cuda', 'cpu', 'xnnpack'] })
    expect(() => parseEngine('tfjs', undefined)).toThrow(expect.objectContaining({ code: 'E_CLI_USAGE' }) as Error)
  })
})
