/**
 * The runner: measured latency, throughput, memory and energy of a model in onnxruntime-node, paired latency
 * comparisons, and the one door to the engine (`openSession`).
 */
export { benchModel, compareLatency, openSession } from './bench.js'
export { ENGINES } from './engine.js'
export type {
  BatchPoint,
  BenchCalibration,
  BenchCompleted,
  BenchConditions,
  BenchEnergy,
  BenchErrored,
  BenchMemory,
  BenchOptions,
  BenchProgress,
  BenchResult,
  CompareOptions,
  CompareSideOptions,
  ComparedSide,
  EngineName,
  EngineOptions,
  EngineSession,
  GraphOptimizationLevel,
  LatencyComparison,
  LatencyStats,
  LatencyVerdict,
  SessionOptions,
  TensorDtype,
  TensorInput,
  TensorOutput,
  TypedArray,
  ValueSignature,
} from './types.js'
