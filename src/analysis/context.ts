/**
 * The OpContext that op rules see: a node, its input types, attribute accessors and the engine's services.
 * One object per node (a class, not closures: a 50,000-node graph creates 50,000 of them).
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { ModelgateError } from '../errors.js'
import type { AttributeValue, OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/types.js'
import { symbolDim, type Dim } from './dims.js'
import type { InferredType, OpContext, OpCost, SubgraphResult, TensorType } from './types.js'

/** Engine services an OpContext delegates to. */
export interface InferenceServices {
  /** A constant tensor as a type, with its value when small. */
  readTensor(tensor: OnnxTensor): TensorType
  /** Infers a subgraph of `owner` that sees the enclosing scope. */
  inferSubgraph(owner: OnnxNode, graph: OnnxGraph, inputs: readonly (InferredType | undefined)[]): SubgraphResult
}

/** Label of a node in messages: its name, or `OpType(first output)` when unnamed. */
export function nodeLabel(node: OnnxNode): string {
  return node.name !== '' ? node.name : `${node.opType}(${node.outputs[0] ?? '?'})`
}

/** The subgraphs of a node that ran none. */
const NO_SUBGRAPHS: readonly { readonly name: string; readonly cost: OpCost }[] = Object.freeze([])

/** An OpContext that also collects the costs of the subgraphs its node ran. */
export interface NodeOpContext extends OpContext {
  readonly subgraphs: readonly { readonly name: string; readonly cost: OpCost }[]
  /** True once the rule named a symbol after the node ({@link OpContext.freshDim}): its result is this node's own. */
  readonly namedAfterNode: boolean
}

class NodeContext implements NodeOpContext {
  subgraphs: readonly { readonly name: string; readonly cost: OpCost }[] = NO_SUBGRAPHS
  namedAfterNode = false

  constructor(
    readonly node: OnnxNode,
    readonly opset: number,
    readonly inputs: readonly (InferredType | undefined)[],
    private readonly services: InferenceServices,
  ) {}

  fail(problem: string, value?: unknown): never {
    const label = nodeLabel(this.node)
    throw new ModelgateError('E_SHAPE_INFERENCE', `Node ${label} (${this.node.opType}): ${problem}.`, { node: label, value })
  }

  private attr<T extends AttributeValue['type']>(name: string, type: T): Extract<AttributeValue, { type: T }> | undefined {
    const a = this.node.attributes.get(name)
    if (a === undefined) return undefined
    if (a.type !== type) this.fail(`attribute ${name} should be of type ${type}, not ${a.type}`, a.type)
    return a as Extract<AttributeValue, { type: T }>
  }

  private required<V>(name: string, v: V | undefined): V {
    return v === undefined ? this.fail(`attribute ${name} is required`) : v
  }

  tensor(i: number): TensorType {
    const t = this.inputs[i]
    if (t === undefined) return this.fail(`input ${i} is missing`)
    if (t.kind !== 'tensor') return this.fail(`input ${i} should be a tensor, not a ${t.kind}`)
    return t
  }

  optionalTensor(i: number): TensorType | undefined {
    const t = this.inputs[i]
    if (t === undefined) return undefined
    if (t.kind !== 'tensor') return this.fail(`input ${i} should be a tensor, not a ${t.kind}`)
    return t
  }

  hasAttr(name: string): boolean {
    return this.node.attributes.has(name)
  }

  attrInt(name: string, fallback?: number): number {
    return this.attr(name, 'int')?.value ?? this.required(name, fallback)
  }

  attrInts(name: string, fallback?: readonly number[]): readonly number[] {
    return this.attr(name, 'ints')?.value ?? this.required(name, fallback)
  }

  attrFloat(name: string, fallback?: number): number {
    const a = this.node.attributes.get(name)
    // some exporters write integral floats as ints
    if (a?.type === 'int') return a.value
    return this.attr(name, 'float')?.value ?? this.required(name, fallback)
  }

  attrFloats(name: string, fallback?: readonly number[]): readonly number[] {
    return this.attr(name, 'floats')?.value ?? this.required(name, fallback)
  }

  attrString(name: string, fallback?: string): string {
    return this.attr(name, 'string')?.value ?? this.required(name, fallback)
  }

  attrStrings(name: string, fallback?: readonly string[]): readonly string[] {
    return this.attr(name, 'strings')?.value ?? this.required(name, fallback)
  }

  attrTensor(name: string): TensorType | undefined {
    const a = this.attr(name, 'tensor')
    return a === undefined ? undefined : this.services.readTensor(a.value)
  }

  attrGraph(name: string): OnnxGraph | undefined {
    return this.attr(name, 'graph')?.value
  }

  constant(tensor: OnnxTensor): TensorType {
    return this.services.readTensor(tensor)
  }

  freshDim(what: string): Dim {
    this.namedAfterNode = true
    return symbolDim(`${nodeLabel(this.node)}.${what}`)
  }

  inferSubgraph(graph: OnnxGraph, inputs: readonly (InferredType | undefined)[]): SubgraphResult {
    const result = this.services.inferSubgraph(this.node, graph, inputs)
    this.subgraphs = [...this.subgraphs, { name: graph.name, cost: result.cost }]
    return result
  }
}

/** The services of the instance kept for V8 (see _hidden-classes.ts): it never runs a rule. */
function notCalled(): never {
  throw new Error('the kept NodeContext runs no rule')
}
keepHiddenClass(() => new NodeContext({ name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() }, 0, [], { readTensor: notCalled, inferSubgraph: notCalled }))

/** Builds the context an op rule is called with. */
export function createOpContext(
  node: OnnxNode,
  opset: number,
  inputs: readonly (InferredType | undefined)[],
  services: InferenceServices,
): NodeOpContext {
  return new NodeContext(node, opset, inputs, services)
}
