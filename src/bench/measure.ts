/**
 * One model measured in this process: session creation and first run (cold start), then per batch size a
 * warm-up and a tinybench loop over `session.run(feeds)`, memory and energy around it, and the calibration.
 */
import { ModelgateError } from '../errors.js'
import { toModelHandle, type ModelRef } from '../model/index.js'
import { calibrate } from './calibration.js'
import { benchConditions } from './conditions.js'
import { estimateEnergy, measuredEnergy, readRapl, type RaplCounter } from './energy.js'
import { createOrtSession, engineSettings, engineVersion, loadEngine, runError, sessionSignature, toOrtFeeds, type Ort, type OrtSession } from './engine.js'
import { buildFeeds, loadUserInputs, resolveInputs, type ResolvedInputs } from './inputs.js'
import { analysisAt, applyShapes, prepareModel, type PreparedModel } from './model.js'
import { sampleLatency, type LoopSettings } from './sampler.js'
import { summarizeLatency } from './stats.js'
import type { BatchPoint, BenchCompleted, BenchEnergy, BenchMemory, BenchOptions, BenchProgress, TensorInput, ValueSignature } from './types.js'

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ModelgateError('E_BENCH_OPTION', `${name} must be a non-negative number, got ${JSON.stringify(value)}.`, { value })
  return value
}

/** Warm-up and measuring settings from the options, with the documented defaults. */
export function loopSettings(options: Pick<BenchOptions, 'time' | 'iterations' | 'warmupIterations' | 'warmupTime'>): LoopSettings {
  const iterations = nonNegative('iterations', options.iterations, 10)
  const timeMs = nonNegative('time', options.time, options.iterations !== undefined ? 0 : 1000)
  if (timeMs === 0 && iterations < 1) throw new ModelgateError('E_BENCH_OPTION', 'time 0 needs iterations ≥ 1.', { value: iterations })
  const warmupIterations = nonNegative('warmupIterations', options.warmupIterations, 10)
  const warmupTimeMs = nonNegative('warmupTime', options.warmupTime, options.warmupIterations !== undefined ? 0 : 100)
  return { timeMs, minIterations: Math.ceil(iterations), warmupIterations: Math.ceil(warmupIterations), warmupTimeMs }
}

/** The batch sizes to measure (undefined = the model's own). */
export function batchList(batch: BenchOptions['batch']): (number | undefined)[] {
  if (batch === undefined) return [undefined]
  const list = typeof batch === 'number' ? [batch] : [...batch]
  if (list.length === 0) throw new ModelgateError('E_BENCH_OPTION', 'batch must be a positive integer or a non-empty list of them.', { value: batch })
  return list
}

/** The signature of the inputs as run, for checking feeds. */
export function specSignature(resolved: ResolvedInputs): ValueSignature[] {
  return resolved.specs.map((s) => ({ name: s.name, dtype: s.dtype, dims: s.dims }))
}

/** An open session with everything needed to build feeds. */
export interface OpenedModel {
  readonly ort: Ort
  readonly session: OrtSession
  readonly prepared: PreparedModel
  readonly signature: readonly ValueSignature[]
  readonly user: Readonly<Record<string, TensorInput>>
  readonly sessionCreateMs: number
  readonly rssBeforeSessionBytes: number
  readonly rssAfterSessionBytes: number
}

/** Prepares the model, loads user inputs and creates the session (timed, with RSS before and after). */
export async function openModel(model: ModelRef, options: Pick<BenchOptions, 'shapes' | 'dims' | 'inputs' | 'threads' | 'interOpThreads' | 'graphOptimizationLevel' | 'engine' | 'executionProviders'>): Promise<OpenedModel> {
  const settings = engineSettings(options)
  const prepared = prepareModel(model, options)
  const user = loadUserInputs(options.inputs)
  const ort = await loadEngine(settings.engine)
  const rssBeforeSessionBytes = process.memoryUsage.rss()
  const t0 = nowMs()
  const session = await createOrtSession(ort, prepared.path, settings)
  const sessionCreateMs = nowMs() - t0
  const rssAfterSessionBytes = process.memoryUsage.rss()
  try {
    const signature = prepared.signature ?? applyShapes(sessionSignature(session.inputMetadata), prepared.shapes, prepared.dims)
    return { ort, session, prepared, signature, user, sessionCreateMs, rssBeforeSessionBytes, rssAfterSessionBytes }
  } catch (error) {
    await session.release()
    throw error
  }
}

function checkUserNames(prepared: PreparedModel, user: Readonly<Record<string, TensorInput>>): void {
  const names = prepared.signature?.map((s) => s.name)
  if (names === undefined) return
  for (const name of Object.keys(user)) {
    if (!names.includes(name)) throw new ModelgateError('E_RUN_INPUT', `The model has no input ${JSON.stringify(name)} (its inputs: ${names.join(', ')}).`, { value: name })
  }
}

