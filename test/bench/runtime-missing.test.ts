import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { benchModel, openSession } from '../../src/bench/index.js'

vi.mock('onnxruntime-node', () => {
  throw new Error("Cannot find package 'onnxruntime-node' imported from modelgate")
})

describe('without onnxruntime-node installed', () => {
  it('opening a session or measuring is E_RUNTIME_MISSING, naming the package to install', async () => {
    const model = join(FIXTURES_DIR, 'conv', 'model.onnx')
    await expect(openSession(model)).rejects.toMatchObject({ code: 'E_RUNTIME_MISSING', message: expect.stringContaining('npm install onnxruntime-node') as string })
    await expect(benchModel(model, { time: 10 })).rejects.toMatchObject({ code: 'E_RUNTIME_MISSING' })
  })
})
