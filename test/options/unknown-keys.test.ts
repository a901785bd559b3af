import { describe, expect, it } from 'vitest'
import { closestKey, editDistance } from '../../src/_options.js'
import { analyzeModel, benchModel, calibrateThisMachine, compareLatency, estimateLatency, evaluateModel, loadModel, openSession } from '../../src/index.js'
import { ACCURACY_MATCHERS, BASELINE_MATCHERS, MEASURED_MATCHERS } from '../../src/matchers/index.js'
import { ESTIMATE_MATCHERS } from '../../src/matchers/estimated.js'
import { modelgate } from '../../src/vitest/index.js'
import { matcherState } from '../matchers/state.js'

const CONV = 'fixtures/conv/model.onnx'

/** The error a call throws or rejects with; fails the test when it does not. */
async function refusal(call: () => unknown): Promise<{ code: string; message: string; value: unknown }> {
  try {
    await call()
  } catch (error) {
    return error as { code: string; message: string; value: unknown }
  }
  throw new Error('the call was accepted')
}

/** Asserts an E_UNKNOWN_OPTION that names the typo and the key meant. */
async function expectTypo(call: () => unknown, typo: string, meant: string, where: string): Promise<void> {
  const e = await refusal(call)
  expect(e).toMatchObject({ code: 'E_UNKNOWN_OPTION', value: typo })
  expect(e.message).toContain(`${where}: unknown option ${JSON.stringify(typo)}; did you mean ${JSON.stringify(meant)}?`)
}

type Matcher = (this: unknown, received: unknown, ...args: unknown[]) => unknown
const call = (matcher: unknown, ...args: unknown[]) => () => (matcher as Matcher).call(matcherState(), CONV, ...args)

describe('the distance behind "did you mean"', () => {
  it('counts inserts, deletes, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('treshold', 'threshold')).toBe(1) // h inserted
    expect(editDistance('percentil', 'percentile')).toBe(1) // e appended
    expect(editDistance('thershold', 'threshold')).toBe(1) // r and e swapped
    expect(editDistance('iterashuns', 'iterations')).toBe(3) // s→t, h→i, u→o
    expect(editDistance('', 'dims')).toBe(4)
    expect(editDistance('shapes', 'shapes')).toBe(0)
  })

  it('names the closest key when it is near enough to be a typo of it, ignoring case', () => {
    expect(closestKey('batchsize', ['batchSize', 'limit'])).toBe('batchSize')
    expect(closestKey('shape', ['shapes', 'dims', 'inputValues'])).toBe('shapes')
    // 'x' is 4 edits from 'dims' and 6 from 'shapes': no guess
    expect(closestKey('x', ['shapes', 'dims'])).toBeUndefined()
  })
})

