/**
 * What the runner knows about a model before the engine sees it: its path, display name, shapes/dims, its input
 * signature from the static analysis, and the analysis at the shapes actually run (for the memory and energy
 * estimates). When the analyzer cannot handle a model the engine may still run it: the signature then comes from
 * the session and the estimates are left out with a note.
 */
import type { AnalysisReport } from '../analysis/index.js'
import { isModelgateError, ModelgateError, type ModelgateErrorCode } from '../errors.js'
import { createModelHandle, toModelHandle, type ModelRef } from '../model/index.js'
import type { ValueSignature } from './types.js'

/** A model ready to be measured. */
export interface PreparedModel {
  readonly path: string
  readonly name: string
  readonly shapes: Readonly<Record<string, readonly number[]>>
  readonly dims: Readonly<Record<string, number>>
  /** From the analysis; undefined when it failed (take it from the session). */
  readonly signature: readonly ValueSignature[] | undefined
  /** Why the analysis failed, when it did. */
  readonly analysisNote: string | undefined
}

/** Codes of the analysis that are the caller's mistake: thrown, not worked around. */
const CALLER_ERRORS: ReadonlySet<ModelgateErrorCode> = new Set(['E_INPUT', 'E_FILE_NOT_FOUND', 'E_FILE_READ', 'E_SHAPE_OPTION', 'E_DIM_OPTION', 'E_MATCHER_INPUT'])

function analysisFailure(error: unknown): string {
  if (isModelgateError(error) && CALLER_ERRORS.has(error.code)) throw error
  return `the static analysis failed (${isModelgateError(error) ? error.code : 'error'}: ${error instanceof Error ? error.message : String(error)})`
}

/**
 * Resolves a model reference and its shapes.
 * @throws ModelgateError E_FILE_NOT_FOUND, E_SHAPE_OPTION, E_DIM_OPTION for bad arguments
 */
export function prepareModel(model: ModelRef, options: { readonly shapes?: Readonly<Record<string, readonly number[]>> | undefined; readonly dims?: Readonly<Record<string, number>> | undefined }): PreparedModel {
  const handle = toModelHandle(model)
  const shapes = { ...handle.options.shapes, ...options.shapes }
  const dims = { ...handle.options.dims, ...options.dims }
  const base = { path: handle.path, name: handle.name, shapes, dims }
  try {
    const report = createModelHandle(handle.path, { shapes, dims }).analysis()
    const signature = report.inputs.map((i): ValueSignature => ({ name: i.name, dtype: i.dtype, dims: i.dims === null ? [] : [...i.dims] }))
    return { ...base, signature, analysisNote: undefined }
  } catch (error) {
    return { ...base, signature: undefined, analysisNote: analysisFailure(error) }
  }
}

/**
 * The session's signature with the model's shapes and dims applied (when the analysis could not give it).
 * @throws ModelgateError E_SHAPE_OPTION for a shape of the wrong rank or an unknown input
 */
export function applyShapes(signature: readonly ValueSignature[], shapes: PreparedModel['shapes'], dims: PreparedModel['dims']): ValueSignature[] {
  for (const name of Object.keys(shapes)) {
    if (!signature.some((s) => s.name === name)) throw new ModelgateError('E_SHAPE_OPTION', `The model has no input ${JSON.stringify(name)} (its inputs: ${signature.map((s) => s.name).join(', ')}).`, { value: name })
  }
  return signature.map((s) => {
    const given = shapes[s.name]
    if (given !== undefined) {
      if (given.length !== s.dims.length) throw new ModelgateError('E_SHAPE_OPTION', `shapes.${s.name} has rank ${given.length} but the input has rank ${s.dims.length} (${JSON.stringify(s.dims)}).`, { value: given })
      return { ...s, dims: [...given] }
    }
    return { ...s, dims: s.dims.map((d) => (typeof d === 'string' ? (dims[d] ?? d) : d)) }
  })
}

/** The analysis at the dims actually run, or a note saying why there is none. */
export function analysisAt(prepared: PreparedModel, symbols: Readonly<Record<string, number>>): { readonly report?: AnalysisReport; readonly note?: string } {
  if (prepared.analysisNote !== undefined) return { note: prepared.analysisNote }
  try {
    const report = createModelHandle(prepared.path, { shapes: prepared.shapes, dims: { ...prepared.dims, ...symbols } }).analysis()
    return { report }
  } catch (error) {
    return { note: `the static analysis failed at these shapes (${error instanceof Error ? error.message : String(error)})` }
  }
}
