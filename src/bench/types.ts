/**
 * The runner's public types: options and results of `benchModel`, `compareLatency` and `openSession`.
 * Every result is plain JSON data (no class instances, no bigint).
 */
import { optionKeys } from '../_options.js'
import type { MeasurementConditions } from '../report/types.js'
import type { LatencyStats } from './stats.js'
import type { LatencyVerdict } from './verdict.js'

export type { LatencyStats } from './stats.js'
export type { LatencyVerdict } from './verdict.js'

/** The typed arrays the onnxruntime Node binding takes and returns. */
export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array

/** Element types the Node binding supports (float16 travels as Uint16Array bit patterns, bool as Uint8Array 0/1). */
export type TensorDtype =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool' | 'string'

/** A tensor given to the engine: row-major data and dims (strings for string tensors). */
export interface TensorInput {
  readonly data: TypedArray | readonly string[]
  readonly dims: readonly number[]
}

/** The keys of {@link TensorInput}. */
export const TENSOR_INPUT_KEYS = optionKeys<TensorInput>({ data: true, dims: true })

/** A tensor the engine returned. */
export interface TensorOutput {
  readonly data: TypedArray | string[]
  readonly dims: number[]
  readonly dtype: string
}

/** An input or output of a session: symbolic dims are strings. */
export interface ValueSignature {
  readonly name: string
  readonly dtype: string
  readonly dims: readonly (number | string)[]
}

/** ONNX Runtime graph optimisation levels. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all'

/** The engines modelgate measures with: native onnxruntime, or its WebAssembly build (what a browser runs). */
export type EngineName = 'onnxruntime-node' | 'onnxruntime-web'

/** Engine settings shared by every entry point. */
export interface EngineOptions {
  /** The engine: `onnxruntime-node` (native) or `onnxruntime-web` (WebAssembly, run in Node; an optional peer). @default 'onnxruntime-node' */
  readonly engine?: EngineName
  /**
   * Execution providers, in order, e.g. `['cuda']`. Each one must be available on this machine (else
   * E_ENGINE_PROVIDER lists those that are): modelgate never falls back to the CPU silently.
   * @default ['cpu'] for onnxruntime-node, ['wasm'] for onnxruntime-web
   */
  readonly executionProviders?: readonly string[]
  /** Intra-op threads; 0 lets onnxruntime choose (one per physical core). @default 1 */
  readonly threads?: number
  /** Inter-op threads (used only by the parallel executor; modelgate runs sequentially). @default 1 */
  readonly interOpThreads?: number
  /** @default 'all' */
  readonly graphOptimizationLevel?: GraphOptimizationLevel
}

/** The keys of {@link EngineOptions}, spread into the lists of the options that extend it. */
export const ENGINE_OPTION_KEYS = optionKeys<EngineOptions>({ threads: true, interOpThreads: true, graphOptimizationLevel: true, engine: true, executionProviders: true })

/** Options of `openSession`. */
export interface SessionOptions extends EngineOptions {
  /** Input name → concrete dims; fills symbolic dims of `inputs` in the returned session. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  /** Symbolic dim (dim_param) → size. */
  readonly dims?: Readonly<Record<string, number>>
}

/** The keys of {@link SessionOptions}. */
export const SESSION_OPTION_KEYS = optionKeys<SessionOptions>({ ...ENGINE_OPTION_KEYS, shapes: true, dims: true })

/** An open onnxruntime session: the only door to the engine for the rest of modelgate. */
export interface EngineSession {
  readonly inputs: readonly ValueSignature[]
  readonly outputs: readonly ValueSignature[]
  /**
   * Runs the model once.
   * @throws ModelgateError E_RUN_INPUT for a missing, unknown or mis-typed/mis-shaped input, E_RUN_FAILED when the engine fails
   */
  run(feeds: Readonly<Record<string, TensorInput>>): Promise<Record<string, TensorOutput>>
  /** Releases the native session; runs after this throw. */
  close(): Promise<void>
}

/** A progress report of a running measurement. */
export interface BenchProgress {
  readonly phase: 'load' | 'warmup' | 'measure' | 'calibrate'
  readonly model: string
  readonly batch?: number
  /** Fraction of the measuring time (or iterations) done, 0–1. */
  readonly fraction?: number
}

