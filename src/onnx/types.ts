/**
 * modelgate's own view of an ONNX model: plain data, int64 as number, no protobuf classes.
 * Produced by the one adapter that knows onnx-proto (`decode.ts`).
 */
import type { DataTypeName } from './dtypes.js'

/** How the elements of a tensor are encoded where they are stored. */
export type PayloadEncoding =
  | 'raw' // raw_data, little-endian, packed
  | 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' // packed repeated fields
  | 'string_data'

/** Where a tensor's elements are. Weight payloads are located, never decoded into JS number arrays. */
export type TensorPayload =
  /** Bytes kept in memory (small tensors, or the whole model when it was given as bytes). */
  | { readonly kind: 'inline'; readonly encoding: PayloadEncoding; readonly bytes: Uint8Array }
  /** Bytes left in the model file at this offset (skipped while reading the structure). */
  | { readonly kind: 'file'; readonly encoding: PayloadEncoding; readonly offset: number; readonly length: number }
  /** Bytes in an external data file, already checked to lie inside the model's folder. */
  | { readonly kind: 'external'; readonly path: string; readonly location: string; readonly offset: number; readonly length: number }
  /** The elements of a string tensor. */
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  /** No elements stored (an empty tensor). */
  | { readonly kind: 'none' }

/** A constant tensor: an initializer or a Constant node's payload. */
export interface OnnxTensor {
  readonly name: string
  readonly dtype: DataTypeName
  readonly dims: readonly number[]
  readonly payload: TensorPayload
}

/** A value's declared type (graph inputs, outputs, value_info). */
export type ValueType =
  | { readonly kind: 'tensor'; readonly dtype: DataTypeName; readonly dims: readonly (number | string | undefined)[] | undefined }
  | { readonly kind: 'sparse_tensor'; readonly dtype: DataTypeName; readonly dims: readonly (number | string | undefined)[] | undefined }
  | { readonly kind: 'sequence'; readonly elem: ValueType | undefined }
  | { readonly kind: 'optional'; readonly elem: ValueType | undefined }
  | { readonly kind: 'map'; readonly keyType: DataTypeName; readonly valueType: ValueType | undefined }

/** A named, typed value of a graph's signature. */
export interface ValueInfo {
  readonly name: string
  readonly type: ValueType | undefined
}

/** An attribute value, tagged by its ONNX type. `ref` is a function body's reference to a caller's attribute. */
export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: OnnxTensor }
  | { readonly type: 'graph'; readonly value: OnnxGraph }
  | { readonly type: 'sparse_tensor'; readonly value: OnnxSparseTensor }
  | { readonly type: 'type_proto'; readonly value: ValueType | undefined }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensors'; readonly value: readonly OnnxTensor[] }
  | { readonly type: 'graphs'; readonly value: readonly OnnxGraph[] }
  | { readonly type: 'sparse_tensors'; readonly value: readonly OnnxSparseTensor[] }
  | { readonly type: 'type_protos'; readonly value: readonly (ValueType | undefined)[] }
  | { readonly type: 'ref'; readonly refName: string }

/** A sparse tensor (COO): its dense dims, values and indices. */
export interface OnnxSparseTensor {
  readonly dims: readonly number[]
  readonly values: OnnxTensor
  readonly indices: OnnxTensor
}

/** One node. Empty strings in `inputs` are omitted optional inputs, as in ONNX. */
export interface OnnxNode {
  readonly name: string
  readonly opType: string
  /** '' for the default ai.onnx domain. */
  readonly domain: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attributes: ReadonlyMap<string, AttributeValue>
}

/** A graph or subgraph (If/Loop/Scan bodies). */
export interface OnnxGraph {
  readonly name: string
  readonly nodes: readonly OnnxNode[]
  readonly initializers: readonly OnnxTensor[]
  readonly sparseInitializers: readonly (OnnxSparseTensor & { readonly name: string })[]
  readonly inputs: readonly ValueInfo[]
  readonly outputs: readonly ValueInfo[]
  readonly valueInfo: readonly ValueInfo[]
}

/** A model-local function (FunctionProto). */
export interface OnnxFunction {
  readonly name: string
  readonly domain: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  /** Attribute names without defaults. */
  readonly attributes: readonly string[]
  /** Attributes with defaults (IR ≥ 9 `attribute_proto`, read past onnx-proto's older schema). */
  readonly attributeDefaults: ReadonlyMap<string, AttributeValue>
  readonly nodes: readonly OnnxNode[]
  readonly opsets: ReadonlyMap<string, number>
}

/** A decoded model. */
export interface OnnxModel {
  readonly irVersion: number
  readonly producerName: string
  readonly producerVersion: string
  /** domain ('' = ai.onnx) → opset version */
  readonly opsets: ReadonlyMap<string, number>
  readonly graph: OnnxGraph
  readonly functions: readonly OnnxFunction[]
  /** Size of the .onnx file (or of the bytes given), in bytes. */
  readonly fileBytes: number
  /** Total bytes of external data files the model refers to (each file counted once). */
  readonly externalDataBytes: number
}
