/**
 * Types shared by shape inference, the op registry and the cost model.
 */
import type { DataTypeName } from '../onnx/dtypes.js'
import type { OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/types.js'
import type { Dim } from './dims.js'

/**
 * An element of a known tensor value: a number, or a symbolic dim (a string such as `N`, from `Shape` of a
 * tensor with a symbolic dim). Values are tracked for small tensors only (shape arithmetic), see
 * {@link MAX_VALUE_ELEMENTS}.
 */
export type Scalar = number | string

/** Tensors with at most this many elements carry their value through inference. */
export const MAX_VALUE_ELEMENTS = 4096

/**
 * Floating-point constants (initializers, Constant payloads) are read for their value only up to this many
 * elements: a float that feeds shape arithmetic is a scalar, a Resize scale per axis or an roi of 2 × rank, never a
 * weight. Reading every small weight's value cost a file read and a number array each, kept for the whole analysis.
 */
export const MAX_FLOAT_CONSTANT_VALUE_ELEMENTS = 16

/** The inferred type of a tensor value. */
export interface TensorType {
  readonly kind: 'tensor'
  readonly dtype: DataTypeName
  /** undefined = rank unknown */
  readonly dims: readonly Dim[] | undefined
  /** Row-major contents when known and small (numeric and bool tensors; bool as 0/1). */
  readonly value?: readonly Scalar[] | undefined
  /** Contents of a small string tensor when known. */
  readonly strings?: readonly string[] | undefined
}

/** The inferred type of a sequence value. */
export interface SequenceType {
  readonly kind: 'sequence'
  /** The elements when their number is known statically. */
  readonly elems: readonly TensorType[] | undefined
  /** A type every element has (dims merged: differing dims become fresh symbols). */
  readonly elem: TensorType | undefined
}

/** The inferred type of an optional value. `elem: null` = known to be empty. */
export interface OptionalType {
  readonly kind: 'optional'
  readonly elem: TensorType | SequenceType | null | undefined
}

/** The inferred type of a map value (ai.onnx.ml). */
export interface MapType {
  readonly kind: 'map'
  readonly keyType: DataTypeName
  readonly valueType: DataTypeName
}

/** Any inferred value type. */
export type InferredType = TensorType | SequenceType | OptionalType | MapType

/** The cost of one node, in the units documented in the README's cost table. */
export interface OpCost {
  /** Multiply-accumulates of the conv/matmul family (1 multiply + 1 add = 1 MAC); 0 for every other op. */
  readonly macs: Dim
  /** Floating-point (or integer arithmetic) operations: 2 × MACs plus the element-wise work. */
  readonly flops: Dim
}

/** What a subgraph run by If/Loop/Scan produced. */
export interface SubgraphResult {
  readonly outputs: readonly (InferredType | undefined)[]
  /** Total cost of one execution of the body. */
  readonly cost: OpCost
  /** Nodes of the body that no rule covers, by op type. */
  readonly unknownOps: ReadonlyMap<string, number>
}

/** What an op rule sees of the node being inferred. */
export interface OpContext {
  readonly node: OnnxNode
  /** The opset version of the node's domain, as imported by the model. */
  readonly opset: number
  /** Inferred types of the node's inputs, by position; undefined for an omitted optional input. */
  readonly inputs: readonly (InferredType | undefined)[]
  /** The i-th input as a tensor; fails (E_SHAPE_INFERENCE) when absent or not a tensor. */
  tensor(i: number): TensorType
  /** The i-th input as a tensor when present, else undefined. */
  optionalTensor(i: number): TensorType | undefined
  /** True when the attribute is set. */
  hasAttr(name: string): boolean
  attrInt(name: string, fallback?: number): number
  attrInts(name: string, fallback?: readonly number[]): readonly number[]
  attrFloat(name: string, fallback?: number): number
  attrFloats(name: string, fallback?: readonly number[]): readonly number[]
  attrString(name: string, fallback?: string): string
  attrStrings(name: string, fallback?: readonly string[]): readonly string[]
  /** A tensor attribute as a TensorType, with its value when small. */
  attrTensor(name: string): TensorType | undefined
  /** A graph attribute (If branches, Loop/Scan body). */
  attrGraph(name: string): OnnxGraph | undefined
  /** A constant tensor (e.g. a Constant payload) as a TensorType, with its value when small. */
  constant(tensor: OnnxTensor): TensorType
  /**
   * A fresh symbol for a size only known at run time (NonZero's count, …): named after the node, it is reported
   * as unresolved if a cost depends on it.
   */
  freshDim(label: string): Dim
  /** Infers a subgraph with the given input types (If branches, Loop/Scan bodies). */
  inferSubgraph(graph: OnnxGraph, inputs: readonly (InferredType | undefined)[]): SubgraphResult
  /** Throws E_SHAPE_INFERENCE naming this node. */
  fail(problem: string, value?: unknown): never
}

/** One op's shape and cost rule. */
export interface OpRule {
  /**
   * The cost formula in words, for the README's cost table: `MACs = N·Cout·Ho·Wo·Cin/g·kH·kW; FLOPs = 2·MACs + out`
   * or `FLOPs = 4·out (neg, exp, add, div)`. Use `out` for output elements and `in` for input elements.
   */
  readonly formula: string
  /** Output types, by position (undefined for an output the node does not produce). */
  infer(ctx: OpContext): readonly (InferredType | undefined)[]
  /** Cost of one execution given the inferred outputs. */
  cost(ctx: OpContext, outputs: readonly (InferredType | undefined)[]): OpCost
}

/** A family of op rules, keyed by `opType` (default domain) or `domain::opType`. */
export type OpRuleTable = Readonly<Record<string, OpRule>>