/** Options of `benchModel`. */
export interface BenchOptions extends EngineOptions {
  /** Input shapes, merged over the handle's. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  /** Symbolic dim sizes, merged over the handle's. */
  readonly dims?: Readonly<Record<string, number>>
  /** Batch size(s): sets the leading symbolic dim of the inputs; several values give a sweep. @default the model's batch, or 1 when symbolic */
  readonly batch?: number | readonly number[]
  /** User tensors by input name: data, or the path of a `.npy` file. Inputs not given are seeded. */
  readonly inputs?: Readonly<Record<string, TensorInput | string>>
  /** Seed of the generated inputs. @default 0 */
  readonly seed?: number
  /** Minimum measuring time per batch size, ms, counted over the timed runs only (tinybench `time`). @default 1000, or 0 when `iterations` is given */
  readonly time?: number
  /** Minimum number of timed runs per batch size (exactly this many when `time` is 0). @default 10 */
  readonly iterations?: number
  /** Untimed warm-up runs before measuring. @default 10 */
  readonly warmupIterations?: number
  /** Minimum warm-up time, ms. @default 100, or 0 when `warmupIterations` is given */
  readonly warmupTime?: number
  /** Include the samples (ascending) as `latencyMs.raw`. @default false */
  readonly keepSamples?: boolean
  /** Time the machine-calibration workload after measuring. @default true */
  readonly calibrate?: boolean
  /** Measure in a child process, so a native crash or a hang becomes an `errored` result. @default false */
  readonly isolate?: boolean
  /** Time-out of an isolated run, ms (the child is killed). @default 120000 */
  readonly timeoutMs?: number
  /** Called with progress reports (at most every ~200 ms while measuring). */
  readonly onProgress?: (progress: BenchProgress) => void
}

/** The keys of {@link BenchOptions}; any other key is refused. */
export const BENCH_OPTION_KEYS = optionKeys<BenchOptions>({
  ...ENGINE_OPTION_KEYS, shapes: true, dims: true, batch: true, inputs: true, seed: true, time: true, iterations: true,
  warmupIterations: true, warmupTime: true, keepSamples: true, calibrate: true, isolate: true, timeoutMs: true, onProgress: true,
})

/** Conditions of a measurement: what the report needs ({@link MeasurementConditions}) and the details behind it. */
export interface BenchConditions extends MeasurementConditions {
  readonly executionMode: 'sequential'
  /** The inputs as run: dims concrete. */
  readonly inputs: readonly { readonly name: string; readonly dtype: string; readonly dims: readonly number[] }[]
  readonly warmup: { readonly iterations: number; readonly timeMs: number }
  readonly measure: { readonly timeMs: number; readonly minIterations: number }
  /** Clock of the timed section. */
  readonly timer: 'hrtimeNow'
  /** True when measured in a child process. */
  readonly isolated: boolean
}

/** Memory: measured resident set sizes next to the analyzer's static estimate. */
export interface BenchMemory {
  readonly rssBeforeSessionBytes: number
  readonly rssAfterSessionBytes: number
  /** Highest RSS sampled (every ≥ 5 ms, outside the timed section) during warm-up and measurement. */
  readonly peakRssBytes: number
  /** The process's lifetime peak RSS (getrusage maxrss); only for an isolated run, where the process is the measurement's own. */
  readonly maxRssBytes: number | null
  /** The analyzer's figures at these shapes; null when the analysis failed (see `note`). */
  readonly estimate: {
    readonly weightsBytes: number
    readonly peakActivationBytes: number | null
    readonly totalBytes: number | null
  } | null
  readonly note?: string
}

/** Energy per inference (one run of a batch): measured by RAPL counters, or estimated from the analysis. */
export type BenchEnergy =
  | {
    readonly kind: 'measured'
    readonly joulesPerInference: number
    readonly joulesPerSample: number
    /** The counters read, e.g. `RAPL /sys/class/powercap/intel-rapl:0 (package-0)`. */
    readonly source: string
    readonly note: string
  }
  | {
    readonly kind: 'estimated'
    /** null when the analysis has no numeric MACs/memory traffic at these shapes (see `note`). */
    readonly joulesPerInference: number | null
    readonly joulesPerSample: number | null
    readonly source: string
    readonly note: string
  }

/** Machine calibration: a fixed pure-JS workload timed in the same process. */
export interface BenchCalibration {
  /** Name and version of the workload. */
  readonly workload: string
  /** Median time of one workload run, ms. */
  readonly referenceMs: number
  /** latency p50 ÷ referenceMs: comparable across machines of the same engine version, threads and provider. */
  readonly normalizedP50: number
}

/** Latency and throughput at one batch size. */
export interface BatchPoint {
  readonly batch: number
  readonly latencyMs: LatencyStats
  readonly throughput: { readonly samplesPerSec: number }
}