describe('every public entry point refuses a misspelt option, naming it and the closest valid one', () => {
  it('analyzeModel', async () => {
    await expectTypo(() => analyzeModel(CONV, { shape: { input: [1, 3, 8, 8] } } as never), 'shape', 'shapes', 'analyzeModel()')
  })

  it('loadModel', async () => {
    await expectTypo(() => loadModel(CONV, { nmae: 'conv' } as never), 'nmae', 'name', 'loadModel()')
    // valid options still load, and the display name does not reach the analyzer as an unknown key
    const handle = await loadModel(CONV, { name: 'conv', dims: {} })
    expect(handle.analysis().params.learnable).toBeGreaterThan(0)
  })

  it('benchModel, before any engine is loaded, and in its tensor inputs', async () => {
    await expectTypo(() => benchModel(CONV, { iteration: 5 } as never), 'iteration', 'iterations', 'benchModel()')
    await expectTypo(() => benchModel(CONV, { inputs: { x: { data: new Float32Array(1), dim: [1] } } } as never), 'dim', 'dims', 'benchModel() options.inputs.x')
  })

  it('compareLatency ({ treshold: 0.05 }), and its per-model overrides', async () => {
    await expectTypo(() => compareLatency(CONV, CONV, { treshold: 0.05 } as never), 'treshold', 'threshold', 'compareLatency()')
    await expectTypo(() => compareLatency(CONV, CONV, { b: { thread: 2 } } as never), 'thread', 'threads', 'compareLatency() options.b')
  })

  it('openSession', async () => {
    await expectTypo(() => openSession(CONV, { graphOptimisationLevel: 'all' } as never), 'graphOptimisationLevel', 'graphOptimizationLevel', 'openSession()')
  })

  it('evaluateModel, and its preprocess and detection options', async () => {
    await expectTypo(() => evaluateModel(CONV, 'no-data', { batchsize: 4 } as never), 'batchsize', 'batchSize', 'evaluateModel()')
    await expectTypo(() => evaluateModel(CONV, 'no-data', { preprocess: { sise: 224 } } as never), 'sise', 'size', 'evaluateModel() options.preprocess')
    await expectTypo(() => evaluateModel(CONV, 'no-data', { detection: { scoreTreshold: 0.5 } } as never), 'scoreTreshold', 'scoreThreshold', 'evaluateModel() options.detection')
  })

  it('estimateLatency and calibrateThisMachine, before any profile is read or measured', async () => {
    await expectTypo(() => estimateLatency(CONV, { device: 'raspberry-pi-5', shape: {} } as never), 'shape', 'shapes', 'estimateLatency()')
    await expectTypo(() => calibrateThisMachine({ recalibate: true } as never), 'recalibate', 'recalibrate', 'calibrateThisMachine()')
    await expectTypo(call(ESTIMATE_MATCHERS.toEstimateUnderMs, 10, { device: 'raspberry-pi-5', thread: 2 }), 'thread', 'threads', 'toEstimateUnderMs')
  })

  it('the measured matchers ({ percentil: \'p95\' })', async () => {
    await expectTypo(call(MEASURED_MATCHERS.toRunUnderMs, 10, { percentil: 'p95' }), 'percentil', 'percentile', 'toRunUnderMs')
    await expectTypo(call(MEASURED_MATCHERS.toHaveThroughputAbove, 10, { thread: 1 }), 'thread', 'threads', 'toHaveThroughputAbove')
    await expectTypo(call(MEASURED_MATCHERS.toBeFasterThan, CONV, { bye: 2 }), 'bye', 'by', 'toBeFasterThan')
  })

  it('toMatchBaseline, its bench options, and a tolerance key', async () => {
    await expectTypo(call(BASELINE_MATCHERS.toMatchBaseline, { metric: ['macs'] }), 'metric', 'metrics', 'toMatchBaseline')
    await expectTypo(call(BASELINE_MATCHERS.toMatchBaseline, { bench: { iteration: 5 } }), 'iteration', 'iterations', 'toMatchBaseline options.bench')
    // { relativ: 0.1 } would otherwise read as a tolerance for a metric named "relativ", and change nothing
    const e = await refusal(call(BASELINE_MATCHERS.toMatchBaseline, { tolerance: { relativ: 0.1 } }))
    expect(e).toMatchObject({ code: 'E_UNKNOWN_OPTION', value: 'relativ' })
    expect(e.message).toContain('did you mean "relative"?')
    await expectTypo(call(BASELINE_MATCHERS.toMatchBaseline, { tolerance: { macs: { absolut: 5 } } }), 'absolut', 'absolute', 'toMatchBaseline tolerance.macs')
  })

  it('the accuracy matchers', async () => {
    const dataset = 'no-data'
    await expectTypo(call(ACCURACY_MATCHERS.toHaveAccuracyAbove, 0.5, { dataset, topk: 5 }), 'topk', 'topK', 'toHaveAccuracyAbove')
    await expectTypo(call(ACCURACY_MATCHERS.toHaveMapAbove, 0.5, { dataset, iuo: 0.5 }), 'iuo', 'iou', 'toHaveMapAbove')
    await expectTypo(call(ACCURACY_MATCHERS.toHaveMiouAbove, 0.5, { dataset, ignoreindex: 0 }), 'ignoreindex', 'ignoreIndex', 'toHaveMiouAbove')
    await expectTypo(call(ACCURACY_MATCHERS.toBeBetterTradeoffThan, CONV, { dataset, maxAccuracyDrop: 0.01, minSpeedUp: 2 }), 'minSpeedUp', 'minSpeedup', 'toBeBetterTradeoffThan')
    // iou is an option of toHaveMapAbove only
    const e = await refusal(call(ACCURACY_MATCHERS.toHaveAccuracyAbove, 0.5, { dataset, iou: 0.5 }))
    expect(e).toMatchObject({ code: 'E_UNKNOWN_OPTION', value: 'iou' })
  })

  it('the Vitest plugin, and its bench defaults and tolerances', async () => {
    await expectTypo(() => modelgate({ baselineDirs: 'baselines' } as never), 'baselineDirs', 'baselineDir', 'modelgate()')
    await expectTypo(() => modelgate({ bench: { iteration: 5 } } as never), 'iteration', 'iterations', 'modelgate() options.bench')
    await expectTypo(() => modelgate({ latency: { maxtime: 5000 } } as never), 'maxtime', 'maxTime', 'modelgate() options.latency')
    // bench options the plugin cannot carry to the workers are refused too
    const e = await refusal(() => modelgate({ bench: { onProgress: () => {} } } as never))
    expect(e).toMatchObject({ code: 'E_UNKNOWN_OPTION', value: 'onProgress' })
    const t = await refusal(() => modelgate({ tolerance: { params: { percent: 5 } } } as never))
    expect(t).toMatchObject({ code: 'E_UNKNOWN_OPTION', value: 'percent' })
    expect(t.message).toContain('modelgate() options.tolerance.params: unknown option "percent" (valid: relative, absolute).')
  })

  it('a key far from every valid one is named with the list of valid keys, without a guess', async () => {
    const e = await refusal(() => analyzeModel(CONV, { engine: 'onnxruntime-web' } as never))
    expect(e.message).toMatchInlineSnapshot(`"analyzeModel(): unknown option "engine" (valid: shapes, dims, inputValues, dedupeWeights). Fix the option's name (the message names the closest valid one): modelgate refuses keys it does not know, so a typo never runs with the default."`)
  })
})
