/**
 * The door to the engines (onnxruntime-node, onnxruntime-web): lazy loading, execution providers, sessions,
 * tensors in and out, and the engines' errors turned into ModelgateErrors. Nothing else in modelgate imports them.
 */
import { ModelgateError, isModelgateError } from '../errors.js'
import { checkProviders } from './providers.js'
import type { EngineName, EngineOptions, GraphOptimizationLevel, TensorDtype, TensorInput, TensorOutput, TypedArray, ValueSignature } from './types.js'

/**
 * The engine module. onnxruntime-web exposes the same onnxruntime-common API (InferenceSession, Tensor, env), so
 * one type serves both; `listSupportedBackends` exists on onnxruntime-node only.
 */
export type Ort = typeof import('onnxruntime-node')
/** An onnxruntime session. */
export type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>
/** An onnxruntime tensor. */
export type OrtTensor = InstanceType<Ort['Tensor']>

/** The engines modelgate can measure with. */
export const ENGINES: readonly EngineName[] = ['onnxruntime-node', 'onnxruntime-web']

/** The execution provider each engine uses when none is asked for. */
export const DEFAULT_PROVIDERS: Readonly<Record<EngineName, readonly string[]>> = { 'onnxruntime-node': ['cpu'], 'onnxruntime-web': ['wasm'] }

const loading = new Map<EngineName, Promise<Ort>>()

/**
 * Loads an engine once (dynamic import, so static analysis works without it).
 * @throws ModelgateError E_RUNTIME_MISSING when it is not installed
 */
export function loadEngine(name: EngineName): Promise<Ort> {
  let promise = loading.get(name)
  if (promise === undefined) {
    const imported: Promise<unknown> = name === 'onnxruntime-web' ? import('onnxruntime-web') : import('onnxruntime-node')
    promise = imported.then((m) => m as Ort).catch((error: unknown) => {
      loading.delete(name)
      throw new ModelgateError('E_RUNTIME_MISSING', `${name} could not be loaded (${(error as Error).message.split('\n')[0] ?? ''}).`, { value: name, cause: error })
    })
    loading.set(name, promise)
  }
  return promise
}

/** Engine settings with defaults applied. */
export interface EngineSettings {
  readonly engine: EngineName
  /** The execution providers asked for, in order (no silent fallback: each must be available). */
  readonly executionProviders: readonly string[]
  readonly intraOpThreads: number
  readonly interOpThreads: number
  readonly graphOptimizationLevel: GraphOptimizationLevel
}

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all']

/** Applies the defaults (onnxruntime-node on its CPU provider, 1 intra-op thread, 1 inter-op thread, level 'all') and checks the values. */
export function engineSettings(options: EngineOptions): EngineSettings {
  const count = (name: string, v: number | undefined): number => {
    if (v === undefined) return 1
    if (!Number.isSafeInteger(v) || v < 0) throw new ModelgateError('E_BENCH_OPTION', `${name} must be a non-negative integer, got ${JSON.stringify(v)}.`, { value: v })
    return v
  }
  const level = options.graphOptimizationLevel ?? 'all'
  if (!LEVELS.includes(level)) throw new ModelgateError('E_BENCH_OPTION', `graphOptimizationLevel must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}.`, { value: level })
  const engine = options.engine ?? 'onnxruntime-node'
  if (!ENGINES.includes(engine)) throw new ModelgateError('E_BENCH_OPTION', `engine must be one of ${ENGINES.join(', ')}, got ${JSON.stringify(engine)}.`, { value: engine })
  const providers = options.executionProviders ?? DEFAULT_PROVIDERS[engine]
  if (!Array.isArray(providers) || providers.length === 0 || providers.some((p) => typeof p !== 'string' || p === '')) {
    throw new ModelgateError('E_BENCH_OPTION', `executionProviders must be a non-empty list of provider names such as ['${DEFAULT_PROVIDERS[engine][0] ?? 'cpu'}'], got ${JSON.stringify(providers)}.`, { value: providers })
  }
  return {
    engine,
    executionProviders: [...new Set(providers)],
    intraOpThreads: count('threads', options.threads),
    interOpThreads: count('interOpThreads', options.interOpThreads),
    graphOptimizationLevel: level,
  }
}

