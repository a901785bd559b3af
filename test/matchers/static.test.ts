import { describe, expect, it } from 'vitest'
import { isModelgateError } from '../../src/errors.js'
import { STATIC_MATCHERS } from '../../src/matchers/index.js'
import { loadModel } from '../../src/model/index.js'
import { fakeTask, matcherState, plain, type Outcome } from './state.js'

const CONV = 'fixtures/conv/model.onnx'

function run(matcher: keyof typeof STATIC_MATCHERS, received: unknown, args: readonly unknown[], isNot = false) {
  const task = fakeTask()
  const fn = STATIC_MATCHERS[matcher] as (this: unknown, received: unknown, ...args: unknown[]) => Outcome
  const outcome = fn.call(matcherState({ isNot, task }), received, ...args)
  return { outcome, rows: task.meta.modelgate?.results ?? [] }
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (isModelgateError(error)) return error.code
    throw error
  }
  return 'no error'
}

describe('a static budget matcher', () => {
  it('passes at or under the limit and records a within-budget row', () => {
    const { outcome, rows } = run('toHaveParamsBelow', CONV, [224])
    expect(outcome.pass).toBe(true)
    expect(rows).toEqual([{ model: CONV, metric: 'params', unit: 'params', direction: 'lower', baseline: null, current: 224, deltaPct: null, tolerance: {}, verdict: 'within-budget', budget: 224 }])
  })

  it('fails over the limit with the figure, the budget and the excess in units', () => {
    const { outcome, rows } = run('toHaveMacsBelow', CONV, [10_000])
    expect(outcome.pass).toBe(false)
    expect(plain(outcome.message())).toMatchInlineSnapshot(`
      "expect(model).toHaveMacsBelow(limit)

      fixtures/conv/model.onnx has 13.82 k MACs (13,824), over the budget of 10 k MACs (10,000) by +38.24 %."
    `)
    expect(rows[0]).toMatchObject({ metric: 'macs', verdict: 'over-budget', current: 13_824, budget: 10_000 })
  })

  it('says what .not expected, and records the row as a floor', () => {
    const { outcome, rows } = run('toHaveModelSizeBelow', CONV, [1e6], true)
    expect(outcome.pass).toBe(true)
    expect(plain(outcome.message())).toMatchInlineSnapshot(`
      "expect(model).not.toHaveModelSizeBelow(limit)

      fixtures/conv/model.onnx has a size on disk of 1.151 KiB (1,179 B), within the budget of 976.6 KiB (1,000,000 B); expected more than that."
    `)
    expect(rows[0]).toMatchObject({ metric: 'sizeBytes', direction: 'higher', verdict: 'over-budget' })
  })

  it('reads every figure of a handle with its shapes', async () => {
    const model = await loadModel('fixtures/dynamic-batch-matmul/model.onnx', { dims: { N: 2 } })
    expect(run('toHaveMacsBelow', model, [2944]).outcome.pass).toBe(true)
    expect(run('toHaveFlopsBelow', model, [5888]).outcome.pass).toBe(true)
    expect(run('toHavePeakMemoryBelow', model, [1e4]).outcome.pass).toBe(true)
    expect(run('toHaveMemoryAccessBelow', model, [1e4]).outcome.pass).toBe(true)
  })

  it('names the unresolved symbol and the fix when a figure is symbolic', () => {
    expect(() => run('toHaveMacsBelow', 'fixtures/dynamic-batch-matmul/model.onnx', [1e6])).toThrowErrorMatchingInlineSnapshot(`[ModelgateError: fixtures/dynamic-batch-matmul/model.onnx: MACs = 1472*N, which depends on the unresolved dim N (used by proj, batched); loadModel(path, { dims: { N: 1 } }) resolves it. Pass the symbol's size with dims: { NAME: value } (CLI: --dim NAME=value) or the input shape with shapes.]`)
  })

  it('refuses what is not a model, and a limit that is not a positive number', () => {
    expect(codeOf(() => run('toHaveParamsBelow', 42, [1]))).toBe('E_MATCHER_INPUT')
    expect(codeOf(() => run('toHaveParamsBelow', 'fixtures/none.onnx', [1]))).toBe('E_FILE_NOT_FOUND')
    expect(codeOf(() => run('toHaveParamsBelow', CONV, ['5e6']))).toBe('E_GATE_OPTION')
    expect(codeOf(() => run('toHaveParamsBelow', CONV, [Number.NaN]))).toBe('E_GATE_OPTION')
  })
})

describe('toHaveFullCoverage', () => {
  it('passes when every node has a cost rule', () => {
    expect(run('toHaveFullCoverage', CONV, []).outcome.pass).toBe(true)
  })

  it('lists the unknown ops', () => {
    const { outcome } = run('toHaveFullCoverage', 'fixtures/unknown-op/model.onnx', [])
    expect(outcome.pass).toBe(false)
    expect(plain(outcome.message())).toMatchInlineSnapshot(`
      "expect(model).toHaveFullCoverage()

      fixtures/unknown-op/model.onnx has 1 of 2 nodes without a cost rule (unknown ops: my.domain::MysteryOp ×1); its totals are lower bounds. Register a rule for the op, or replace it in the export."
    `)
  })
})

describe('the matchers registered by the plugin', () => {
  it('take a path or a handle in expect()', async () => {
    expect(CONV).toHaveParamsBelow(1000)
    expect(await loadModel(CONV)).not.toHaveParamsBelow(100)
  })
})
