/**
 * Tensor data sets: inputs already preprocessed (so results are exact across machines — no image decoder
 * involved), with integer labels. Layouts read:
 *
 * - an `.npz` archive holding the inputs (array `x`, `inputs`, `input`, `images` or `data`, or the model input's
 *   name) and the labels (`y`, `labels`, `label` or `targets`);
 * - a folder with `inputs.npy` (or `x.npy`) and `labels.npy` (or `y.npy`, or `labels.json`, a JSON array);
 * - a folder of ONNX `TensorProto` files (`*.pb`, one sample each, natural name order — `input_2.pb` before
 *   `input_10.pb` — or the ONNX test layout `test_data_set_*\/input_0.pb`) with `labels.json` or `labels.npy` beside them.
 *
 * The first dim of `.npy`/`.npz` inputs is the sample index. An optional `classes.json` (array of names) beside
 * the data names the classes.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { readNpy, type NpyArray } from '../bench/npy.js'
import type { TypedArray } from '../bench/types.js'
import { ModelgateError } from '../errors.js'
import { decodeTensorProto } from '../onnx/decode.js'
import { decodeElements } from '../onnx/tensor-data.js'
import { decodeNpz } from './npz.js'

/** A loaded tensor set: every sample's input stacked along dim 0. */
export interface TensorSet {
  readonly root: string
  /** Sample-wise input data, dims [samples, ...]. */
  readonly inputs: { readonly data: TypedArray; readonly dims: readonly number[]; readonly dtype: string }
  readonly labels: readonly number[]
  /** The file the labels came from (for messages). */
  readonly labelsFile: string
  /** Class names from classes.json, when there is one. */
  readonly classes: readonly string[] | undefined
}

const INPUT_KEYS = ['x', 'inputs', 'input', 'images', 'data']
const LABEL_KEYS = ['y', 'labels', 'label', 'targets']

function formatError(file: string, why: string, cause?: unknown): ModelgateError {
  return new ModelgateError('E_DATASET_FORMAT', `The tensor set ${JSON.stringify(file)}: ${why}.`, { file, value: file, cause })
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `Cannot read ${JSON.stringify(file)}.`, { file, value: file, cause: error })
  }
}

function numericArray(a: NpyArray, file: string): TypedArray {
  if (Array.isArray(a.data)) throw formatError(file, 'holds strings, not numbers')
  return a.data as TypedArray
}

/** Labels as integers; checks they are whole numbers (the range is checked against the model's classes later). */
function toLabels(values: ArrayLike<number | bigint>, file: string): number[] {
  const out: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i])
    if (!Number.isInteger(v) || v < 0) {
      throw new ModelgateError('E_LABEL_RANGE', `Label ${i} in ${JSON.stringify(file)} is ${String(values[i])}, not a class index.`, { file, value: values[i] })
    }
    out.push(v)
  }
  return out
}

function readLabelsFile(file: string): number[] {
  if (file.endsWith('.json')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder().decode(readBytes(file)))
    } catch (error) {
      if (error instanceof ModelgateError) throw error
      throw formatError(file, 'is not valid JSON', error)
    }
    if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'number')) throw formatError(file, 'must be a JSON array of class indices')
    return toLabels(parsed as number[], file)
  }
  const a = readNpy(file)
  return toLabels(numericArray(a, file) as ArrayLike<number | bigint>, file)
}

function readClasses(dir: string): string[] | undefined {
  const file = join(dir, 'classes.json')
  if (!existsSync(file)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(readBytes(file)))
  } catch (error) {
    throw formatError(file, 'is not valid JSON', error)
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string')) throw formatError(file, 'must be a JSON array of class names')
  return parsed as string[]
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((p) => existsSync(p))
}

/** Natural order: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/)
  const pb = b.split(/(\d+)/)
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!
    const y = pb[i]!
    if (x === y) continue
    if (i % 2 === 1) return Number(x) - Number(y) || (x < y ? -1 : 1)
    return x < y ? -1 : 1
  }
  return pa.length - pb.length
}

/** The elements of a TensorProto file as a typed array. */
function readTensorProto(file: string): { data: TypedArray; dims: number[]; dtype: string } {
  let t
  try {
    t = decodeTensorProto(readBytes(file))
  } catch (error) {
    if (error instanceof ModelgateError) throw error
    throw formatError(file, 'is not an ONNX TensorProto', error)
  }
  const count = t.dims.reduce((n, d) => n * d, 1)
  if (t.payload.kind !== 'inline') throw formatError(file, `holds no inline data (${t.payload.kind})`)
  const values = decodeElements(t.payload.bytes, t.payload.encoding, t.dtype, count)
  if (values === undefined) throw formatError(file, `holds ${t.dtype} data, which cannot be fed as numbers`)
  return { data: Float64Array.from(values), dims: [...t.dims], dtype: t.dtype }
}

