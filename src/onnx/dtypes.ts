/**
 * ONNX element types (TensorProto.DataType), by the names onnxruntime-js uses.
 * onnx-proto's enum stops at BFLOAT16 = 16; later codes arrive as bare numbers and are named here.
 */

/** An element type name. */
export type DataTypeName =
  | 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'string' | 'bool' | 'float16'
  | 'float64' | 'uint32' | 'uint64' | 'complex64' | 'complex128' | 'bfloat16' | 'float8e4m3fn' | 'float8e4m3fnuz'
  | 'float8e5m2' | 'float8e5m2fnuz' | 'uint4' | 'int4' | 'float4e2m1' | 'float8e8m0' | 'uint2' | 'int2'
  | 'undefined'

interface DataTypeInfo {
  readonly name: DataTypeName
  /** Bits per element (0 for strings, whose size is data-dependent). */
  readonly bits: number
  readonly kind: 'float' | 'int' | 'uint' | 'bool' | 'string' | 'complex' | 'undefined'
}

/** TensorProto.DataType code → info. */
export const DATA_TYPES: ReadonlyMap<number, DataTypeInfo> = new Map<number, DataTypeInfo>([
  [0, { name: 'undefined', bits: 0, kind: 'undefined' }],
  [1, { name: 'float32', bits: 32, kind: 'float' }],
  [2, { name: 'uint8', bits: 8, kind: 'uint' }],
  [3, { name: 'int8', bits: 8, kind: 'int' }],
  [4, { name: 'uint16', bits: 16, kind: 'uint' }],
  [5, { name: 'int16', bits: 16, kind: 'int' }],
  [6, { name: 'int32', bits: 32, kind: 'int' }],
  [7, { name: 'int64', bits: 64, kind: 'int' }],
  [8, { name: 'string', bits: 0, kind: 'string' }],
  [9, { name: 'bool', bits: 8, kind: 'bool' }],
  [10, { name: 'float16', bits: 16, kind: 'float' }],
  [11, { name: 'float64', bits: 64, kind: 'float' }],
  [12, { name: 'uint32', bits: 32, kind: 'uint' }],
  [13, { name: 'uint64', bits: 64, kind: 'uint' }],
  [14, { name: 'complex64', bits: 64, kind: 'complex' }],
  [15, { name: 'complex128', bits: 128, kind: 'complex' }],
  [16, { name: 'bfloat16', bits: 16, kind: 'float' }],
  [17, { name: 'float8e4m3fn', bits: 8, kind: 'float' }],
  [18, { name: 'float8e4m3fnuz', bits: 8, kind: 'float' }],
  [19, { name: 'float8e5m2', bits: 8, kind: 'float' }],
  [20, { name: 'float8e5m2fnuz', bits: 8, kind: 'float' }],
  [21, { name: 'uint4', bits: 4, kind: 'uint' }],
  [22, { name: 'int4', bits: 4, kind: 'int' }],
  [23, { name: 'float4e2m1', bits: 4, kind: 'float' }],
  [24, { name: 'float8e8m0', bits: 8, kind: 'float' }],
  [25, { name: 'uint2', bits: 2, kind: 'uint' }],
  [26, { name: 'int2', bits: 2, kind: 'int' }],
])

const BY_NAME = new Map([...DATA_TYPES].map(([code, info]) => [info.name, { code, ...info }]))

/** The name of a TensorProto.DataType code, or undefined for an unknown code. */
export function dataTypeName(code: number): DataTypeName | undefined {
  return DATA_TYPES.get(code)?.name
}

/** The TensorProto.DataType code of a name. */
export function dataTypeCode(name: DataTypeName): number {
  return BY_NAME.get(name)?.code ?? 0
}

/** Bits per element; 0 for strings and undefined. */
export function dataTypeBits(name: DataTypeName): number {
  return BY_NAME.get(name)?.bits ?? 0
}

/** True for float32/16/64, bfloat16 and the float8/float4 family. */
export function isFloatType(name: DataTypeName): boolean {
  return BY_NAME.get(name)?.kind === 'float'
}

/** True for signed/unsigned integers and bool. */
export function isIntegerType(name: DataTypeName): boolean {
  const kind = BY_NAME.get(name)?.kind
  return kind === 'int' || kind === 'uint' || kind === 'bool'
}

/** Bytes taken by `count` elements, sub-byte types packed (int4: two per byte, rounded up). */
export function byteSize(name: DataTypeName, count: number): number {
  return Math.ceil((count * dataTypeBits(name)) / 8)
}
