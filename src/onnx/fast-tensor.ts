/**
 * A direct decoder for the common TensorProto of a scanned model: name, dims, data_type and raw_data — after the
 * wire scan, raw_data is the marker of the skipped payload — or external data (data_location and the
 * external_data entries), which is all an exported model's initializers hold. It builds the IR tensor without
 * protobufjs's message object, Long dims and copied name bytes (on a 50,000-node graph with 15,000 initializers, a
 * quarter of the load's garbage). Anything else (other data fields, segments, a negative or unsafe dim, a string
 * that is not valid UTF-8, an unknown or malformed field) returns undefined and protobufjs decodes the tensor
 * instead, which gives the same IR or the exact error. Field numbers are those of onnx/onnx.proto.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { dataTypeName } from './dtypes.js'
import type { OnnxTensor, TensorPayload } from './types.js'
import { WireReader } from './wire-reader.js'

/** TensorProto fields read here. */
const DIMS = 1
const DATA_TYPE = 2
const NAME = 8
const RAW_DATA = 9
const DOC_STRING = 12
const EXTERNAL_DATA = 13
const DATA_LOCATION = 14

/** How many of the latest dims lists a tensor's dims are compared with before they are copied. */
const RECENT_DIMS = 4

/** TensorProto.DataLocation.EXTERNAL. */
const EXTERNAL = 1

/** Decodes TensorProtos that lie in one buffer (the scanned structure). */
export class SimpleTensorDecoder {
  private reader: WireReader | undefined
  /** The view the latest tensor was read from. */
  private lastBytes: Uint8Array | undefined
  /** The dims being read, copied out at their exact length (filled by index, never emptied). */
  private readonly dims: number[] = []
  /** The latest dims lists built (see {@link sharedDims}). */
  private readonly recentDims: number[][] = Array.from({ length: RECENT_DIMS }, () => [-1])
  private nextDims = 0

  /**
   * @param rawPayload the payload of a tensor whose raw_data is `buffer[start, end)`, `buffer` a view of the whole
   *   ArrayBuffer the tensor lies in (in a scanned structure, the scan's marker; read in place, the payload itself,
   *   maybe empty): a range, not a view of its own, since read in place only its offset is needed
   * @param externalPayload the payload of a tensor stored as external data, from its name and entries
   */
  constructor(
    private readonly rawPayload: (buffer: Uint8Array, start: number, end: number) => TensorPayload,
    private readonly externalPayload: (tensorName: string, entries: ReadonlyMap<string, string>) => TensorPayload,
  ) {}

  /** The TensorProto at `bytes[start, end)` as the IR tensor, or undefined when protobufjs must decode it. */
  decode(bytes: Uint8Array, start: number, end: number): OnnxTensor | undefined {
    // the same view is given for every tensor of a graph: its buffer (a getter's call) is compared once per view
    let r = this.reader
    if (r === undefined || (bytes !== this.lastBytes && r.bytes.buffer !== bytes.buffer)) r = this.reader = new WireReader(bytes.buffer)
    this.lastBytes = bytes
    r.ok = true
    r.pos = bytes.byteOffset + start
    const stop = bytes.byteOffset + end
    const dims = this.dims
    let dimCount = 0
    let name = ''
    let dataType = 0
    let rawStart = 0
    let rawEnd = 0
    let hasRaw = false
    let location = 0
    let entries: Map<string, string> | undefined
    while (r.pos < stop && r.ok) {
      const key = r.uint(stop)
      const field = key >>> 3
      const wireType = key & 7
      if (field === DIMS && wireType === 0) {
        const d = r.int64(stop)
        if (d < 0) return undefined
        dims[dimCount++] = d
      } else if (field === DIMS && wireType === 2) {
        // packed
        const length = r.uint(stop)
        const packedEnd = r.pos + length
        if (packedEnd > stop) return undefined
        while (r.pos < packedEnd && r.ok) {
          const d = r.int64(packedEnd)
          if (d < 0) return undefined
          dims[dimCount++] = d
        }
      } else if (field === DATA_TYPE && wireType === 0) {
        dataType = r.int64(stop)
        // protobufjs reads an int32: anything outside it would read otherwise
        if (dataType < 0 || dataType > 0x7fffffff) return undefined
      } else if (field === NAME && wireType === 2) {
        name = r.string(r.uint(stop))
      } else if (field === RAW_DATA && wireType === 2) {
        // a second raw_data: the scan's payload table keeps the first, protobufjs the last; protobufjs reads the
        // scanned structure as the scan path reads it
        if (hasRaw) return undefined
        hasRaw = true
        const length = r.uint(stop)
        rawStart = r.pos
        r.pos += length
        rawEnd = r.pos
      } else if (field === DOC_STRING && wireType === 2) {
        r.skip(wireType, stop)
      } else if (field === EXTERNAL_DATA && wireType === 2) {
        // a StringStringEntryProto: key (1), value (2); a later entry with the same key wins, as in the map
        // protobufjs's tensor is converted through
        const length = r.uint(stop)
        const entryEnd = r.pos + length
        if (!r.ok || entryEnd > stop) return undefined
        let key = ''
        let value = ''
        while (r.pos < entryEnd && r.ok) {
          const entryKey = r.uint(entryEnd)
          if (entryKey === ((1 << 3) | 2)) key = r.string(r.uint(entryEnd))
          else if (entryKey === ((2 << 3) | 2)) value = r.string(r.uint(entryEnd))
          else return undefined
          if (r.pos > entryEnd) return undefined
        }
        if (!r.ok || r.pos !== entryEnd) return undefined
        ;(entries ??= new Map()).set(key, value)
      } else if (field === DATA_LOCATION && wireType === 0) {
        // DEFAULT or EXTERNAL; protobufjs reads other values as an int32 of its own
        location = r.int64(stop)
        if (location !== 0 && location !== EXTERNAL) return undefined
      } else return undefined
      if (r.pos > stop) return undefined
    }
    if (!r.ok || r.pos !== stop) return undefined
    const payload: TensorPayload =
      location === EXTERNAL
        ? this.externalPayload(name, entries ?? new Map())
        : hasRaw
          ? this.rawPayload(r.bytes, rawStart, rawEnd)
          : { kind: 'none' }
    return { name, dtype: dataTypeName(dataType) ?? 'undefined', dims: this.sharedDims(dimCount), payload }
  }

  /**
   * The dims read (`this.dims[0, count)`) as one of the latest lists with the same dims, or a copy: a network's
   * repeated layers store tensors of a few shapes in turn, and the IR is never changed in place, so they share one
   * list (on the 50,000-node graph, 15,000 lists become 3).
   */
  private sharedDims(count: number): number[] {
    const dims = this.dims
    for (let j = 0; j < RECENT_DIMS; j++) {
      const known = this.recentDims[j]!
      if (known.length !== count) continue
      let k = 0
      while (k < count && known[k] === dims[k]) k++
      if (k === count) return known
    }
    const copy = dims.slice(0, count)
    this.recentDims[this.nextDims] = copy
    this.nextDims = (this.nextDims + 1) % RECENT_DIMS
    return copy
  }
}
keepHiddenClass(() => new SimpleTensorDecoder(() => ({ kind: 'none' }), () => ({ kind: 'none' })))