function stackProtos(files: readonly string[], root: string): TensorSet['inputs'] {
  if (files.length === 0) throw new ModelgateError('E_DATASET_EMPTY', `The tensor set ${JSON.stringify(root)} has no samples.`, { file: root, value: root })
  const tensors = files.map(readTensorProto)
  const first = tensors[0]!
  const sampleDims = first.dims[0] === 1 && first.dims.length > 1 ? first.dims.slice(1) : first.dims
  const size = sampleDims.reduce((n, d) => n * d, 1)
  const data = new Float64Array(size * tensors.length)
  tensors.forEach((t, i) => {
    if (t.data.length !== size) throw formatError(files[i]!, `has dims [${t.dims.join(', ')}], unlike [${first.dims.join(', ')}] of the first sample`)
    data.set(t.data as Float64Array, i * size)
  })
  return { data, dims: [tensors.length, ...sampleDims], dtype: first.dtype }
}

function protoFiles(dir: string): string[] {
  const names = readdirSync(dir).sort(naturalCompare)
  const sets = names.filter((n) => n.startsWith('test_data_set_') && statSync(join(dir, n)).isDirectory())
  if (sets.length > 0) return sets.map((s) => join(dir, s, 'input_0.pb'))
  return names.filter((n) => n.endsWith('.pb')).map((n) => join(dir, n))
}

/** True when a folder (or file) looks like a tensor set. */
export function isTensorSet(path: string): boolean {
  if (/\.(npz|npy)$/i.test(path)) return true
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return false
  return firstExisting(path, ['inputs.npy', 'x.npy']) !== undefined || protoFiles(path).length > 0
}

function fromNpz(file: string, inputName: string | undefined): TensorSet {
  const arrays = decodeNpz(readBytes(file), file)
  const labelKey = LABEL_KEYS.find((k) => arrays.has(k))
  const inputKey = [...(inputName === undefined ? [] : [inputName]), ...INPUT_KEYS].find((k) => arrays.has(k))
    ?? [...arrays.keys()].find((k) => k !== labelKey)
  if (inputKey === undefined || labelKey === undefined) {
    throw formatError(file, `needs an inputs array (${INPUT_KEYS.join(', ')}) and a labels array (${LABEL_KEYS.join(', ')}); it has ${[...arrays.keys()].join(', ') || 'none'}`)
  }
  const x = arrays.get(inputKey)!
  const labels = toLabels(numericArray(arrays.get(labelKey)!, file) as ArrayLike<number | bigint>, `${file}:${labelKey}`)
  return { root: file, inputs: { data: numericArray(x, file), dims: x.dims, dtype: x.dtype }, labels, labelsFile: `${file}:${labelKey}.npy`, classes: readClasses(dirname(file)) }
}

/**
 * Loads a tensor set.
 * @param path an `.npz` file, or a folder (see the module doc)
 * @param options the model's input name (tried first as the `.npz` array name); an explicit labels file
 * @throws ModelgateError E_FILE_NOT_FOUND, E_DATASET_FORMAT, E_DATASET_EMPTY, E_NPY_DECODE, E_LABEL_RANGE
 */
export function loadTensorSet(path: string, options: { readonly inputName?: string; readonly labels?: string } = {}): TensorSet {
  if (/\.npz$/i.test(path)) return fromNpz(path, options.inputName)
  const dir = /\.npy$/i.test(path) ? dirname(path) : path
  const inputsFile = /\.npy$/i.test(path) ? path : firstExisting(dir, ['inputs.npy', 'x.npy'])
  const labelsFile = options.labels ?? firstExisting(dir, ['labels.npy', 'y.npy', 'labels.json'])
  if (labelsFile === undefined) throw formatError(dir, 'has no labels.npy, y.npy or labels.json beside the inputs')
  let inputs: TensorSet['inputs']
  if (inputsFile !== undefined) {
    const x = readNpy(inputsFile)
    inputs = { data: numericArray(x, inputsFile), dims: x.dims, dtype: x.dtype }
  } else inputs = stackProtos(protoFiles(dir), dir)
  const labels = readLabelsFile(labelsFile)
  const samples = inputs.dims[0] ?? 0
  if (samples === 0) throw new ModelgateError('E_DATASET_EMPTY', `The tensor set ${JSON.stringify(inputsFile ?? dir)} has no samples.`, { file: inputsFile ?? dir, value: dir })
  if (labels.length !== samples) throw formatError(labelsFile, `holds ${labels.length} labels for ${samples} samples in ${basename(inputsFile ?? dir)}`)
  return { root: dir, inputs, labels, labelsFile, classes: readClasses(dir) }
}