/** The engine's version, as reported by the loaded module. */
export function engineVersion(ort: Ort, engine: EngineName): string {
  const versions = ort.env.versions as { readonly node?: string; readonly web?: string; readonly common: string }
  return (engine === 'onnxruntime-web' ? versions.web : versions.node) ?? versions.common
}

/** The execution providers as conditions name them: `cpu`, `wasm`, `cuda,cpu` … */
export function providerLabel(settings: EngineSettings): string {
  return settings.executionProviders.join(',')
}

/** onnxruntime-web's wasm backend fixes its thread count when it first initialises, for the whole process. */
let webThreads: number | undefined

function configureWeb(ort: Ort, settings: EngineSettings): void {
  const wasm = ort.env.wasm
  if (webThreads === undefined) {
    webThreads = settings.intraOpThreads
    // 0 keeps onnxruntime-web's own choice (half the cores, at most 4); SIMD is always on in 1.30's wasm build.
    if (settings.intraOpThreads > 0) wasm.numThreads = settings.intraOpThreads
    wasm.simd = true
    return
  }
  if (webThreads !== settings.intraOpThreads) {
    throw new ModelgateError('E_BENCH_OPTION', `onnxruntime-web's wasm backend already runs with ${webThreads} thread(s) in this process and cannot switch to ${settings.intraOpThreads}; measure with isolate: true (CLI default) to get a fresh process.`, { value: settings.intraOpThreads })
  }
}

/** Session options for the given providers (`quiet` silences the engine's log for a probe that may fail). */
export function sessionOptions(settings: EngineSettings, providers: readonly string[], quiet = false): Parameters<Ort['InferenceSession']['create']>[1] {
  return {
    executionProviders: [...providers],
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: settings.interOpThreads,
    graphOptimizationLevel: settings.graphOptimizationLevel,
    executionMode: 'sequential',
    // A probe's failure is expected: keep the engine's own error log out of the user's terminal.
    logSeverityLevel: quiet ? 4 : 3,
  }
}

/**
 * Opens an engine session on the asked-for execution providers (each checked first: no silent fallback).
 * @throws ModelgateError E_ENGINE_PROVIDER for an absent provider, E_SESSION_CREATE with the engine's message
 */
export async function createOrtSession(ort: Ort, path: string | Uint8Array, settings: EngineSettings): Promise<OrtSession> {
  if (settings.engine === 'onnxruntime-web') configureWeb(ort, settings)
  await checkProviders(ort, settings)
  try {
    const options = sessionOptions(settings, settings.executionProviders)
    // two calls only because create() is overloaded on the path's type
    return typeof path === 'string' ? await ort.InferenceSession.create(path, options) : await ort.InferenceSession.create(path, options)
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim()
    const label = typeof path === 'string' ? JSON.stringify(path) : `a ${path.byteLength}-byte model`
    throw new ModelgateError('E_SESSION_CREATE', `${settings.engine} cannot load ${label}: ${reason}.`, { value: label, ...(typeof path === 'string' ? { file: path } : {}), cause: error })
  }
}

/** The session's inputs or outputs as signatures (symbolic dims are strings; non-tensors get dtype 'non-tensor'). */
export function sessionSignature(metadata: OrtSession['inputMetadata']): ValueSignature[] {
  return metadata.map((m) => (m.isTensor ? { name: m.name, dtype: m.type, dims: [...m.shape] } : { name: m.name, dtype: 'non-tensor', dims: [] }))
}

/** The typed-array class of each dtype. */
const ARRAY_OF: Readonly<Record<Exclude<TensorDtype, 'string'>, new (n: number) => TypedArray>> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
}

/** True for a dtype the Node binding takes. */
export function isSupportedDtype(dtype: string): dtype is TensorDtype {
  return dtype === 'string' || Object.hasOwn(ARRAY_OF, dtype)
}

/** A zero-filled array of `count` elements for the dtype. */
export function allocate(dtype: Exclude<TensorDtype, 'string'>, count: number): TypedArray {
  return new ARRAY_OF[dtype](count)
}

function describeData(data: unknown): string {
  if (Array.isArray(data)) return 'an array'
  return typeof data === 'object' && data !== null ? data.constructor.name : typeof data
}

function dataMatches(dtype: string, data: unknown): boolean {
  if (dtype === 'string') return Array.isArray(data) && data.every((s) => typeof s === 'string')
  const ctor = isSupportedDtype(dtype) ? ARRAY_OF[dtype as Exclude<TensorDtype, 'string'>] : undefined
  return ctor !== undefined && data instanceof ctor
}

