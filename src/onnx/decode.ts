/**
 * The one module that knows onnx-proto: decodes the structure the wire scanner copied out of a model, or a model
 * in memory read in place (see decodeModelDirect), into modelgate's plain IR (`types.ts`). onnx-proto is compiled
 * from the ONNX 1.10 schema; fields it does not know are recovered by the scanner (function attribute defaults) or
 * documented as ignored.
 */
import onnxProto from 'onnx-proto'
import { keepHiddenClass } from '../_hidden-classes.js'
import { dataTypeName, type DataTypeName } from './dtypes.js'
import type {
  AttributeValue, OnnxFunction, OnnxGraph, OnnxModel, OnnxNode, OnnxSparseTensor, OnnxTensor, TensorPayload, ValueInfo, ValueType,
} from './types.js'
import { SimpleNodeDecoder } from './fast-node.js'
import { SimpleTensorDecoder } from './fast-tensor.js'
import { PairList } from './pair-list.js'
import { memorySource } from './source.js'
import { MODEL_WIRE_TYPES, markerIndex, scanPart, type PartKind, type ScanResult, type ScanSource, type SkippedPayload } from './wire.js'

const { onnx } = onnxProto

type Long = { toNumber(): number; low: number; high: number; unsigned: boolean }
type IntLike = number | Long | null | undefined

/** Malformed content found while converting (not a wire error). */
export class DecodeError extends Error {}

/** Resolves an external-data reference into a payload (checks the path; see external-data.ts). */
export type ExternalResolver = (tensorName: string, entries: ReadonlyMap<string, string>) => TensorPayload

const utf8 = new TextDecoder('utf-8', { fatal: false })

function toInt(v: IntLike, what: string): number {
  if (v === null || v === undefined) return 0
  const n = typeof v === 'number' ? v : v.toNumber()
  if (!Number.isSafeInteger(n)) throw new DecodeError(`${what} ${String(n)} is not a safe integer`)
  return n
}

/** Decodes a scanned model's structure. Throws protobufjs errors or {@link DecodeError} for bad content. */
export function decodeScannedModel(scan: ScanResult, fileBytes: number, resolveExternal: ExternalResolver): Omit<OnnxModel, 'externalDataBytes'> {
  // The main graph's nodes and initializers are decoded one at a time (directly, or by protobufjs) and converted at
  // once, so that protobufjs's objects for them die young instead of all living until the end (on a 50,000-node
  // graph, decoding them all and keeping them took 3.5× as long as decoding them one by one, the difference being
  // garbage collection). Any failure on that path re-runs the whole-model decode below, which gives the exact error.
  try {
    const split = decodeWithoutMainGraphParts(scan.structure, false)
    if (split !== undefined) return convertModel(split.model, split, new Converter(scan, resolveExternal), fileBytes)
  } catch {
    // decoded again below
  }
  return convertModel(onnx.ModelProto.decode(scan.structure), undefined, new Converter(scan, resolveExternal), fileBytes)
}

/**
 * Decodes a whole model held in memory without the wire scan, to the IR {@link decodeScannedModel} gives for the
 * scanned model: the main graph's nodes and initializers are read in place (a payload becomes the same `file`
 * location the scan would record: its offset in `bytes`), and the few messages the direct decoders do not read
 * (a Constant node's tensor, a node with a subgraph, an unusual tensor) are scanned on their own, at the depth the
 * scan would meet them, and decoded from that structure as the scan path decodes them. On a graph of small nodes
 * this spares copying the structure and reading every message twice (the scan, then the decode).
 * Returns undefined, before doing much, for what only the scan path reads as it must: a model with functions
 * (their attribute defaults are recovered by the scan), sparse initializers, or top-level fields that are not
 * well-formed. Anything that fails on the way (a malformed message, a DecodeError) throws, and the caller then
 * takes the scan path, which reports the exact error: this path only ever returns what that one would.
 */
export function decodeModelDirect(bytes: Uint8Array, resolveExternal: ExternalResolver): Omit<OnnxModel, 'externalDataBytes'> | undefined {
  const split = decodeWithoutMainGraphParts(bytes, true)
  if (split === undefined) return undefined
  const payloads: SkippedPayload[] = []
  const convert = new Converter({ structure: bytes, payloads, functionAttributeProtos: [] }, resolveExternal, { source: memorySource(bytes), base: bytes.byteOffset, payloads })
  return convertModel(split.model, split, convert, bytes.length)
}

