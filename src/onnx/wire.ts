/**
 * A protobuf wire-level scanner over an ONNX ModelProto. It copies the model's structure (nodes, attributes,
 * types, tensor headers) and skips every tensor's element data, recording where it lies, so that a 100 MB
 * model is analysed from its few hundred KB of structure. Nothing is re-encoded: structure bytes are copied
 * as they are; only the lengths of messages that lost their payloads are rewritten, and each such tensor gets a
 * 12-byte `raw_data` marker that points into the payload table.
 * Field numbers are those of onnx/onnx.proto (IR 13).
 */
import type { PayloadEncoding } from './types.js'

/** Where a skipped tensor payload lies in the source. */
export interface SkippedPayload {
  readonly offset: number
  readonly length: number
  readonly encoding: PayloadEncoding
}

/** The scanner's result: the structure to decode and the payload table. */
export interface ScanResult {
  readonly structure: Uint8Array
  readonly payloads: readonly SkippedPayload[]
  /**
   * FunctionProto.attribute_proto (field 11, IR ≥ 9) entries per function, in order: attribute defaults that
   * onnx-proto's older schema would drop. Each entry is an encoded AttributeProto.
   */
  readonly functionAttributeProtos: readonly (readonly Uint8Array[])[]
}

/** Thrown for malformed wire data; `atTop` is true when the very first ModelProto fields are not ONNX. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly atTop: boolean,
  ) {
    super(message)
  }
}

type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'sparse' | 'function'

const DESCEND: Record<Kind, Readonly<Record<number, Kind>>> = {
  model: { 7: 'graph', 25: 'function' },
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 22: 'sparse', 23: 'sparse' },
  tensor: {},
  sparse: { 1: 'tensor', 2: 'tensor' },
  function: { 7: 'node' },
}

const TENSOR_DATA: Readonly<Record<number, PayloadEncoding>> = {
  4: 'float_data',
  5: 'int32_data',
  7: 'int64_data',
  9: 'raw',
  10: 'double_data',
  11: 'uint64_data',
}

/** ModelProto fields and the wire type each must have; a mismatch means the bytes are not an ONNX model. */
const MODEL_WIRE_TYPES: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 }

/** The bytes of a payload marker: "MGPL" + index (u32 LE) + index ^ 0x5a5a5a5a. */
export const MARKER_LENGTH = 12

/** Reads the payload index out of a marker, or undefined when the bytes are not a marker. */
export function markerIndex(bytes: Uint8Array): number | undefined {
  if (bytes.length !== MARKER_LENGTH || bytes[0] !== 0x4d || bytes[1] !== 0x47 || bytes[2] !== 0x50 || bytes[3] !== 0x4c) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const index = view.getUint32(4, true)
  return (view.getUint32(8, true) ^ 0x5a5a5a5a) >>> 0 === index ? index : undefined
}

function marker(index: number): Uint8Array {
  const out = new Uint8Array(2 + MARKER_LENGTH)
  out[0] = (9 << 3) | 2
  out[1] = MARKER_LENGTH
  out.set([0x4d, 0x47, 0x50, 0x4c], 2)
  const view = new DataView(out.buffer)
  view.setUint32(6, index, true)
  view.setUint32(10, (index ^ 0x5a5a5a5a) >>> 0, true)
  return out
}

interface Built {
  readonly parts: (Uint8Array | Built)[]
  length: number
}

const MAX_DEPTH = 64

/** Reads just what a scanner needs from a source. */
export interface ScanSource {
  readonly length: number
  read(pos: number, len: number): Uint8Array
  copy(pos: number, len: number): Uint8Array
}