/**
 * Checks a feed against its input signature and wraps it in an ort Tensor.
 * @throws ModelgateError E_RUN_INPUT naming the input, what was expected and what was given
 */
export function toOrtTensor(ort: Ort, expected: ValueSignature, input: TensorInput): OrtTensor {
  const fail = (problem: string): never => {
    throw new ModelgateError('E_RUN_INPUT', `Input ${JSON.stringify(expected.name)}: ${problem}.`, { value: expected.name })
  }
  if (typeof input !== 'object' || input === null || !Array.isArray(input.dims)) fail('expected { data, dims }')
  if (!isSupportedDtype(expected.dtype)) fail(`the model wants ${expected.dtype}, which the Node binding cannot pass`)
  if (!dataMatches(expected.dtype, input.data)) {
    const wanted = expected.dtype === 'string' ? 'an array of strings' : ARRAY_OF[expected.dtype as Exclude<TensorDtype, 'string'>].name
    fail(`the model wants ${expected.dtype} (${wanted}), got ${describeData(input.data)}`)
  }
  const dims = input.dims
  if (dims.length !== expected.dims.length) fail(`the model wants rank ${expected.dims.length} ${JSON.stringify(expected.dims)}, got dims ${JSON.stringify(dims)}`)
  dims.forEach((d, i) => {
    const want = expected.dims[i]
    if (!Number.isSafeInteger(d) || d < 0) fail(`dims[${i}] = ${JSON.stringify(d)} is not a non-negative integer`)
    if (typeof want === 'number' && want >= 0 && want !== d) fail(`the model fixes dim ${i} to ${want} ${JSON.stringify(expected.dims)}, got dims ${JSON.stringify(dims)}`)
  })
  const count = dims.reduce((n, d) => n * d, 1)
  if (input.data.length !== count) fail(`dims ${JSON.stringify(dims)} hold ${count} elements but the data has ${input.data.length}`)
  const type = expected.dtype as TensorDtype
  return type === 'string'
    ? new ort.Tensor('string', [...(input.data as readonly string[])], [...dims])
    : new ort.Tensor(type, input.data as never, [...dims])
}

/**
 * Builds the feeds of a run: every input of the signature, none other.
 * @throws ModelgateError E_RUN_INPUT for a missing or unknown input or a mismatching tensor
 */
export function toOrtFeeds(ort: Ort, signature: readonly ValueSignature[], feeds: Readonly<Record<string, TensorInput>>): Record<string, OrtTensor> {
  if (typeof feeds !== 'object' || feeds === null) throw new ModelgateError('E_RUN_INPUT', `Feeds must be an object of { data, dims } by input name, got ${feeds === null ? 'null' : typeof feeds}.`, { value: feeds })
  const names = new Set(signature.map((s) => s.name))
  for (const name of Object.keys(feeds)) {
    if (!names.has(name)) throw new ModelgateError('E_RUN_INPUT', `The model has no input ${JSON.stringify(name)} (its inputs: ${[...names].join(', ')}).`, { value: name })
  }
  const out: Record<string, OrtTensor> = {}
  for (const s of signature) {
    const feed = feeds[s.name]
    if (feed === undefined) throw new ModelgateError('E_RUN_INPUT', `Input ${JSON.stringify(s.name)} is missing (${s.dtype} ${JSON.stringify(s.dims)}).`, { value: s.name })
    out[s.name] = toOrtTensor(ort, s, feed)
  }
  return out
}

const INPUT_MISMATCH = /invalid dimensions for input|invalid rank for input|unexpected input data type|is missing in 'feeds'|input .* not found/i

/** The engine's error during a run as a ModelgateError: E_RUN_INPUT when it is about the feeds, else E_RUN_FAILED. */
export function runError(error: unknown, model: string): ModelgateError {
  if (isModelgateError(error)) return error
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
  const code = INPUT_MISMATCH.test(reason) ? 'E_RUN_INPUT' : 'E_RUN_FAILED'
  return new ModelgateError(code, `onnxruntime failed to run ${JSON.stringify(model)}: ${reason}.`, { value: model, cause: error })
}

/** An ort output tensor as plain data. */
export function fromOrtTensor(tensor: OrtTensor): TensorOutput {
  return { data: tensor.data as TypedArray | string[], dims: [...tensor.dims], dtype: tensor.type }
}