function convertModel(model: onnxProto.onnx.ModelProto, main: MainGraphParts | undefined, convert: Converter, fileBytes: number): Omit<OnnxModel, 'externalDataBytes'> {
  if (model.graph === null || model.graph === undefined) throw new DecodeError('the model has no graph')
  const opsets = new Map<string, number>()
  for (const o of model.opsetImport ?? []) opsets.set(o.domain ?? '', toInt(o.version, 'opset version'))
  return {
    irVersion: toInt(model.irVersion, 'ir_version'),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    opsets,
    graph: convert.graph(model.graph, main),
    functions: (model.functions ?? []).map((f, i) => convert.fn(f, i)),
    fileBytes,
  }
}

/** The main graph's nodes and initializers, each still encoded. */
interface MainGraphParts {
  readonly nodes: EncodedMessages
  readonly initializers: EncodedMessages
}

/** ModelProto.functions and GraphProto.sparse_initializer: what only the scan path reads (see decodeModelDirect). */
const SCANNED_ONLY_MODEL_FIELDS: ReadonlySet<number> = new Set([25])
const SCANNED_ONLY_GRAPH_FIELDS: ReadonlySet<number> = new Set([15])

/**
 * The ModelProto decoded without its main graph's nodes and initializers, and the bytes of each; undefined (or a
 * throw) when that could differ from decoding the whole: the model is then decoded in one go. Runs of other fields
 * are decoded apart, and protobufjs ends a run exactly at its end or throws, with one exception that `cutFields`
 * rules out, so decoding them apart reads every field as decoding the whole does.
 * @param direct the bytes are the model itself, not the scanned structure: the checks the scan makes at the top
 *   and in the graph are made here, and the nodes' and initializers' ends are not checked (they are read by the
 *   direct decoders, or scanned on their own first)
 */
function decodeWithoutMainGraphParts(bytes: Uint8Array, direct: boolean): ({ model: onnxProto.onnx.ModelProto } & MainGraphParts) | undefined {
  const top = cutFields(bytes, 7, direct ? { refuse: SCANNED_ONLY_MODEL_FIELDS, wireTypes: MODEL_WIRE_TYPES } : undefined)
  if (top === undefined || top.filter((s) => s.field).length !== 1) return undefined
  const model = new onnx.ModelProto()
  let parts: MainGraphParts | undefined
  for (const s of top) {
    if (!s.field) {
      const part = onnx.ModelProto.decode(s.bytes)
      if (Object.hasOwn(part, 'graph')) return undefined
      mergeFields(model, part)
      continue
    }
    // GraphProto.node (1) and .initializer (5)
    const nodeRanges = new PairList()
    const initializerRanges = new PairList()
    const cut = cutFields(s.bytes, new Map([[1, nodeRanges], [5, initializerRanges]]), direct ? { refuse: SCANNED_ONLY_GRAPH_FIELDS, rangeEnds: false } : undefined)
    if (cut === undefined) return undefined
    parts = { nodes: { bytes: s.bytes, ranges: nodeRanges }, initializers: { bytes: s.bytes, ranges: initializerRanges } }
    const graph = new onnx.GraphProto()
    for (const g of cut) {
      const part = onnx.GraphProto.decode(g.bytes)
      if (part.node.length > 0 || part.initializer.length > 0) return undefined
      mergeFields(graph, part)
    }
    model.graph = graph
  }
  return parts === undefined ? undefined : { model, ...parts }
}

/** Messages of one kind in a buffer: message i is `bytes[ranges.at[2i], ranges.at[2i + 1])` (not 50,000 subarrays). */
interface EncodedMessages {
  readonly bytes: Uint8Array
  readonly ranges: PairList
}


/** Adds a decoded part's fields to a message as decoding both in one go would: repeated appended, others replaced. */
function mergeFields(target: object, part: object): void {
  const to = target as Record<string, unknown>
  for (const [key, value] of Object.entries(part)) {
    const list = to[key]
    if (Array.isArray(value) && Array.isArray(list)) for (const v of value as unknown[]) list.push(v)
    else to[key] = value
  }
}

/** What {@link cutFields} checks besides its own rules, for bytes the wire scan has not checked. */
interface CutChecks {
  /** Fields whose presence makes the cut undefined. */
  readonly refuse?: ReadonlySet<number>
  /** Field → the wire type it must have (else undefined). */
  readonly wireTypes?: Readonly<Record<number, number>>
  /** Whether the ranges' ends are checked like the pieces' (default true). */
  readonly rangeEnds?: boolean
}

