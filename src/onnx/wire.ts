/**
 * A protobuf wire-level scanner over an ONNX ModelProto. It copies the model's structure (nodes, attributes,
 * types, tensor headers) and skips every tensor's element data, recording where it lies, so that a 100 MB
 * model is analysed from its few hundred KB of structure. Nothing is re-encoded: structure bytes are copied
 * as they are; only the lengths of messages that lost their payloads are rewritten, and each such tensor gets a
 * 12-byte `raw_data` marker that points into the payload table.
 * Field numbers are those of onnx/onnx.proto (IR 13).
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import type { PayloadEncoding } from './types.js'
import { PairList } from './pair-list.js'
import { plainNodeBytes } from './wire-plain-node.js'

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

/** Thrown when messages are nested deeper than the scanner follows: a limit of modelgate, not a broken file. */
export class WireNestingError extends WireError {
  constructor(
    readonly limit: number,
    offset: number,
  ) {
    super(`messages are nested more than ${limit} deep at byte ${offset}`, offset, false)
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
export const MODEL_WIRE_TYPES: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 }

/** The bytes of a payload marker: "MGPL" + index (u32 LE) + index ^ 0x5a5a5a5a. */
export const MARKER_LENGTH = 12

/** Reads the payload index out of a marker, or undefined when the bytes are not a marker. */
export function markerIndex(bytes: Uint8Array): number | undefined {
  if (bytes.length !== MARKER_LENGTH || bytes[0] !== 0x4d || bytes[1] !== 0x47 || bytes[2] !== 0x50 || bytes[3] !== 0x4c) return undefined
  // u32 LE read byte by byte (a DataView per tensor showed in the profile of 15,000 initializers)
  const u32 = (at: number): number => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  const index = u32(4)
  return (u32(8) ^ 0x5a5a5a5a) >>> 0 === index ? index : undefined
}

const MAX_DEPTH = 64

/**
 * Bytes the scanner reads from its source at a time: little after a skipped payload (a tensor header or two
 * follow, then the next payload), doubling while the structure goes on.
 */
const MIN_CHUNK = 4 * 1024
const MAX_CHUNK = 256 * 1024

/** Structure ranges less than this apart are copied with one read. */
const MAX_GAP = 4 * 1024

/** Reads just what a scanner needs from a source. */
export interface ScanSource {
  readonly length: number
  read(pos: number, len: number): Uint8Array
  copy(pos: number, len: number): Uint8Array
}

/**
 * The structure being built, as a list of pieces: ranges of the source (kept, never copied while scanning) and
 * bytes the scanner inserts (rewritten lengths, payload markers), held in one growing buffer.
 */
class Plan {
  /** Per piece: a source offset (≥ 0), or -(offset in `extra`) - 1 for inserted bytes; and its length. */
  readonly pieces = new PairList()
  total = 0
  extra = new Uint8Array(4096)
  extraLength = 0

  range(start: number, length: number): void {
    if (length <= 0) return
    const p = this.pieces
    const last = p.count - 1
    // a run that continues the previous one extends it
    if (last >= 0 && p.at[2 * last]! >= 0 && p.at[2 * last]! + p.at[2 * last + 1]! === start) p.at[2 * last + 1]! += length
    else p.push(start, length)
    this.total += length
  }

  /** Room for `length` inserted bytes; returns their offset in `extra`. */
  reserve(length: number): number {
    if (this.extraLength + length > this.extra.length) {
      const grown = new Uint8Array(Math.max(this.extra.length * 2, this.extraLength + length))
      grown.set(this.extra.subarray(0, this.extraLength))
      this.extra = grown
    }
    const at = this.extraLength
    this.extraLength += length
    return at
  }

  /** Sets piece `index` to the canonical varint of `value` (inserted bytes). */
  setVarint(index: number, value: number): void {
    let size = 1
    for (let v = value; v >= 128; v = Math.floor(v / 128)) size++
    const at = this.reserve(size)
    let v = value
    for (let k = 0; k < size - 1; k++) {
      this.extra[at + k] = (v % 128) | 0x80
      v = Math.floor(v / 128)
    }
    this.extra[at + size - 1] = v
    this.pieces.at[2 * index] = -at - 1
    this.pieces.at[2 * index + 1] = size
    this.total += size
  }

