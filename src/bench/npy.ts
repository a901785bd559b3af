/**
 * A reader for NumPy `.npy` files (format versions 1–3): user-supplied input tensors.
 * Little-endian (or byte-order-free) numeric, bool and fixed-width unicode arrays in C order.
 */
import { readFileSync } from 'node:fs'
import { ModelgateError } from '../errors.js'
import type { TensorDtype, TypedArray } from './types.js'

/** A decoded .npy array. */
export interface NpyArray {
  readonly dtype: TensorDtype
  readonly dims: number[]
  readonly data: TypedArray | string[]
}

/** NumPy type code (after the byte-order character) → dtype and element size. */
const NUMERIC: Readonly<Record<string, { readonly dtype: Exclude<TensorDtype, 'string'>; readonly bytes: number }>> = {
  f2: { dtype: 'float16', bytes: 2 },
  f4: { dtype: 'float32', bytes: 4 },
  f8: { dtype: 'float64', bytes: 8 },
  i1: { dtype: 'int8', bytes: 1 },
  i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 },
  i8: { dtype: 'int64', bytes: 8 },
  u1: { dtype: 'uint8', bytes: 1 },
  u2: { dtype: 'uint16', bytes: 2 },
  u4: { dtype: 'uint32', bytes: 4 },
  u8: { dtype: 'uint64', bytes: 8 },
  b1: { dtype: 'bool', bytes: 1 },
}

const ARRAYS: Readonly<Record<Exclude<TensorDtype, 'string'>, { new (buffer: ArrayBuffer): TypedArray }>> = {
  float16: Uint16Array, float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bool: Uint8Array,
}

function field(header: string, key: string): string | undefined {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header)
  return m?.[1]
}

/**
 * Decodes the bytes of a .npy file.
 * @param bytes the file's contents
 * @param label the file name, for messages
 * @throws ModelgateError E_NPY_DECODE naming what is wrong
 */
export function decodeNpy(bytes: Uint8Array, label = 'the .npy data'): NpyArray {
  const fail = (problem: string): never => {
    throw new ModelgateError('E_NPY_DECODE', `${label}: ${problem}.`, { value: label })
  }
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) fail('not a .npy file (no \\x93NUMPY magic)')
  const major = bytes[6] as number
  if (major < 1 || major > 3) fail(`format version ${major} is not supported`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : fail('truncated header')
  const start = major === 1 ? 10 : 12
  if (start + headerLength > bytes.length) fail('truncated header')
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength))
  const descr = field(header, 'descr')?.slice(1, -1) ?? fail(`no 'descr' in the header ${JSON.stringify(header.trim())}`)
  if (field(header, 'fortran_order') !== 'False') fail('the array is in Fortran order; save it with np.ascontiguousarray')
  const shapeText = field(header, 'shape') ?? fail(`no 'shape' in the header ${JSON.stringify(header.trim())}`)
  const dims = shapeText.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : fail(`bad shape ${shapeText}`)))
  const count = dims.reduce((n, d) => n * d, 1)
  const order = descr[0]
  const code = descr.slice(1)
  const body = bytes.subarray(start + headerLength)
  const unicode = /^U(\d+)$/.exec(code)
  if (unicode) {
    if (order === '>') fail(`big-endian dtype ${descr}`)
    const width = Number(unicode[1]) * 4
    if (body.length < count * width) fail(`the data is ${body.length} bytes, ${count}×${width} expected`)
    const chars = new DataView(body.buffer, body.byteOffset, body.byteLength)
    const data = Array.from({ length: count }, (_, i) => {
      let s = ''
      for (let c = 0; c < width; c += 4) {
        const cp = chars.getUint32(i * width + c, true)
        if (cp === 0) break
        s += String.fromCodePoint(cp)
      }
      return s
    })
    return { dtype: 'string', dims, data }
  }
  const type = NUMERIC[code] ?? fail(`dtype ${JSON.stringify(descr)} is not supported`)
  if (order === '>' && type.bytes > 1) fail(`big-endian dtype ${descr}; convert with arr.astype(arr.dtype.newbyteorder('<'))`)
  if (order !== '<' && order !== '|' && order !== '=' && order !== '>') fail(`dtype ${JSON.stringify(descr)} is not supported`)
  const byteLength = count * type.bytes
  if (body.length < byteLength) fail(`the data is ${body.length} bytes, ${count} elements of ${type.bytes} bytes expected`)
  // Copied so the typed array is aligned whatever the header length (and owns its buffer: a Buffer from
  // readFileSync may be a view into a shared pool).
  const copy = new Uint8Array(byteLength)
  copy.set(body.subarray(0, byteLength))
  const data = new ARRAYS[type.dtype](copy.buffer)
  return { dtype: type.dtype, dims, data }
}

/**
 * Reads a .npy file.
 * @throws ModelgateError E_FILE_NOT_FOUND when the file cannot be read, E_NPY_DECODE when it is not a supported .npy
 */
export function readNpy(path: string): NpyArray {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `No .npy file at ${JSON.stringify(path)}.`, { value: path, file: path, cause: error })
  }
  return decodeNpy(bytes, path)
}