/**
 * A message's bytes cut into runs of fields and the contents of each length-delimited field that is cut, in order.
 * Undefined when a key or length may read otherwise in protobufjs (more than 5 bytes, 2^32 or more), when a
 * field runs past the end, when a field number is 0, or when a piece ends in three bytes with the continuation bit:
 * protobufjs's 64-bit varint reader reads one byte past the end of its buffer there without throwing.
 * @param cut the field to cut; or fields → ranges, where the contents of each such field go
 *   (the pieces returned are then the runs between them)
 */
function cutFields(bytes: Uint8Array, cut: number | ReadonlyMap<number, PairList>, checks?: CutChecks): { field: boolean; bytes: Uint8Array }[] | undefined {
  const checkRangeEnds = checks?.rangeEnds ?? true
  const out: { field: boolean; bytes: Uint8Array }[] = []
  let pos = 0
  const varint = (): number => {
    let value = 0
    let mul = 1
    for (let i = 0; i < 5 && pos < bytes.length; i++) {
      const b = bytes[pos++]!
      if (i === 4 && b > 15) return -1
      value += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return value
      mul *= 128
    }
    return -1
  }
  const piece = (isField: boolean, start: number, end: number, ranges?: PairList): boolean => {
    if ((ranges === undefined || checkRangeEnds) && endsInContinuation(bytes, start, end)) return false
    if (isField && ranges !== undefined) ranges.push(start, end)
    else if (isField || end > start) out.push({ field: isField, bytes: bytes.subarray(start, end) })
    return true
  }
  let run = 0
  while (pos < bytes.length) {
    const keyStart = pos
    const key = varint()
    const wireType = key % 8
    let len = -1
    if (key < 0) return undefined
    else if (wireType === 0) {
      for (let i = 0; i < 10 && pos < bytes.length && len < 0; i++) if (bytes[pos++]! < 128) len = 0
    } else len = wireType === 1 ? 8 : wireType === 5 ? 4 : wireType === 2 ? varint() : -1
    if (len < 0 || pos + len > bytes.length) return undefined
    const field = Math.floor(key / 8)
    if (field === 0) return undefined
    if (checks !== undefined) {
      if (checks.refuse?.has(field) === true) return undefined
      const expected = checks.wireTypes?.[field]
      if (expected !== undefined && expected !== wireType) return undefined
    }
    if (typeof cut === 'number' ? field === cut : cut.has(field)) {
      const ranges = typeof cut === 'number' ? undefined : cut.get(field)
      if (wireType !== 2 || !piece(false, run, keyStart) || !piece(true, pos, pos + len, ranges)) return undefined
      run = pos + len
    }
    pos += len
  }
  return piece(false, run, bytes.length) ? out : undefined
}

/** True when `bytes[start, end)` ends in three bytes with the continuation bit (see {@link cutFields}). */
function endsInContinuation(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && bytes[end - 1]! >= 0x80 && bytes[end - 2]! >= 0x80 && bytes[end - 3]! >= 0x80
}

/**
 * Decodes a standalone TensorProto (e.g. a test's `input_0.pb`); its data stays inline.
 * @param resolveExternal the payload of external data (none by default)
 */
export function decodeTensorProto(bytes: Uint8Array, resolveExternal: ExternalResolver = () => ({ kind: 'none' })): OnnxTensor {
  const t = onnx.TensorProto.decode(bytes)
  return new Converter({ structure: bytes, payloads: [], functionAttributeProtos: [] }, resolveExternal).tensor(t)
}

/** Decodes a standalone NodeProto with protobufjs (the reference the direct decoder is tested against). */
export function decodeNodeProto(bytes: Uint8Array): OnnxNode {
  return new Converter({ structure: bytes, payloads: [], functionAttributeProtos: [] }, () => ({ kind: 'none' })).node(onnx.NodeProto.decode(bytes))
}

/** Each encoded message by the direct decoder, or by `fallback` (protobufjs) where that one returns undefined. */
function decodeEach<T>(
  { bytes, ranges }: EncodedMessages,
  direct: (bytes: Uint8Array, start: number, end: number) => T | undefined,
  fallback: (bytes: Uint8Array, start: number, end: number) => T,
): T[] {
  const out = new Array<T>(ranges.count)
  for (let i = 0; i < out.length; i++) {
    const start = ranges.at[2 * i]!
    const end = ranges.at[2 * i + 1]!
    out[i] = direct(bytes, start, end) ?? fallback(bytes, start, end)
  }
  return out
}

