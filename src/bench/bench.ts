/**
 * The runner's entry points: `benchModel`, `compareLatency` and `openSession`.
 */
import { checkOptionKeys } from '../_options.js'
import { ERROR_FIXES, ModelgateError } from '../errors.js'
import { toModelHandle, type ModelRef } from '../model/index.js'
import { compareInProcess } from './compare.js'
import { createOrtSession, engineSettings, fromOrtTensor, loadEngine, runError, sessionSignature, toOrtFeeds } from './engine.js'
import { runInChild } from './isolate.js'
import { benchInProcess } from './measure.js'
import { applyShapes } from './model.js'
import {
  BENCH_OPTION_KEYS, COMPARE_OPTION_KEYS, COMPARE_SIDE_OPTION_KEYS, SESSION_OPTION_KEYS, TENSOR_INPUT_KEYS,
  type BenchOptions, type BenchResult, type CompareOptions, type EngineSession, type LatencyComparison, type SessionOptions, type TensorOutput,
} from './types.js'
import type { WorkerModel, WorkerRequest } from './worker.js'

const DEFAULT_TIMEOUT_MS = 120_000

function workerModel(model: ModelRef): WorkerModel {
  const h = toModelHandle(model)
  return { path: h.path, name: h.name, shapes: h.options.shapes ?? {}, dims: h.options.dims ?? {} }
}

/** Refuses unknown keys in the options and in their fixed-shape parts (tensor inputs, per-side overrides). */
function checkInputs(inputs: unknown, where: string): void {
  if (typeof inputs !== 'object' || inputs === null) return
  for (const [name, t] of Object.entries(inputs)) checkOptionKeys(t, TENSOR_INPUT_KEYS, `${where}.inputs.${name}`)
}

function timeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS
  if (typeof value !== 'number' || !(value > 0)) throw new ModelgateError('E_BENCH_OPTION', `timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(value)}.`, { value })
  return value
}

/**
 * Measures a model in onnxruntime-node: latency percentiles of `session.run` (inputs prepared outside the timed
 * section), throughput, cold start, memory, energy, and the conditions of the measurement.
 * @param model a path to an .onnx file or a handle from `loadModel()`
 * @param options shapes, batch size(s), inputs, threads, measuring time, isolation … (see {@link BenchOptions})
 * @returns `completed` with the figures, or — in isolation only — `errored` when the engine crashed or hung
 * @throws ModelgateError for misuse or a model/input the engine refuses (E_FILE_NOT_FOUND, E_SESSION_CREATE, E_RUN_INPUT, E_RUN_FAILED …)
 */
export async function benchModel(model: ModelRef, options: BenchOptions = {}): Promise<BenchResult> {
  checkOptionKeys(options, BENCH_OPTION_KEYS, 'benchModel()')
  checkInputs(options.inputs, 'benchModel() options')
  if (options.isolate !== true) return benchInProcess(model, options, false)
  const m = workerModel(model)
  const { onProgress, isolate: _isolate, timeoutMs, ...rest } = options
  const request: WorkerRequest = { kind: 'bench', model: m, options: rest }
  const outcome = await runInChild<BenchResult>(request, { timeoutMs: timeout(timeoutMs), onProgress, label: `the benchmark of ${JSON.stringify(m.name)}` })
  return outcome.ok ? outcome.value : { state: 'errored', model: m.name, error: { code: outcome.code, message: outcome.message } }
}

/**
 * Compares the latency of two models (or one model with itself) measured interleaved in one process.
 * @param a the reference model
 * @param b the candidate model
 * @param options threshold, measuring time, rounds, per-side overrides … (see {@link CompareOptions})
 * @returns the ratio median(B)/median(A) with its confidence interval and a verdict
 * @throws ModelgateError for misuse or refused models/inputs; in isolation also E_RUN_CRASHED / E_RUN_TIMEOUT
 */
export async function compareLatency(a: ModelRef, b: ModelRef, options: CompareOptions = {}): Promise<LatencyComparison> {
  checkOptionKeys(options, COMPARE_OPTION_KEYS, 'compareLatency()')
  checkInputs(options.inputs, 'compareLatency() options')
  for (const side of ['a', 'b'] as const) {
    checkOptionKeys(options[side], COMPARE_SIDE_OPTION_KEYS, `compareLatency() options.${side}`)
    checkInputs(options[side]?.inputs, `compareLatency() options.${side}`)
  }
  if (options.isolate !== true) return compareInProcess(a, b, options, false)
  const { onProgress, isolate: _isolate, timeoutMs, ...rest } = options
  const ma = workerModel(a)
  const mb = workerModel(b)
  const request: WorkerRequest = { kind: 'compare', a: ma, b: mb, options: rest }
  const outcome = await runInChild<LatencyComparison>(request, { timeoutMs: timeout(timeoutMs), onProgress, label: `the comparison of ${JSON.stringify(ma.name)} with ${JSON.stringify(mb.name)}` })
  if (outcome.ok) return outcome.value
  throw new ModelgateError(outcome.code, stripFix(outcome.code, outcome.message))
}

function stripFix(code: 'E_RUN_CRASHED' | 'E_RUN_TIMEOUT', message: string): string {
  const fix = ERROR_FIXES[code]
  return message.endsWith(fix) ? message.slice(0, message.length - fix.length).trimEnd() : message
}

/**
 * Opens an engine session (onnxruntime-node on the CPU unless `engine`/`executionProviders` say otherwise): the one door to the engine for the rest of modelgate.
 * @param model a path or a handle (its shapes/dims fill the symbolic dims of `inputs`)
 * @param options threads (default 1), shapes, dims
 * @returns a session whose `run` takes `{ data, dims }` feeds and returns plain tensors
 * @throws ModelgateError E_RUNTIME_MISSING, E_FILE_NOT_FOUND, E_SESSION_CREATE
 */
export async function openSession(model: ModelRef, options: SessionOptions = {}): Promise<EngineSession> {
  checkOptionKeys(options, SESSION_OPTION_KEYS, 'openSession()')
  const handle = toModelHandle(model)
  const settings = engineSettings(options)
  const ort = await loadEngine(settings.engine)
  const session = await createOrtSession(ort, handle.path, settings)
  const declared = sessionSignature(session.inputMetadata)
  let inputs
  try {
    inputs = applyShapes(declared, { ...handle.options.shapes, ...options.shapes }, { ...handle.options.dims, ...options.dims })
  } catch (error) {
    await session.release()
    throw error
  }
  const outputs = sessionSignature(session.outputMetadata).map((o) => ({ ...o, dims: o.dims.map((d) => (typeof d === 'string' ? ({ ...handle.options.dims, ...options.dims }[d] ?? d) : d)) }))
  let closed = false
  return {
    inputs,
    outputs,
    async run(feeds) {
      if (closed) throw new ModelgateError('E_RUN_FAILED', `The session of ${JSON.stringify(handle.name)} is closed.`, { value: handle.name })
      // Feeds are checked against the declared signature: symbolic dims take any size at run time.
      const ortFeeds = toOrtFeeds(ort, declared, feeds)
      try {
        const results = await session.run(ortFeeds)
        const out: Record<string, TensorOutput> = {}
        for (const [name, tensor] of Object.entries(results)) out[name] = fromOrtTensor(tensor)
        return out
      } catch (error) {
        throw runError(error, handle.name)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await session.release()
    },
  }
}
