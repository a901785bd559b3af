/**
 * Model handles: what `loadModel()` returns and what matchers, the runner and the evaluator accept.
 * A handle is a path plus the input shapes/dims to use; its static analysis is computed once, on demand.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { checkOptionKeys, optionKeys } from '../_options.js'
import { analyzeModelSync, ANALYZE_OPTION_KEYS, type AnalysisReport, type AnalyzeOptions } from '../analysis/index.js'
import { ModelgateError } from '../errors.js'

/** Options of {@link loadModel}: the shapes the model is analysed and run with. */
export interface ModelOptions extends AnalyzeOptions {
  /** A display name (default: the path as given). */
  readonly name?: string
}

/** The keys of {@link ModelOptions}; any other key is refused. */
export const MODEL_OPTION_KEYS = optionKeys<ModelOptions>({ ...ANALYZE_OPTION_KEYS, name: true })

/** A model and the shapes to use it with. */
export interface ModelHandle {
  readonly kind: 'modelgate-model'
  /** Absolute path of the .onnx file. */
  readonly path: string
  /** The path as given (used in messages and as the default display name). */
  readonly name: string
  readonly options: ModelOptions
  /** The static analysis at these shapes (computed on first use, then cached). */
  analysis(): AnalysisReport
}

/** Anything that names a model: a handle or a path. */
export type ModelRef = ModelHandle | string

/**
 * Names a model for the gate: checks that the file exists; analysis runs lazily.
 * @param path path to an .onnx file, relative to the current working directory
 * @param options input shapes (`shapes`), symbolic dim sizes (`dims`) and a display `name`
 * @returns a handle that `expect()`, `benchModel()` and `evaluateModel()` accept
 */
export async function loadModel(path: string, options: ModelOptions = {}): Promise<ModelHandle> {
  await Promise.resolve()
  return createModelHandle(path, options)
}

/** The synchronous core of {@link loadModel}. */
export function createModelHandle(path: string, options: ModelOptions = {}): ModelHandle {
  if (typeof path !== 'string' || path === '') {
    throw new ModelgateError('E_MATCHER_INPUT', `Expected a path to an .onnx file, got ${JSON.stringify(path)}.`, { value: path })
  }
  checkOptionKeys(options, MODEL_OPTION_KEYS, 'loadModel()')
  const absolute = resolve(path)
  try {
    if (!statSync(absolute).isFile()) throw new Error('not a file')
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `No model file at ${JSON.stringify(path)}.`, { value: path, file: absolute, cause: error })
  }
  let cached: AnalysisReport | undefined
  return {
    kind: 'modelgate-model',
    path: absolute,
    name: options.name ?? path,
    options,
    analysis() {
      const { name: _name, ...analyzeOptions } = options
      cached ??= analyzeModelSync(absolute, analyzeOptions)
      return cached
    },
  }
}

/** True for a {@link ModelHandle}. */
export function isModelHandle(value: unknown): value is ModelHandle {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'modelgate-model'
}

/** A handle for a ref (paths become handles with default options). */
export function toModelHandle(ref: ModelRef, options: ModelOptions = {}): ModelHandle {
  if (isModelHandle(ref)) return ref
  if (typeof ref === 'string') return createModelHandle(ref, options)
  throw new ModelgateError('E_MATCHER_INPUT', `Expected a model handle from loadModel() or a path, got ${ref === null ? 'null' : typeof ref}.`, { value: ref })
}