/** Thrown by {@link decodeModelDirect}'s converter for what only the scan path reads as it must. */
class NotDirect extends Error {}

/** How a converter of {@link decodeModelDirect} reads the main graph's parts: in place, from the model's bytes. */
interface DirectParts {
  readonly source: ScanSource
  /** The model's byteOffset in its buffer: a view's offset minus this is its offset in the model. */
  readonly base: number
  /** The payloads its parts' own scans skipped (their markers index this list: the converter's scan's payloads). */
  readonly payloads: SkippedPayload[]
}

class Converter {
  /**
   * @param direct set when the main graph's nodes and initializers are the model's own bytes, not the scanned
   *   structure's (see {@link decodeModelDirect})
   */
  constructor(
    private readonly scan: ScanResult,
    private readonly resolveExternal: ExternalResolver,
    private readonly direct?: DirectParts,
  ) {}

  /** @param encoded the graph's nodes and initializers, each still encoded (decoded and converted one at a time) */
  graph(g: onnxProto.onnx.IGraphProto, encoded?: MainGraphParts): OnnxGraph {
    return {
      name: g.name ?? '',
      nodes: encoded === undefined ? (g.node ?? []).map((n) => this.node(n)) : this.nodes(encoded.nodes),
      initializers: encoded === undefined ? (g.initializer ?? []).map((t) => this.tensor(t)) : this.initializers(encoded.initializers),
      sparseInitializers: (g.sparseInitializer ?? []).map((s) => {
        const sparse = this.sparse(s)
        return { ...sparse, name: sparse.values.name }
      }),
      inputs: (g.input ?? []).map((v) => this.valueInfo(v)),
      outputs: (g.output ?? []).map((v) => this.valueInfo(v)),
      valueInfo: (g.valueInfo ?? []).map((v) => this.valueInfo(v)),
    }
  }

  /** Encoded nodes, each decoded directly when it is a plain one, else by protobufjs. */
  private nodes(encoded: EncodedMessages): OnnxNode[] {
    const simple = new SimpleNodeDecoder()
    return decodeEach(encoded, (bytes, start, end) => simple.decode(bytes, start, end), (bytes, start, end) => this.node(onnx.NodeProto.decode(this.part('node', bytes, start, end))))
  }

  /** Encoded initializers, each decoded directly when it is a plain one, else by protobufjs. */
  private initializers(encoded: EncodedMessages): OnnxTensor[] {
    // read in place, a tensor's raw_data is where its payload lies; in the scanned structure, it is the scan's marker
    const raw = this.direct === undefined
      ? (buffer: Uint8Array, start: number, end: number) => this.rawPayload(buffer.subarray(start, end))
      : (_: Uint8Array, start: number, end: number) => this.inPlacePayload(start, end)
    const simple = new SimpleTensorDecoder(raw, (name, entries) => this.resolveExternal(name, entries))
    return decodeEach(encoded, (bytes, start, end) => simple.decode(bytes, start, end), (bytes, start, end) => this.tensor(onnx.TensorProto.decode(this.part('tensor', bytes, start, end))))
  }

  /**
   * The bytes protobufjs decodes for the node or initializer at `bytes[start, end)`: those bytes in the scanned
   * structure; read in place, the part's own scan (its payloads skipped as the whole scan skips them).
   */
  private part(kind: PartKind, bytes: Uint8Array, start: number, end: number): Uint8Array {
    if (this.direct === undefined) return bytes.subarray(start, end)
    const at = bytes.byteOffset - this.direct.base
    const structure = scanPart(this.direct.source, kind, at + start, at + end, this.direct.payloads)
    // the scan path would decode this part with the graph's other fields (see cutFields)
    if (endsInContinuation(structure, 0, structure.length)) throw new NotDirect(`a ${kind} ends in continuation bytes`)
    return structure
  }

  /** The payload of a raw_data read in place (at `[start, end)` of the model's buffer): where the scan would record it. */
  private inPlacePayload(start: number, end: number): TensorPayload {
    return { kind: 'file', encoding: 'raw', offset: start - this.direct!.base, length: end - start }
  }

