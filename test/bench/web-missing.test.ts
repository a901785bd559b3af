import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { benchModel } from '../../src/bench/index.js'

vi.mock('onnxruntime-web', () => {
  throw new Error("Cannot find package 'onnxruntime-web' imported from modelgate")
})

describe('without onnxruntime-web installed', () => {
  it('engine onnxruntime-web is E_RUNTIME_MISSING naming it; the native engine is unaffected', async () => {
    const model = join(FIXTURES_DIR, 'conv', 'model.onnx')
    await expect(benchModel(model, { engine: 'onnxruntime-web', iterations: 1 })).rejects.toMatchObject({ code: 'E_RUNTIME_MISSING', value: 'onnxruntime-web', message: expect.stringContaining('onnxruntime-web could not be loaded') as string })
    const native = await benchModel(model, { iterations: 2, warmupIterations: 0, calibrate: false })
    expect(native.state === 'completed' && native.conditions.engine.name).toBe('onnxruntime-node')
  })
})