/** Scans a ModelProto in `source`. Throws {@link WireError} for malformed data. */
export function scanModel(source: ScanSource): ScanResult {
  const payloads: SkippedPayload[] = []
  const functionAttributeProtos: Uint8Array[][] = []

  const varint = (pos: number, end: number): [value: number, next: number] => {
    const bytes = source.read(pos, Math.min(10, end - pos))
    let value = 0
    let mul = 1
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!
      value += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return [value, pos + i + 1]
      mul *= 128
    }
    throw new WireError(`a varint runs past its message at byte ${pos}`, pos, false)
  }

  const scan = (kind: Kind, start: number, end: number, depth: number): Built => {
    if (depth > MAX_DEPTH) throw new WireError(`messages are nested more than ${MAX_DEPTH} deep at byte ${start}`, start, false)
    const built: Built = { parts: [], length: 0 }
    const push = (part: Uint8Array | Built): void => {
      built.parts.push(part)
      built.length += part.length
    }
    let run = start
    const flush = (to: number): void => {
      if (to > run) push(source.copy(run, to - run))
    }
    let payloadIndex = -1
    const descend = DESCEND[kind]
    let functionAttrs: Uint8Array[] | undefined
    if (kind === 'function') functionAttributeProtos.push((functionAttrs = []))
    let pos = start
    while (pos < end) {
      const tagStart = pos
      const [key, afterKey] = varint(pos, end)
      const field = Math.floor(key / 8)
      const wireType = key % 8
      const atTop = kind === 'model' && depth === 0
      if (field === 0) throw new WireError(`field number 0 at byte ${tagStart}`, tagStart, atTop)
      if (atTop) {
        const expected = MODEL_WIRE_TYPES[field]
        if (expected !== undefined && expected !== wireType) {
          throw new WireError(`ModelProto field ${field} has wire type ${wireType}, not ${expected}`, tagStart, true)
        }
      }
      pos = afterKey
      if (wireType === 0) {
        pos = varint(pos, end)[1]
      } else if (wireType === 1) {
        pos += 8
      } else if (wireType === 5) {
        pos += 4
      } else if (wireType === 2) {
        const [len, dataStart] = varint(pos, end)
        const dataEnd = dataStart + len
        if (dataEnd > end) throw new WireError(`field ${field} at byte ${tagStart} is ${len} bytes long, past the end of its message at ${end}`, tagStart, atTop)
        const encoding = kind === 'tensor' ? TENSOR_DATA[field] : undefined
        const child = descend[field]
        if (encoding !== undefined) {
          flush(tagStart)
          payloads.push({ offset: dataStart, length: len, encoding })
          if (payloadIndex < 0) payloadIndex = payloads.length - 1
          run = dataEnd
        } else if (child !== undefined) {
          flush(tagStart)
          const inner = scan(child, dataStart, dataEnd, depth + 1)
          push(source.copy(tagStart, afterKey - tagStart))
          push(encodeVarint(inner.length))
          push(inner)
          run = dataEnd
        } else if (functionAttrs !== undefined && field === 11) {
          flush(tagStart)
          functionAttrs.push(source.copy(dataStart, len))
          run = dataEnd
        }
        pos = dataEnd
      } else {
        throw new WireError(`unsupported wire type ${wireType} at byte ${tagStart}`, tagStart, atTop)
      }
      if (pos > end) throw new WireError(`a field at byte ${tagStart} runs past the end of its message at ${end}`, tagStart, atTop)
    }
    flush(end)
    if (payloadIndex >= 0) push(marker(payloadIndex))
    return built
  }

  const top = scan('model', 0, source.length, 0)
  const structure = new Uint8Array(top.length)
  let offset = 0
  const write = (b: Built): void => {
    for (const part of b.parts) {
      if (part instanceof Uint8Array) {
        structure.set(part, offset)
        offset += part.length
      } else write(part)
    }
  }
  write(top)
  return { structure, payloads, functionAttributeProtos }
}

function encodeVarint(value: number): Uint8Array {
  const out: number[] = []
  let v = value
  while (v >= 128) {
    out.push((v % 128) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return Uint8Array.from(out)
}