  fn(f: onnxProto.onnx.IFunctionProto, index: number): OnnxFunction {
    const defaults = new Map<string, AttributeValue>()
    for (const bytes of this.scan.functionAttributeProtos[index] ?? []) {
      const a = onnx.AttributeProto.decode(bytes)
      const v = this.attribute(a)
      if (a.name) defaults.set(a.name, v)
    }
    const opsets = new Map<string, number>()
    for (const o of f.opsetImport ?? []) opsets.set(o.domain ?? '', toInt(o.version, 'opset version'))
    return {
      name: f.name ?? '',
      domain: f.domain ?? '',
      inputs: f.input ?? [],
      outputs: f.output ?? [],
      attributes: f.attribute ?? [],
      attributeDefaults: defaults,
      nodes: (f.node ?? []).map((n) => this.node(n)),
      opsets,
    }
  }

  node(n: onnxProto.onnx.INodeProto): OnnxNode {
    const attributes = new Map<string, AttributeValue>()
    for (const a of n.attribute ?? []) attributes.set(a.name ?? '', this.attribute(a))
    return {
      name: n.name ?? '',
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes,
    }
  }

  attribute(a: onnxProto.onnx.IAttributeProto): AttributeValue {
    if (a.refAttrName) return { type: 'ref', refName: a.refAttrName }
    const T = onnx.AttributeProto.AttributeType
    let type = a.type ?? T.UNDEFINED
    if (type === T.UNDEFINED) type = guessAttributeType(a)
    switch (type) {
      case T.FLOAT: return { type: 'float', value: a.f ?? 0 }
      case T.INT: return { type: 'int', value: toInt(a.i, `attribute ${a.name ?? ''}`) }
      case T.STRING: return { type: 'string', value: utf8.decode(a.s ?? new Uint8Array()) }
      case T.TENSOR: return { type: 'tensor', value: this.tensor(a.t ?? {}) }
      case T.GRAPH: return { type: 'graph', value: this.graph(a.g ?? {}) }
      case T.SPARSE_TENSOR: return { type: 'sparse_tensor', value: this.sparse(a.sparseTensor ?? {}) }
      case T.TYPE_PROTO: return { type: 'type_proto', value: this.type(a.tp ?? undefined) }
      case T.FLOATS: return { type: 'floats', value: a.floats ?? [] }
      case T.INTS: return { type: 'ints', value: (a.ints ?? []).map((i) => toInt(i, `attribute ${a.name ?? ''}`)) }
      case T.STRINGS: return { type: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) }
      case T.TENSORS: return { type: 'tensors', value: (a.tensors ?? []).map((t) => this.tensor(t)) }
      case T.GRAPHS: return { type: 'graphs', value: (a.graphs ?? []).map((g) => this.graph(g)) }
      case T.SPARSE_TENSORS: return { type: 'sparse_tensors', value: (a.sparseTensors ?? []).map((s) => this.sparse(s)) }
      case T.TYPE_PROTOS: return { type: 'type_protos', value: (a.typeProtos ?? []).map((tp) => this.type(tp)) }
      default: throw new DecodeError(`attribute ${a.name ?? ''} has unknown type ${String(type)}`)
    }
  }

  sparse(s: onnxProto.onnx.ISparseTensorProto): OnnxSparseTensor {
    return {
      dims: (s.dims ?? []).map((d) => toInt(d, 'sparse tensor dim')),
      values: this.tensor(s.values ?? {}),
      indices: this.tensor(s.indices ?? {}),
    }
  }

  tensor(t: onnxProto.onnx.ITensorProto): OnnxTensor {
    const dtype: DataTypeName = dataTypeName(t.dataType ?? 0) ?? 'undefined'
    const dims = (t.dims ?? []).map((d, axis) => {
      const n = toInt(d, `a dim of tensor ${t.name ?? ''}`)
      if (n < 0) throw new DecodeError(`tensor ${JSON.stringify(t.name ?? '')} declares dim ${n} on axis ${axis}; a dim is ≥ 0`)
      return n
    })
    return { name: t.name ?? '', dtype, dims, payload: this.payload(t) }
  }

  private payload(t: onnxProto.onnx.ITensorProto): TensorPayload {
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const entries = new Map<string, string>()
      for (const e of t.externalData ?? []) entries.set(e.key ?? '', e.value ?? '')
      return this.resolveExternal(t.name ?? '', entries)
    }
    const raw = t.rawData
    if (raw && raw.length > 0) return this.rawPayload(raw)
    if (t.stringData && t.stringData.length > 0) return { kind: 'strings', values: t.stringData.map((s) => utf8.decode(s)) }
    // unpacked repeated fields (rare; small tensors from hand-written protos) come back as arrays
    if (t.floatData && t.floatData.length > 0) return { kind: 'inline', encoding: 'raw', bytes: new Uint8Array(Float32Array.from(t.floatData).buffer) }
    if (t.doubleData && t.doubleData.length > 0) return { kind: 'inline', encoding: 'raw', bytes: new Uint8Array(Float64Array.from(t.doubleData).buffer) }
    const ints = (t.int64Data?.length ? t.int64Data : t.uint64Data?.length ? t.uint64Data : undefined) as IntLike[] | undefined
    if (ints) return { kind: 'inline', encoding: 'raw', bytes: new Uint8Array(BigInt64Array.from(ints.map((v) => BigInt(toInt(v, 'int64 element')))).buffer) }
    if (t.int32Data && t.int32Data.length > 0) return { kind: 'inline', encoding: 'int32_data', bytes: encodeVarints(t.int32Data) }
    return { kind: 'none' }
  }

  /** The payload of a tensor whose raw_data is `raw` (not empty): the scanner's marker of a skipped payload, or the bytes. */
  private rawPayload(raw: Uint8Array): TensorPayload {
    const index = markerIndex(raw)
    const skipped = index === undefined ? undefined : this.scan.payloads[index]
    if (skipped !== undefined) return { kind: 'file', encoding: skipped.encoding, offset: skipped.offset, length: skipped.length }
    return { kind: 'inline', encoding: 'raw', bytes: raw }
  }

  valueInfo(v: onnxProto.onnx.IValueInfoProto): ValueInfo {
    return { name: v.name ?? '', type: this.type(v.type ?? undefined) }
  }

  type(tp: onnxProto.onnx.ITypeProto | undefined): ValueType | undefined {
    if (!tp) return undefined
    const shape = (s: onnxProto.onnx.ITensorShapeProto | null | undefined): (number | string | undefined)[] | undefined =>
      s === null || s === undefined
        ? undefined
        : (s.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toInt(d.dimValue, 'dim_value') : undefined))
    if (tp.tensorType) return { kind: 'tensor', dtype: dataTypeName(tp.tensorType.elemType ?? 0) ?? 'undefined', dims: shape(tp.tensorType.shape) }
    if (tp.sparseTensorType) return { kind: 'sparse_tensor', dtype: dataTypeName(tp.sparseTensorType.elemType ?? 0) ?? 'undefined', dims: shape(tp.sparseTensorType.shape) }
    if (tp.sequenceType) return { kind: 'sequence', elem: this.type(tp.sequenceType.elemType ?? undefined) }
    if (tp.optionalType) return { kind: 'optional', elem: this.type(tp.optionalType.elemType ?? undefined) }
    if (tp.mapType) return { kind: 'map', keyType: dataTypeName(tp.mapType.keyType ?? 0) ?? 'undefined', valueType: this.type(tp.mapType.valueType ?? undefined) }
    return undefined
  }
}
keepHiddenClass(() => new Converter({ structure: new Uint8Array(0), payloads: [], functionAttributeProtos: [] }, () => ({ kind: 'none' })))

function guessAttributeType(a: onnxProto.onnx.IAttributeProto): number {
  const T = onnx.AttributeProto.AttributeType
  if (a.floats?.length) return T.FLOATS
  if (a.ints?.length) return T.INTS
  if (a.strings?.length) return T.STRINGS
  if (a.tensors?.length) return T.TENSORS
  if (a.graphs?.length) return T.GRAPHS
  if (a.t) return T.TENSOR
  if (a.g) return T.GRAPH
  if (a.s && a.s.length > 0) return T.STRING
  if (a.i !== null && a.i !== undefined && toInt(a.i, 'attribute') !== 0) return T.INT
  if (a.f) return T.FLOAT
  return T.INT
}

function encodeVarints(values: readonly number[]): Uint8Array {
  const out: number[] = []
  for (const value of values) {
    let v = BigInt.asUintN(64, BigInt(value))
    while (v >= 128n) {
      out.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    out.push(Number(v))
  }
  return Uint8Array.from(out)
}