/** Feeds for a batch size, as ort tensors, checked against the signature. */
export function feedsFor(opened: OpenedModel, batch: number | undefined, seed: number): { readonly resolved: ResolvedInputs; readonly feeds: Parameters<OrtSession['run']>[0] } {
  checkUserNames({ ...opened.prepared, signature: opened.signature }, opened.user)
  const resolved = resolveInputs(opened.signature, batch, opened.user)
  const feeds = toOrtFeeds(opened.ort, specSignature(resolved), buildFeeds(resolved.specs, opened.user, seed))
  return { resolved, feeds }
}

/**
 * Measures a model in this process.
 * @param isolated true when this process is the measurement's own child (then maxrss is meaningful)
 */
export async function benchInProcess(model: ModelRef, options: BenchOptions, isolated: boolean): Promise<BenchCompleted> {
  const loop = loopSettings(options)
  const batches = batchList(options.batch)
  const seed = options.seed ?? 0
  const settings = engineSettings(options)
  const report = (p: Omit<BenchProgress, 'model'>, name: string): void => options.onProgress?.({ ...p, model: name })
  report({ phase: 'load' }, toModelHandle(model).name)
  const opened = await openModel(model, options)
  const name = opened.prepared.name
  try {
    const points: BatchPoint[] = []
    let firstRunMs = 0
    let peakRssBytes = opened.rssAfterSessionBytes
    let energy: BenchEnergy | undefined
    let memoryEstimate: BenchMemory['estimate'] = null
    let memoryNote: string | undefined
    let first: ResolvedInputs | undefined
    for (const batch of batches) {
      const { resolved, feeds } = feedsFor(opened, batch, seed)
      const run = (): Promise<unknown> => opened.session.run(feeds)
      if (first === undefined) {
        first = resolved
        const t0 = nowMs()
        await run().catch((error: unknown) => {
          throw runError(error, name)
        })
        firstRunMs = nowMs() - t0
      }
      const rapl: { before: RaplCounter[] | null } = { before: null }
      const sampled = await sampleLatency(run, loop, {
        onStart: () => {
          rapl.before = readRapl()
        },
        onProgress: (phase, fraction) => report({ phase: phase === 'warmup' ? 'warmup' : 'measure', batch: resolved.batch, fraction }, name),
      }).catch((error: unknown) => {
        throw runError(error, name)
      })
      const raplBefore = rapl.before
      const raplAfter = raplBefore === null ? null : readRapl()
      peakRssBytes = Math.max(peakRssBytes, sampled.peakRssBytes)
      const latencyMs = summarizeLatency(sampled.samples, options.keepSamples === true)
      points.push({ batch: resolved.batch, latencyMs, throughput: { samplesPerSec: (resolved.batch * 1000) / latencyMs.p50 } })
      if (energy === undefined) {
        const { report: analysis, note } = analysisAt(opened.prepared, resolved.symbols)
        energy = raplBefore !== null && raplAfter !== null
          ? measuredEnergy(raplBefore, raplAfter, sampled.samples.length, resolved.batch)
          : estimateEnergy(analysis, resolved.batch, note)
        if (analysis !== undefined) {
          const act = analysis.peakActivationBytes
          const weightsBytes = analysis.params.weightsBytes
          memoryEstimate = { weightsBytes, peakActivationBytes: typeof act === 'number' ? act : null, totalBytes: typeof act === 'number' ? act + weightsBytes : null }
        } else {
          memoryNote = note
        }
      }
    }
    const main = points[0]
    if (main === undefined || first === undefined || energy === undefined) throw new ModelgateError('E_INTERNAL', 'No batch size was measured.', { value: batches })
    const calibration = options.calibrate === false ? undefined : (report({ phase: 'calibrate' }, name), calibrate(main.latencyMs.p50))
    const memory: BenchMemory = {
      rssBeforeSessionBytes: opened.rssBeforeSessionBytes,
      rssAfterSessionBytes: opened.rssAfterSessionBytes,
      peakRssBytes,
      maxRssBytes: isolated ? process.resourceUsage().maxRSS * 1024 : null,
      estimate: memoryEstimate,
      ...(memoryNote === undefined ? {} : { note: memoryNote }),
    }
    const conditions = benchConditions({
      engineVersion: engineVersion(opened.ort, settings.engine),
      settings,
      batch: first.batch,
      specs: first.specs,
      warmup: { iterations: loop.warmupIterations, timeMs: loop.warmupTimeMs },
      measure: { timeMs: loop.timeMs, minIterations: loop.minIterations },
      isolated,
    })
    return {
      state: 'completed',
      model: name,
      latencyMs: main.latencyMs,
      throughput: main.throughput,
      coldStart: { sessionCreateMs: opened.sessionCreateMs, firstRunMs },
      memory,
      conditions,
      energy,
      ...(calibration === undefined ? {} : { calibration }),
      ...(points.length > 1 ? { batchSweep: points } : {}),
    }
  } finally {
    await opened.session.release()
  }
}