  /** Appends a payload marker: raw_data (field 9) holding "MGPL" + index (u32 LE) + index ^ 0x5a5a5a5a. */
  marker(index: number): void {
    const at = this.reserve(2 + MARKER_LENGTH)
    const e = this.extra
    e[at] = (9 << 3) | 2
    e[at + 1] = MARKER_LENGTH
    for (let k = 0; k < 4; k++) e[at + 2 + k] = MARKER_MAGIC[k]!
    const check = (index ^ 0x5a5a5a5a) >>> 0
    for (let k = 0; k < 4; k++) {
      e[at + 6 + k] = (index >>> (8 * k)) & 0xff
      e[at + 10 + k] = (check >>> (8 * k)) & 0xff
    }
    this.pieces.push(-at - 1, 2 + MARKER_LENGTH)
    this.total += 2 + MARKER_LENGTH
  }
}
keepHiddenClass(() => new Plan())

const MARKER_MAGIC = Uint8Array.of(0x4d, 0x47, 0x50, 0x4c)

/** Bytes {@link nodesMakeUp} reads at a time: the headers of a thousand small nodes. */
const HEADER_CHUNK = 64 * 1024

/** Scans a ModelProto in `source`. Throws {@link WireError} for malformed data. */
export function scanModel(source: ScanSource): ScanResult {
  return scanMessage(source, 'model', 0, source.length, 0, [])
}

/**
 * Whether the main graph's leading run of nodes makes up at least `share` of the model's bytes, from field headers
 * alone: the ModelProto's up to its graph, then the GraphProto's nodes (a key and a length each; contents skipped).
 * Stops as soon as the answer is known. False for anything unusual: the scan then reads the model.
 * @param share a fraction of `source.length`
 */
export function nodesMakeUp(source: ScanSource, share: number): boolean {
  const target = share * source.length
  // headers are read from chunks of the source, one read per chunk rather than one per field (a view and a closure
  // per node had made this walk ≈ 3.7 MB of garbage on the 50,000-node graph)
  let chunk = source.read(0, 0)
  let chunkStart = 0
  // the varint at `at` in the chunk, bounded by `limit`; -1 when malformed or cut
  let at = 0
  let limit = 0
  const varint = (): number => {
    let value = 0
    let mul = 1
    for (let i = 0; i < 10 && at < limit; i++) {
      const byte = chunk[at++]!
      value += (byte & 0x7f) * mul
      if (byte < 0x80) return value
      mul *= 128
    }
    return -1
  }
  // the field at `pos`: its number, wire type and the end of its contents; false when malformed
  let field = 0
  let wireType = 0
  let contentStart = 0
  let fieldEnd = 0
  const fieldAt = (pos: number, end: number): boolean => {
    // a header is at most 20 bytes (two varints): the chunk must hold them, or reach `end`
    const headerEnd = Math.min(pos + 20, end)
    if (pos < chunkStart || headerEnd > chunkStart + chunk.length) {
      chunkStart = pos
      chunk = source.read(pos, Math.min(HEADER_CHUNK, end - pos))
    }
    at = pos - chunkStart
    limit = headerEnd - chunkStart
    const key = varint()
    if (key < 8) return false
    field = Math.floor(key / 8)
    wireType = key % 8
    let length: number
    if (wireType === 0) {
      // the contents are the varint itself
      const valueStart = at
      length = varint() < 0 ? -1 : at - valueStart
      at = valueStart
    } else if (wireType === 1) length = 8
    else if (wireType === 5) length = 4
    else if (wireType === 2) length = varint()
    else return false
    contentStart = chunkStart + at
    fieldEnd = contentStart + length
    return length >= 0 && fieldEnd <= end
  }
  let pos = 0
  let graphStart = -1
  let graphEnd = -1
  while (pos < source.length && graphStart < 0) {
    if (!fieldAt(pos, source.length)) return false
    if (field === 7 && wireType === 2) {
      graphStart = contentStart
      graphEnd = fieldEnd
    }
    pos = fieldEnd
  }
  if (graphStart < 0) return false
  // a GraphProto's nodes (field 1) come first as every protobuf writer orders fields, so the walk ends at the first
  // other field (initializers are not walked: a jump each); nodes written later only make this answer no
  let nodeBytes = 0
  for (pos = graphStart; pos < graphEnd && nodeBytes < target;) {
    if (!fieldAt(pos, graphEnd) || field !== 1) break
    nodeBytes += fieldEnd - pos
    pos = fieldEnd
  }
  return nodeBytes >= target
}

/** The kinds of message {@link scanMessage} reads on its own: a graph's node or initializer. */
export type PartKind = 'node' | 'tensor'

/**
 * Scans one NodeProto or TensorProto of a model's main graph at `[start, end)` of `source`, as {@link scanModel}
 * scans it within the model (at the same depth, so with the same limits): its structure, with each payload's
 * marker indexing `payloads`, to which the skipped payloads are appended. Throws {@link WireError} for malformed
 * data.
 */
export function scanPart(source: ScanSource, kind: PartKind, start: number, end: number, payloads: SkippedPayload[]): Uint8Array {
  return scanMessage(source, kind, start, end, 2, payloads).structure
}

function scanMessage(source: ScanSource, kind: Kind, start: number, end: number, depth: number, payloads: SkippedPayload[]): ScanResult {
  const functionAttributeProtos: Uint8Array[][] = []
  const plan = new Plan()
  // messages whose bytes change (a payload skipped, a function attribute taken out) count as edits; a message
  // without edits is kept as the bytes it has in the source
  let edits = 0

  // the bytes at [bufStart, bufEnd) of the source; only this cursor reads the source while scanning
  let buf: Uint8Array = new Uint8Array(0)
  let bufStart = 0
  let bufEnd = 0
  let chunk = MIN_CHUNK
  const fetch = (pos: number, len = 0): void => {
    // reading on (past a small payload, at most MAX_GAP skipped) doubles the chunk; a jump starts small again
    chunk = pos >= bufEnd && pos - bufEnd <= MAX_GAP && bufEnd > bufStart ? Math.min(chunk * 2, MAX_CHUNK) : MIN_CHUNK
    buf = source.read(pos, Math.min(Math.max(chunk, len), source.length - pos))
    bufStart = pos
    bufEnd = pos + buf.length
  }

  let varintEnd = 0
  /** The varint at `pos` (within the message ending at `end`); sets `varintEnd` to the byte after it. */
  const varint = (pos: number, end: number): number => {
    const limit = Math.min(pos + 10, end)
    let value = 0
    let mul = 1
    for (let p = pos; p < limit; p++) {
      if (p < bufStart || p >= bufEnd) fetch(p)
      const b = buf[p - bufStart]!
      value += (b & 0x7f) * mul
      if ((b & 0x80) === 0) {
        varintEnd = p + 1
        return value
      }
      mul *= 128
    }
    throw new WireError(`a varint runs past its message at byte ${pos}`, pos, false)
  }

  /**
   * Reads the length-delimited fields of the message at [start, end); returns false as soon as `deeper(field)` says
   * one of them is a message that could hold a payload, or anything is unusual (the generic scan then reads the
   * message, and reports what is wrong in it).
   */
  const flat = (start: number, end: number, deeper: (field: number, dataStart: number, dataEnd: number) => boolean): boolean => {
    let pos = start
    while (pos < end) {
      const key = varint(pos, end)
      pos = varintEnd
      const field = Math.floor(key / 8)
      const wireType = key % 8
      if (field === 0) return false
      if (wireType === 0) {
        varint(pos, end)
        pos = varintEnd
      } else if (wireType === 1) pos += 8
      else if (wireType === 5) pos += 4
      else if (wireType === 2) {
        const len = varint(pos, end)
        const dataStart = varintEnd
        pos = dataStart + len
        if (pos > end || deeper(field, dataStart, pos)) return false
      } else return false
      if (pos > end) return false
    }
    return true
  }
  const attributeDeeper = (field: number): boolean => DESCEND.attribute[field] !== undefined
  const nodeDeeper = (field: number, dataStart: number, dataEnd: number): boolean => field === 5 && !flat(dataStart, dataEnd, attributeDeeper)
  /**
   * True when the message at [start, end) is a NodeProto none of whose attributes holds a tensor or a graph: nothing
   * in it is skipped or changed, so it stays in the structure as it is, without the generic scan's bookkeeping.
   */
  const plainNode = (start: number, end: number): boolean => {
    // the node's bytes in the buffer (most are): one tight loop over them
    if (start >= bufStart && end <= bufEnd) {
      const verdict = plainNodeBytes(buf, start - bufStart, end - bufStart)
      if (verdict !== undefined) return verdict
    }
    try {
      return flat(start, end, nodeDeeper)
    } catch {
      return false
    }
  }

  /** Scans a message's fields in [start, end) into the plan; returns the message's new length. */
  const scan = (kind: Kind, start: number, end: number, depth: number): number => {
    if (depth > MAX_DEPTH) throw new WireNestingError(MAX_DEPTH, start)
    const totalBefore = plan.total
    let run = start
    let payloadIndex = -1
    const descend = DESCEND[kind]
    let functionAttrs: Uint8Array[] | undefined
    if (kind === 'function') functionAttributeProtos.push((functionAttrs = []))
    const atTop = kind === 'model' && depth === 0
    // once a ModelProto field has been read whole, a field that runs past the end means a truncated model,
    // not bytes of another format
    let truncatedNotForeign = false
    let pos = start
    while (pos < end) {
      const tagStart = pos
      const key = varint(pos, end)
      const afterKey = varintEnd
      const field = Math.floor(key / 8)
      const wireType = key % 8
      if (field === 0) throw new WireError(`field number 0 at byte ${tagStart}`, tagStart, atTop)
      if (atTop) {
        const expected = MODEL_WIRE_TYPES[field]
        if (expected !== undefined && expected !== wireType) {
          throw new WireError(`ModelProto field ${field} has wire type ${wireType}, not ${expected}`, tagStart, true)
        }
      }
      pos = afterKey
      if (wireType === 0) {
        varint(pos, end)
        pos = varintEnd
      } else if (wireType === 1) {
        pos += 8
      } else if (wireType === 5) {
        pos += 4
      } else if (wireType === 2) {
        const len = varint(pos, end)
        const dataStart = varintEnd
        const dataEnd = dataStart + len
        if (dataEnd > end) throw new WireError(`field ${field} at byte ${tagStart} is ${len} bytes long, past the end of its message at ${end}`, tagStart, atTop && !truncatedNotForeign)
        const encoding = kind === 'tensor' ? TENSOR_DATA[field] : undefined
        const child = descend[field]
        if (encoding !== undefined) {
          plan.range(run, tagStart - run)
          payloads.push({ offset: dataStart, length: len, encoding })
          if (payloadIndex < 0) payloadIndex = payloads.length - 1
          run = dataEnd
          edits++
        } else if (child === 'node' && depth + 2 <= MAX_DEPTH && plainNode(dataStart, dataEnd)) {
          // kept in the current run (its nodes and attributes would be scanned at depth + 1 and + 2)
        } else if (child !== undefined) {
          // pieces for the bytes up to the child's content and for its length, filled in if the child changes
          const pieces = plan.pieces.count
          const totalAtField = plan.total
          plan.pieces.push(run, afterKey - run)
          plan.pieces.push(-1, 0)
          plan.total += afterKey - run
          const editsBefore = edits
          const innerLength = scan(child, dataStart, dataEnd, depth + 1)
          if (edits === editsBefore) {
            plan.pieces.count = pieces
            plan.total = totalAtField
          } else {
            plan.setVarint(pieces + 1, innerLength)
            run = dataEnd
          }
        } else if (functionAttrs !== undefined && field === 11) {
          plan.range(run, tagStart - run)
          functionAttrs.push(source.copy(dataStart, len))
          // copy() may have moved a file source's window under the cursor
          bufEnd = bufStart
          run = dataEnd
          edits++
        }
        pos = dataEnd
      } else {
        throw new WireError(`unsupported wire type ${wireType} at byte ${tagStart}`, tagStart, atTop)
      }
      if (pos > end) throw new WireError(`a field at byte ${tagStart} runs past the end of its message at ${end}`, tagStart, atTop && !truncatedNotForeign)
      if (atTop && MODEL_WIRE_TYPES[field] === wireType) truncatedNotForeign = true
    }
    plan.range(run, end - run)
    if (payloadIndex >= 0) plan.marker(payloadIndex)
    return plan.total - totalBefore
  }

  scan(kind, start, end, depth)
  const structure = new Uint8Array(plan.total)
  let offset = 0
  const pieces = plan.pieces
  for (let i = 0; i < pieces.count; i++) {
    const p = pieces.at[2 * i]!
    const n = pieces.at[2 * i + 1]!
    if (p < 0) {
      for (let k = 0; k < n; k++) structure[offset + k] = plan.extra[-p - 1 + k]!
    } else {
      for (let q = p; q < p + n;) {
        if (q < bufStart || q >= bufEnd) {
          // one read for this range and the ranges that follow closely (source ranges come in file order)
          let end = p + n
          for (let j = i + 1; j < pieces.count && end - q < MAX_CHUNK; j++) {
            const next = pieces.at[2 * j]!
            if (next < 0) continue
            if (next - end > MAX_GAP) break
            end = Math.max(end, next + pieces.at[2 * j + 1]!)
          }
          bufEnd = bufStart
          fetch(q, Math.min(end, q + MAX_CHUNK) - q)
        }
        const m = Math.min(p + n, bufEnd) - q
        // short pieces (a tensor's header between two skipped payloads) byte by byte: cheaper than a view and a set
        if (m <= 128) for (let k = 0; k < m; k++) structure[offset + q - p + k] = buf[q - bufStart + k]!
        else structure.set(buf.subarray(q - bufStart, q - bufStart + m), offset + q - p)
        q += m
      }
    }
    offset += n
  }
  return { structure, payloads, functionAttributeProtos }
}
