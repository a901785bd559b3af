import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { openSession } from '../../src/bench/index.js'
import { loadModel } from '../../src/model/index.js'

const matmul = join(FIXTURES_DIR, 'dynamic-batch-matmul', 'model.onnx')

describe('openSession', () => {
  it('lists inputs and outputs with symbolic dims filled from the options', async () => {
    const s = await openSession(matmul, { dims: { N: 2 } })
    expect(s.inputs).toEqual([
      { name: 'x', dtype: 'float32', dims: [2, 16] },
      { name: 'a', dtype: 'float32', dims: [2, 1, 4, 16] },
      { name: 'b', dtype: 'float32', dims: [3, 16, 5] },
    ])
    expect(s.outputs).toEqual([{ name: 'y', dtype: 'float32', dims: [2, 32] }, { name: 'z', dtype: 'float32', dims: [2, 3, 4, 5] }])
    await s.close()
  })

  it('runs plain { data, dims } feeds and returns plain tensors; symbolic dims take any size', async () => {
    const s = await openSession(await loadModel(matmul))
    expect(s.inputs[0]?.dims).toEqual(['N', 16])
    const out = await s.run({
      x: { data: new Float32Array(3 * 16).fill(1), dims: [3, 16] },
      a: { data: new Float32Array(3 * 64), dims: [3, 1, 4, 16] },
      b: { data: new Float32Array(3 * 80), dims: [3, 16, 5] },
    })
    expect(out.y).toMatchObject({ dims: [3, 32], dtype: 'float32' })
    expect(out.y?.data).toBeInstanceOf(Float32Array)
    expect(out.z?.dims).toEqual([3, 3, 4, 5])
    await s.close()
    await s.close()
  })

  it('a feed of the wrong dtype, shape or name is E_RUN_INPUT; a run after close is E_RUN_FAILED', async () => {
    const s = await openSession(matmul)
    const good = { a: { data: new Float32Array(64), dims: [1, 1, 4, 16] }, b: { data: new Float32Array(240), dims: [3, 16, 5] } }
    await expect(s.run({ ...good, x: { data: new Float64Array(16), dims: [1, 16] } })).rejects.toMatchObject({ code: 'E_RUN_INPUT', message: expect.stringContaining('Float32Array') as string })
    await expect(s.run({ ...good, x: { data: new Float32Array(15), dims: [1, 15] } })).rejects.toMatchObject({ code: 'E_RUN_INPUT' })
    await expect(s.run({ ...good, x: { data: new Float32Array(16), dims: [1, 4] } })).rejects.toMatchObject({ code: 'E_RUN_INPUT' })
    await expect(s.run(good)).rejects.toMatchObject({ code: 'E_RUN_INPUT', message: expect.stringContaining('"x" is missing') as string })
    await s.close()
    await expect(s.run(good)).rejects.toMatchObject({ code: 'E_RUN_FAILED' })
  })

  it('a model the engine cannot load is E_SESSION_CREATE', async () => {
    await expect(openSession(join(FIXTURES_DIR, 'unknown-op', 'model.onnx'))).rejects.toMatchObject({ code: 'E_SESSION_CREATE' })
  })
})
