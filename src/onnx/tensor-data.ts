/**
 * Decoding the elements of small tensors (shape constants, Reshape targets, scalars) into numbers.
 * Only called for tensors of at most a few thousand elements: weight payloads are never decoded.
 */
import type { DataTypeName } from './dtypes.js'
import type { PayloadEncoding } from './types.js'

/** Decodes `count` elements of a packed payload. Returns undefined for types that have no numeric value here. */
export function decodeElements(bytes: Uint8Array, encoding: PayloadEncoding, dtype: DataTypeName, count: number): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (encoding === 'raw') return decodeRaw(view, dtype, count)
  const out: number[] = []
  if (encoding === 'float_data') {
    // float16/bfloat16 in float_data? No: ONNX stores those as uint16 bit patterns in int32_data
    for (let i = 0; i < count && (i + 1) * 4 <= view.byteLength; i++) out.push(view.getFloat32(i * 4, true))
    return out.length === count ? out : undefined
  }
  if (encoding === 'double_data') {
    for (let i = 0; i < count && (i + 1) * 8 <= view.byteLength; i++) out.push(view.getFloat64(i * 8, true))
    return out.length === count ? out : undefined
  }
  // varint-packed: int32_data (also bool, int8/16, uint8/16, float16 bits), int64_data, uint64_data
  let pos = 0
  while (pos < bytes.length && out.length < count) {
    let result = 0n
    let shift = 0n
    let byte: number
    do {
      byte = bytes[pos++] ?? 0
      result |= BigInt(byte & 0x7f) << shift
      shift += 7n
    } while (byte & 0x80 && pos < bytes.length)
    let v: bigint = result
    if (encoding === 'int64_data' || encoding === 'int32_data') v = BigInt.asIntN(64, result)
    out.push(Number(v))
  }
  if (out.length !== count) return undefined
  if (encoding === 'int32_data') {
    if (dtype === 'float16') return out.map((b) => float16ToNumber(b & 0xffff))
    if (dtype === 'bfloat16') return out.map((b) => bfloat16ToNumber(b & 0xffff))
  }
  return out
}

function decodeRaw(view: DataView, dtype: DataTypeName, count: number): number[] | undefined {
  const out = new Array<number>(count)
  const need = (bytesPer: number): boolean => view.byteLength >= count * bytesPer
  switch (dtype) {
    case 'float32':
      if (!need(4)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true)
      return out
    case 'float64':
      if (!need(8)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true)
      return out
    case 'float16':
      if (!need(2)) return undefined
      for (let i = 0; i < count; i++) out[i] = float16ToNumber(view.getUint16(i * 2, true))
      return out
    case 'bfloat16':
      if (!need(2)) return undefined
      for (let i = 0; i < count; i++) out[i] = bfloat16ToNumber(view.getUint16(i * 2, true))
      return out
    case 'int8':
      if (!need(1)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i)
      return out
    case 'uint8':
    case 'bool':
      if (!need(1)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i)
      return out
    case 'int16':
      if (!need(2)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true)
      return out
    case 'uint16':
      if (!need(2)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true)
      return out
    case 'int32':
      if (!need(4)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true)
      return out
    case 'uint32':
      if (!need(4)) return undefined
      for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true)
      return out
    case 'int64':
      if (!need(8)) return undefined
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true))
      return out
    case 'uint64':
      if (!need(8)) return undefined
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(i * 8, true))
      return out
    default:
      return undefined
  }
}

/** IEEE half → number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >> 10) & 0x1f
  const frac = bits & 0x3ff
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024)
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * 2 ** (exp - 15) * (1 + frac / 1024)
}

/** bfloat16 → number. */
export function bfloat16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4))
  view.setUint32(0, bits << 16)
  return view.getFloat32(0)
}