/** A completed measurement. */
export interface BenchCompleted {
  readonly state: 'completed'
  readonly model: string
  /** Latency of one `session.run` at the first batch size. */
  readonly latencyMs: LatencyStats
  /** batch ÷ median latency. */
  readonly throughput: { readonly samplesPerSec: number }
  readonly coldStart: { readonly sessionCreateMs: number; readonly firstRunMs: number }
  readonly memory: BenchMemory
  readonly conditions: BenchConditions
  readonly energy: BenchEnergy
  readonly calibration?: BenchCalibration
  /** Every batch size measured, the first one included (only when several were asked for). */
  readonly batchSweep?: readonly BatchPoint[]
}

/** An isolated measurement whose engine crashed or hung. */
export interface BenchErrored {
  readonly state: 'errored'
  readonly model: string
  readonly error: { readonly code: 'E_RUN_CRASHED' | 'E_RUN_TIMEOUT'; readonly message: string }
}

/** The result of `benchModel`. */
export type BenchResult = BenchCompleted | BenchErrored

/** Per-model options of a comparison. */
export interface CompareSideOptions extends EngineOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  readonly dims?: Readonly<Record<string, number>>
  readonly inputs?: Readonly<Record<string, TensorInput | string>>
}

/** The keys of {@link CompareSideOptions}. */
export const COMPARE_SIDE_OPTION_KEYS = optionKeys<CompareSideOptions>({ ...ENGINE_OPTION_KEYS, shapes: true, dims: true, inputs: true })

/** Options of `compareLatency`. */
export interface CompareOptions extends EngineOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  readonly dims?: Readonly<Record<string, number>>
  readonly batch?: number
  readonly inputs?: Readonly<Record<string, TensorInput | string>>
  readonly seed?: number
  /** Measuring time per model, ms, split over the rounds. @default 1000 */
  readonly time?: number
  /** Rounds of the interleaving (A B, then B A, …). @default blocks of ≥ 10 ms and ≥ 2 runs: time/max(10 ms, 2 × run time), clamped to 4–100 */
  readonly rounds?: number
  /** Untimed warm-up runs of each model before the first round (at least one: it also sizes the rounds). @default 10 */
  readonly warmupIterations?: number
  /** The slowdown that must be caught, as a fraction. @default 0.1 */
  readonly threshold?: number
  /**
   * Adaptive sampling: after the first `time`'s rounds, keep adding as many rounds until the interval is clear
   * of the decision `bounds` (above, below or between them) or this much wall time, ms, has passed since the
   * comparison started (sessions, warm-up and bootstrap included). @default undefined (one fixed `time`)
   */
  readonly maxTime?: number
  /** Decision bounds of adaptive sampling, [lower, upper]. @default the verdict's guard band [1/(1 + t/2), 1 + t/2] */
  readonly bounds?: readonly [number, number]
  /** Overrides for model A / model B (threads that differ make the verdict `incomparable`). */
  readonly a?: CompareSideOptions
  readonly b?: CompareSideOptions
  /** Run the comparison in a child process. @default false */
  readonly isolate?: boolean
  /** Time-out of an isolated comparison, ms. @default 120000 */
  readonly timeoutMs?: number
  readonly onProgress?: (progress: BenchProgress) => void
}

/** The keys of {@link CompareOptions}; any other key is refused. */
export const COMPARE_OPTION_KEYS = optionKeys<CompareOptions>({
  ...ENGINE_OPTION_KEYS, shapes: true, dims: true, batch: true, inputs: true, seed: true, time: true, rounds: true,
  warmupIterations: true, threshold: true, a: true, b: true, isolate: true, timeoutMs: true, onProgress: true, maxTime: true, bounds: true,
})

/** One side of a comparison. */
export interface ComparedSide {
  readonly model: string
  readonly latencyMs: LatencyStats
  readonly throughput: { readonly samplesPerSec: number }
  readonly conditions: BenchConditions
}

/** The result of `compareLatency`. */
export interface LatencyComparison {
  readonly verdict: LatencyVerdict
  /** median(B) ÷ median(A), over all timed runs: > 1 means B is slower. */
  readonly ratio: number
  /** Confidence interval of `ratio` (seeded block bootstrap over rounds). */
  readonly ci: readonly [number, number]
  readonly confidence: number
  /** The slowdown that must be caught, as a fraction. */
  readonly threshold: number
  readonly rounds: number
  /** Wall time of the comparison, ms (sessions, warm-up, rounds, bootstrap). */
  readonly elapsedMs?: number
  /** Adaptive sampling only: the interval cleared the bounds, or the time cap stopped it. */
  readonly stoppedBy?: 'decided' | 'time-cap'
  /** How the verdict was reached, in words. */
  readonly method: string
  readonly a: ComparedSide
  readonly b: ComparedSide
  /** The conditions of A (B's are on `b`); differences make the verdict `incomparable`. */
  readonly conditions: BenchConditions
  readonly note?: string
}
