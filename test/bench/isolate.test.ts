import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { benchModel, compareLatency } from '../../src/bench/index.js'
import { runInChild } from '../../src/bench/isolate.js'
import { writeHangingModel, writeMatMulChain } from './models.js'

const QUICK = { time: 50, warmupIterations: 2, calibrate: false } as const

describe('crash isolation', () => {
  let dir = ''
  let chain = ''
  let hang = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-isolate-'))
    chain = writeMatMulChain(dir, 'chain', { rows: 1, width: 16, layers: 1 })
    hang = writeHangingModel(dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('measures in a child process and reports its lifetime peak RSS', async () => {
    const progress: string[] = []
    const r = await benchModel(chain, { ...QUICK, isolate: true, onProgress: (p) => progress.push(p.phase) })
    expect(r.state).toBe('completed')
    if (r.state !== 'completed') return
    expect(r.conditions.isolated).toBe(true)
    expect(r.memory.maxRssBytes).toBeGreaterThan(0)
    expect(progress).toContain('load')
  })

  it('a model that hangs the engine becomes an errored result with E_RUN_TIMEOUT, and this process goes on', async () => {
    const r = await benchModel(hang, { ...QUICK, isolate: true, timeoutMs: 3000 })
    expect(r).toEqual({ state: 'errored', model: hang, error: { code: 'E_RUN_TIMEOUT', message: expect.stringContaining('did not finish within 3000 ms') as string } })
    if (r.state === 'errored') expect(r.error.message).toMatch(/Raise the time-out/)
  })

  it('a native crash of the child becomes E_RUN_CRASHED naming the signal', async () => {
    const outcome = await runInChild({}, { timeoutMs: 30_000, label: 'the crash test', workerUrl: new URL('./fixtures/abort-worker.ts', import.meta.url) })
    expect(outcome).toEqual({ ok: false, code: 'E_RUN_CRASHED', message: expect.stringContaining('was killed by SIGABRT') as string })
  })

  it("the child's ModelgateError is thrown again here with its code", async () => {
    const run = runInChild({}, { timeoutMs: 30_000, label: 'the error test', workerUrl: new URL('./fixtures/throw-worker.ts', import.meta.url) })
    await expect(run).rejects.toMatchObject({ code: 'E_SESSION_CREATE', name: 'ModelgateError' })
  })

  it('a model the engine cannot load is still E_SESSION_CREATE in isolation', async () => {
    await expect(benchModel(join(FIXTURES_DIR, 'unknown-op', 'model.onnx'), { ...QUICK, isolate: true })).rejects.toMatchObject({ code: 'E_SESSION_CREATE' })
  })

  it('a comparison that hangs throws E_RUN_TIMEOUT', async () => {
    await expect(compareLatency(chain, hang, { time: 20, rounds: 2, isolate: true, timeoutMs: 3000 })).rejects.toMatchObject({ code: 'E_RUN_TIMEOUT' })
  })
})
