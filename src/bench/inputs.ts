/**
 * The inputs of a measured run: the model's input signature resolved to concrete dims (shapes, dims, batch,
 * user tensors), deterministic seeded tensors for every dtype the Node binding supports, and user tensors.
 */
import { resolve } from 'node:path'
import { ModelgateError } from '../errors.js'
import { allocate, isSupportedDtype } from './engine.js'
import { readNpy } from './npy.js'
import { seededRandom } from './stats.js'
import type { TensorInput, ValueSignature } from './types.js'

/** An input with concrete dims. */
export interface InputSpec {
  readonly name: string
  readonly dtype: string
  readonly dims: readonly number[]
}

/** The inputs at one batch size. */
export interface ResolvedInputs {
  readonly batch: number
  readonly specs: readonly InputSpec[]
  /** Symbol → size as used (for the analysis at these shapes). */
  readonly symbols: Readonly<Record<string, number>>
}

/** FNV-1a hash of a string (seeds an input's values by its name). */
export function hashName(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The IEEE 754 half-precision bit pattern of a number (round to nearest, ties up). */
export function float16Bits(value: number): number {
  const u = new Uint32Array(new Float32Array([value]).buffer)[0] as number
  const sign = (u >>> 16) & 0x8000
  const exp = ((u >>> 23) & 0xff) - 112
  let mant = u & 0x7fffff
  if (((u >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant === 0 ? 0 : 0x200)
  if (exp >= 31) return sign | 0x7c00
  if (exp <= 0) {
    if (exp < -10) return sign
    mant |= 0x800000
    const shift = 14 - exp
    return sign | ((mant >>> shift) + ((mant >>> (shift - 1)) & 1))
  }
  return (sign | (exp << 10) | (mant >>> 13)) + ((mant >>> 12) & 1)
}

/**
 * A deterministic tensor for an input: floats uniform in [-1, 1), integers uniform in [0, 8) (safe as indices into
 * any table of 8 or more rows), bools 0/1, strings `token0`…`token7`. Seeded by the input's name and `seed`.
 */
export function seededTensor(spec: InputSpec, seed = 0): TensorInput {
  const count = spec.dims.reduce((n, d) => n * d, 1)
  const next = seededRandom((hashName(spec.name) ^ Math.imul(seed, 0x9e3779b1)) >>> 0)
  const dtype = spec.dtype
  if (!isSupportedDtype(dtype)) {
    throw new ModelgateError('E_RUN_INPUT', `Input ${JSON.stringify(spec.name)} is ${dtype}, which the onnxruntime Node binding cannot pass.`, { value: spec.name })
  }
  if (dtype === 'string') return { data: Array.from({ length: count }, () => `token${Math.floor(next() * 8)}`), dims: spec.dims }
  const data = allocate(dtype, count)
  for (let i = 0; i < count; i++) {
    const u = next()
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(Math.floor(u * 8))
    else if (dtype === 'float32' || dtype === 'float64') data[i] = u * 2 - 1
    else if (dtype === 'float16') data[i] = float16Bits(u * 2 - 1)
    else if (dtype === 'bool') data[i] = u < 0.5 ? 0 : 1
    else data[i] = Math.floor(u * 8)
  }
  return { data, dims: spec.dims }
}

/** Loads user tensors: `.npy` paths are read (relative to `cwd`), typed arrays are kept. */
export function loadUserInputs(inputs: Readonly<Record<string, TensorInput | string>> | undefined, cwd = process.cwd()): Record<string, TensorInput> {
  const out: Record<string, TensorInput> = {}
  for (const [name, value] of Object.entries(inputs ?? {})) {
    if (typeof value === 'string') {
      const npy = readNpy(resolve(cwd, value))
      out[name] = { data: npy.data, dims: npy.dims }
    } else if (typeof value === 'object' && value !== null && 'data' in value && 'dims' in value) {
      out[name] = value
    } else {
      throw new ModelgateError('E_BENCH_OPTION', `inputs.${name} must be { data, dims } or the path of a .npy file.`, { value: name })
    }
  }
  return out
}

/**
 * Resolves the signature at a batch size. Symbols are bound, in order, by user tensors' dims, then by `batch` for
 * the leading symbolic dims, then the leading symbolic dims default to 1; any other symbol left is an error.
 * @param signature the inputs after shapes/dims (symbolic dims are strings)
 * @param batch the requested batch size, or undefined
 * @param user user tensors by input name
 * @throws ModelgateError E_BENCH_OPTION for a batch on a model without a symbolic batch dim, E_UNRESOLVED_DIM for an unbound symbol
 */
export function resolveInputs(signature: readonly ValueSignature[], batch: number | undefined, user: Readonly<Record<string, TensorInput>>): ResolvedInputs {
  const symbols: Record<string, number> = {}
  for (const s of signature) {
    const given = user[s.name]
    if (given === undefined || given.dims.length !== s.dims.length) continue
    s.dims.forEach((d, i) => {
      const size = given.dims[i]
      if (typeof d === 'string' && size !== undefined && symbols[d] === undefined) symbols[d] = size
    })
  }
  const leading = new Set(signature.flatMap((s) => (typeof s.dims[0] === 'string' ? [s.dims[0]] : [])))
  if (batch !== undefined) {
    if (!Number.isSafeInteger(batch) || batch < 1) throw new ModelgateError('E_BENCH_OPTION', `batch must be a positive integer, got ${JSON.stringify(batch)}.`, { value: batch })
    if (leading.size === 0 && signature.some((s) => s.dims.length > 0 && s.dims[0] !== batch)) {
      throw new ModelgateError('E_BENCH_OPTION', `batch ${batch} was asked for, but no input has a symbolic leading dim (inputs: ${signature.map((s) => `${s.name} ${JSON.stringify(s.dims)}`).join(', ')}); give shapes instead.`, { value: batch })
    }
    for (const sym of leading) symbols[sym] = batch
  }
  for (const sym of leading) symbols[sym] ??= 1
  const specs = signature.map((s): InputSpec => {
    if (s.dtype === 'non-tensor' || s.dtype === 'sequence' || s.dtype === 'optional' || s.dtype === 'map') {
      throw new ModelgateError('E_RUN_INPUT', `Input ${JSON.stringify(s.name)} is not a tensor (${s.dtype}); modelgate runs models whose inputs are tensors.`, { value: s.name })
    }
    const dims = s.dims.map((d) => {
      if (typeof d === 'number' && d >= 0) return d
      const size = typeof d === 'string' ? symbols[d] : undefined
      if (size === undefined) throw new ModelgateError('E_UNRESOLVED_DIM', `Input ${JSON.stringify(s.name)} ${JSON.stringify(s.dims)} has the unresolved dim ${JSON.stringify(d)}.`, { value: d })
      return size
    })
    return { name: s.name, dtype: s.dtype, dims }
  })
  const first = specs.find((s) => s.dims.length > 0)
  const resolvedBatch = batch ?? (leading.size > 0 ? (symbols[[...leading][0] as string] ?? 1) : (first?.dims[0] ?? 1))
  return { batch: resolvedBatch, specs, symbols }
}

/** The feeds of a run: user tensors where given, seeded tensors elsewhere. */
export function buildFeeds(specs: readonly InputSpec[], user: Readonly<Record<string, TensorInput>>, seed: number): Record<string, TensorInput> {
  return Object.fromEntries(specs.map((s) => [s.name, user[s.name] ?? seededTensor(s, seed)]))
}

