/**
 * Shape inference over a whole model: every tensor of the main graph gets dtype and dims (symbolic where the
 * model leaves them free), every node its cost from the op registry. Subgraphs (If/Loop/Scan) and model-local
 * functions are inferred in their own scopes. Unknown ops are recorded, never counted as zero silently.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { ModelgateError, isModelgateError } from '../errors.js'
import { isFloatType } from '../onnx/dtypes.js'
import { isScalarAttributeMap } from '../onnx/fast-node.js'
import { decodeElements } from '../onnx/tensor-data.js'
import type { AttributeValue, OnnxFunction, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, ValueInfo, ValueType } from '../onnx/types.js'
import { createOpContext, nodeLabel, type InferenceServices, type NodeOpContext } from './context.js'
import { dimMax, symbolDim, type Dim } from './dims.js'
import { DimSum } from './dims-running.js'
import { topologicalOrder } from './graph-order.js'
import { EMPTY_GRAPH, indexGraph, NO_VALUE, type GraphIndex } from './graph-index.js'
import { Scope, type ValueTable } from './scope.js'
import { RepeatedNodes, SharedCosts, SharedTypes, ValueWatch } from './shared-results.js'
import { assertOutputDims } from './output-dims.js'
import { findOpRule } from './ops/index.js'
import { MAX_FLOAT_CONSTANT_VALUE_ELEMENTS, MAX_VALUE_ELEMENTS, type InferredType, type OpCost, type OpRule, type SubgraphResult, type TensorType } from './types.js'
import type { TensorPayload } from '../onnx/types.js'

/** What the caller knows about the inputs. */
export interface InferOptions {
  /** Input name → concrete dims. */
  readonly shapes?: Readonly<Record<string, readonly number[]>> | undefined
  /** dim_param symbol → size. */
  readonly dims?: Readonly<Record<string, number>> | undefined
  /** Input name → values of a small shape-computing input (row-major); strings for string tensors. */
  readonly inputValues?: Readonly<Record<string, readonly number[] | readonly string[]>> | undefined
}

/** A subgraph a node ran, and its cost. */
export interface SubgraphCost {
  readonly name: string
  readonly cost: OpCost
}

/**
 * The main graph's nodes as they ran, the k-th node run at index k of each list. The types each node read and
 * wrote are the values of its input and output ids (`InferenceResult.values`): a graph's values are defined once.
 * Parallel lists rather than an object per node: they stay alive until the report is built.
 */
export interface ExecutedNodes {
  /** The node's position in the graph's node list (its row in the graph's {@link GraphIndex}). */
  readonly at: readonly number[]
  /** undefined when no rule covers the op. */
  readonly costs: readonly (OpCost | undefined)[]
  /** The subgraphs a node ran (If branches, Loop/Scan bodies) and their costs, for the nodes that ran any. */
  readonly subgraphs: ReadonlyMap<number, readonly SubgraphCost[]>
}

/** {@link ExecutedNodes} while the main graph is inferred: the node order, and each node's cost as it runs. */
interface ExecutedList {
  at: number[]
  costs: (OpCost | undefined)[]
  readonly subgraphs: Map<number, readonly SubgraphCost[]>
}

/** The result of inferring a model. */
export interface InferenceResult {
  /** Types of every main-graph value: inputs, initializers and node outputs. */
  readonly tensors: ReadonlyMap<string, InferredType>
  /** The same by id (see graph-index.ts), with the main graph's numbered values. */
  readonly values: ValueTable
  /** Main-graph nodes in execution order. */
  readonly executed: ExecutedNodes
  /** Unknown ops at every level (subgraphs and functions included), `domain::opType` or `opType`. */
  readonly unknownOps: ReadonlyMap<string, number>
  /** Nodes at every level, and how many of them a rule covered. */
  readonly nodeCount: number
  readonly countedNodes: number
  /** Nodes with a rule that could not run because an input came from an unknown op. */
  readonly blockedNodes: number
}

/** Reads a payload's bytes (small tensors only). */
export type PayloadReader = (payload: TensorPayload) => Uint8Array | undefined

const MAX_NESTING = 32

/** The subgraphs of a node that ran none (shared: results are never changed). */
const NO_SUBGRAPHS: readonly SubgraphCost[] = Object.freeze([])

/** No types to compare a type with (see SharedTypes.share). */
const NO_INPUTS: readonly (InferredType | undefined)[] = Object.freeze([])

/** Infers every tensor and node cost of a model. */
export function inferModel(model: OnnxModel, readPayload: PayloadReader, options: InferOptions = {}): InferenceResult {
  return new Engine(model, readPayload, options).run()
}

class Engine {
  private readonly unknownOps = new Map<string, number>()
  private readonly functions = new Map<string, OnnxFunction>()
  private readonly tensorCache = new WeakMap<OnnxTensor, TensorType>()
  private readonly sharedTypes = new SharedTypes()
  private readonly sharedCosts = new SharedCosts()
  private readonly repeatedNodes = new RepeatedNodes(this.sharedTypes)
  private readonly valueWatch = new ValueWatch()
  private readonly declared = new WeakMap<OnnxGraph, Map<string, ValueInfo>>()
  /** Input lists by length (0 to 8), which {@link inferNode} fills for each node and copies only when it must. */
  private readonly inputLists = Array.from({ length: 9 }, (_, n) => new Array<InferredType | undefined>(n))
  /**
   * The subgraphs the latest {@link inferNode} ran (If branches, Loop/Scan bodies) and their costs: a field, not a
   * result object per node (a node's subgraphs run before it sets this).
   */
  private nodeSubgraphs: readonly SubgraphCost[] = NO_SUBGRAPHS
  private nodeCount = 0
  private countedNodes = 0
  private blockedNodes = 0
  private depth = 0

  constructor(
    private readonly model: OnnxModel,
    private readonly readPayload: PayloadReader,
    private readonly options: InferOptions,
  ) {
    for (const f of model.functions) this.functions.set(`${f.domain}::${f.name}`, f)
  }

  run(): InferenceResult {
    const graph = this.model.graph
    const index = indexGraph(graph)
    const scope = new Scope(index)
    this.bindGraphInputs(graph, scope)
    const executed: ExecutedList = { at: [], costs: [], subgraphs: new Map() }
    this.inferGraph(graph, scope, this.model.opsets, 'the main graph', executed)
    return { tensors: scope.typed(), values: scope, executed, unknownOps: this.unknownOps, nodeCount: this.nodeCount, countedNodes: this.countedNodes, blockedNodes: this.blockedNodes }
  }

  private bindGraphInputs(graph: OnnxGraph, scope: Scope): void {
    const { ids, initializerIds } = scope.index
    const isInitializer = new Uint8Array(scope.index.names.length)
    for (let i = 0; i < initializerIds.length; i++) isInitializer[initializerIds[i]!] = 1
    const shapes = this.options.shapes ?? {}
    const realInputs = graph.inputs.filter((v) => isInitializer[ids.get(v.name)!] === 0)
    for (const name of Object.keys(shapes)) {
      if (!realInputs.some((v) => v.name === name)) {
        throw new ModelgateError('E_SHAPE_OPTION', `The model has no input ${JSON.stringify(name)} (its inputs: ${realInputs.map((v) => v.name).join(', ') || 'none'}).`, { value: name })
      }
    }
    const symbols = new Set<string>()
    for (const v of realInputs) if (v.type?.kind === 'tensor') for (const d of v.type.dims ?? []) if (typeof d === 'string') symbols.add(d)
    for (const [sym, size] of Object.entries(this.options.dims ?? {})) {
      if (!Number.isSafeInteger(size) || size < 0) throw new ModelgateError('E_DIM_OPTION', `dims.${sym} must be a non-negative integer, got ${JSON.stringify(size)}.`, { value: size })
      if (!symbols.has(sym)) throw new ModelgateError('E_DIM_OPTION', `The model's inputs have no symbolic dim ${JSON.stringify(sym)} (they have: ${[...symbols].join(', ') || 'none'}).`, { value: sym })
    }
    for (const v of realInputs) {
      const given = shapes[v.name]
      let type = this.fromValueType(v.type, v.name)
      if (given !== undefined) {
        if (!Array.isArray(given) || !given.every((d) => Number.isSafeInteger(d) && d >= 0)) {
          throw new ModelgateError('E_SHAPE_OPTION', `shapes.${v.name} must be an array of non-negative integers, got ${JSON.stringify(given)}.`, { value: given })
        }
        const declared = v.type?.kind === 'tensor' ? v.type.dims : undefined
        if (declared !== undefined && declared.length !== given.length) {
          throw new ModelgateError('E_SHAPE_OPTION', `shapes.${v.name} has rank ${given.length} but the input has rank ${declared.length} (${JSON.stringify(declared)}).`, { value: given })
        }
        declared?.forEach((d, i) => {
          if (typeof d === 'number' && d !== given[i]) {
            throw new ModelgateError('E_SHAPE_OPTION', `shapes.${v.name}[${i}] = ${given[i]} but the model fixes that dim to ${d}.`, { value: given })
          }
        })
        type = { kind: 'tensor', dtype: type?.kind === 'tensor' ? type.dtype : 'float32', dims: [...given] }
      }
      const values = this.options.inputValues?.[v.name]
      if (values !== undefined && type?.kind === 'tensor' && values.length <= MAX_VALUE_ELEMENTS) {
        const strings = values.filter((x): x is string => typeof x === 'string')
        type = strings.length === values.length && values.length > 0 ? { ...type, strings } : { ...type, value: values.filter((x): x is number => typeof x === 'number') }
      }
      // one object per type without values, here as for node outputs: a node repeated across layers that reads
      // their own inputs and weights then reads the same types (see RepeatedNodes)
      scope.set(v.name, this.sharedTypes.share(type, NO_INPUTS))
    }
    // the main graph's initializers are read once: no cache; a small float one's elements when a rule runs on it
    // (most are a layer's bias or scale, and the rule of a repeated layer's node reads none: see inferNode)
    const read = (t: OnnxTensor): InferredType => this.constantType(t)
    for (let i = 0; i < graph.initializers.length; i++) {
      const t = graph.initializers[i]!
      const id = initializerIds[i]!
      if (hasSmallFloatElements(t)) scope.setPending(id, this.sharedTypes.share({ kind: 'tensor', dtype: t.dtype, dims: t.dims }, NO_INPUTS)!, t, read)
      else scope.setId(id, this.sharedTypes.share(this.constantType(t), NO_INPUTS))
    }
    for (const s of graph.sparseInitializers) scope.set(s.name, { kind: 'tensor', dtype: s.values.dtype, dims: s.dims })
  }

  /** A declared ValueType as an inferred type; free dims become symbols (or the `dims` option's sizes). */
  private fromValueType(vt: ValueType | undefined, name: string): InferredType | undefined {
    if (vt === undefined) return undefined
    switch (vt.kind) {
      case 'tensor':
      case 'sparse_tensor':
        return {
          kind: 'tensor',
          dtype: vt.dtype,
          dims: vt.dims?.map((d, i): Dim => {
            if (typeof d === 'number') return d
            if (typeof d === 'string') return this.options.dims?.[d] ?? symbolDim(d)
            return symbolDim(`${name}[${i}]`)
          }),
        }
      case 'sequence': {
        const elem = this.fromValueType(vt.elem, `${name}[]`)
        return { kind: 'sequence', elems: undefined, elem: elem?.kind === 'tensor' ? elem : undefined }
      }
      case 'optional': {
        const elem = this.fromValueType(vt.elem, name)
        return { kind: 'optional', elem: elem?.kind === 'tensor' || elem?.kind === 'sequence' ? elem : undefined }
      }
      case 'map':
        return { kind: 'map', keyType: vt.keyType, valueType: vt.valueType?.kind === 'tensor' ? vt.valueType.dtype : 'undefined' }
    }
  }

  /** A constant tensor's type, read once per tensor (Constant payloads and subgraph initializers can be met again). */
  private readTensor(t: OnnxTensor): TensorType {
    const cached = this.tensorCache.get(t)
    if (cached) return cached
    const type = this.constantType(t)
    this.tensorCache.set(t, type)
    return type
  }

  /** A constant tensor's type, with its value when small (built as one literal: a spread would give each its own hidden class). */
  private constantType(t: OnnxTensor): TensorType {
    const count = t.dims.reduce((a, b) => a * b, 1)
    if (count > (isFloatType(t.dtype) ? MAX_FLOAT_CONSTANT_VALUE_ELEMENTS : MAX_VALUE_ELEMENTS)) return { kind: 'tensor', dtype: t.dtype, dims: t.dims }
    const payload = t.payload
    if (payload.kind === 'strings') return { kind: 'tensor', dtype: t.dtype, dims: t.dims, strings: payload.values }
    if (payload.kind === 'none') return count === 0 ? { kind: 'tensor', dtype: t.dtype, dims: t.dims, value: [] } : { kind: 'tensor', dtype: t.dtype, dims: t.dims }
    const bytes = this.readPayload(payload)
    const encoding = payload.kind === 'inline' || payload.kind === 'file' ? payload.encoding : 'raw'
    const value = bytes === undefined ? undefined : decodeElements(bytes, encoding, t.dtype, count)
    return value === undefined ? { kind: 'tensor', dtype: t.dtype, dims: t.dims } : { kind: 'tensor', dtype: t.dtype, dims: t.dims, value }
  }

  /** @param executed where the main graph's nodes are listed as they run (subgraphs list none) */
  private inferGraph(
    graph: OnnxGraph,
    scope: Scope,
    opsets: ReadonlyMap<string, number>,
    label: string,
    executed?: ExecutedList,
  ): OpCost {
    const order = topologicalOrder(graph, (name) => scope.has(name), label, scope.index, (id) => scope.hasOwn(id))
    if (executed !== undefined) {
      executed.at = order
      executed.costs = new Array<OpCost | undefined>(order.length)
    }
    // one services object per graph: what a node's subgraphs cost is collected by its context
    const services: InferenceServices = {
      readTensor: (t) => this.readTensor(t),
      inferSubgraph: (owner, sub, subInputs) => this.inferSubgraph(sub, subInputs, scope, opsets, owner),
    }
    const macs = new DimSum()
    const flops = new DimSum()
    // an indexed loop: an iterator allocates per step until the function is optimised
    for (let k = 0; k < order.length; k++) {
      const cost = this.inferNode(order[k]!, graph, scope, opsets, services)
      if (executed !== undefined) {
        executed.costs[k] = cost
        if (this.nodeSubgraphs.length > 0) executed.subgraphs.set(k, this.nodeSubgraphs)
      }
      if (cost) {
        macs.add(cost.macs)
        flops.add(cost.flops)
      }
    }
    return { macs: macs.value(), flops: flops.value() }
  }

  /**
   * Infers node `at`: defines its outputs in `scope`, sets {@link nodeSubgraphs} to the subgraphs it ran.
   * @returns its cost, undefined when no rule covers the op
   */
  private inferNode(at: number, graph: OnnxGraph, scope: Scope, opsets: ReadonlyMap<string, number>, services: InferenceServices): OpCost | undefined {
    this.nodeCount++
    const node = graph.nodes[at]!
    const { inputStart, inputIds, outputStart, outputIds } = scope.index
    const first = inputStart[at]!
    const inputCount = inputStart[at + 1]! - first
    // filled in a list of this length that the next node fills again: most nodes repeat one met before (see
    // RepeatedNodes), and that answer needs no list of their own; any other way on takes a copy first (below)
    let inputs = inputCount < this.inputLists.length ? this.inputLists[inputCount]! : new Array<InferredType | undefined>(inputCount)
    // an input comes from an unknown op (or an untyped value)
    let missing = false
    // an input is a constant whose elements are not read yet: its type without them stands for it (Scope.setPending)
    let pending = false
    for (let i = 0; i < inputs.length; i++) {
      const id = inputIds[first + i]!
      const type = id === NO_VALUE ? undefined : scope.getId(id)
      inputs[i] = type
      if (type === undefined && id !== NO_VALUE) missing = true
      else if (id !== NO_VALUE && scope.isPending(id)) pending = true
    }
    const domain = node.domain === 'ai.onnx' ? '' : node.domain
    const fn = this.functions.size === 0 ? undefined : this.functions.get(`${node.domain}::${node.opType}`)
    const rule = fn === undefined ? findOpRule(domain, node.opType) : undefined
    let subgraphs: readonly SubgraphCost[] = NO_SUBGRAPHS
    let outputs: readonly (InferredType | undefined)[]
    let cost: OpCost | undefined
    // set when the rule's result may stand for nodes that repeat this one (see RepeatedNodes), and when it holds
    // whatever the values of the constants it read (see ValueWatch)
    let keep = false
    let valueFree = false
    // the list becomes the node's own here, unless a kept result may answer the node (the rule's way, below)
    if (fn !== undefined || rule === undefined || missing) inputs = inputs.slice()
    if (fn !== undefined) {
      const result = this.inferFunction(fn, node, pending ? inputsWithElements(scope, inputIds, first, inputs) : inputs)
      outputs = result.outputs
      cost = this.sharedCosts.share(result.cost)
      this.countedNodes++
    } else if (rule !== undefined && missing) {
      // an input comes from an unknown op (or an untyped value): this node cannot be inferred or counted either
      this.blockedNodes++
      outputs = node.outputs.map((o) => this.declaredType(graph, o))
      cost = undefined
    } else if (rule !== undefined) {
      const opset = opsets.get(domain) ?? 1
      // a node whose rule can see nothing but its op, opset, attributes, input types and written outputs may
      // repeat one met before (see RepeatedNodes): attributes without tensors or graphs, outputs in a bit mask
      const outputCount = outputStart[at + 1]! - outputStart[at]!
      let outputMask = -1
      if (outputCount <= 30 && isScalarAttributeMap(node.attributes)) {
        outputMask = 0
        for (let k = 0; k < outputCount; k++) if (outputIds[outputStart[at]! + k] !== NO_VALUE) outputMask |= 1 << k
      }
      // with a pending constant among the inputs, only a result that holds whatever the constants' values matches
      const known = outputMask < 0 ? undefined : this.repeatedNodes.find(rule, node.attributes, node.domain, node.opType, opset, outputMask, inputs, pending)
      if (known !== undefined) {
        this.countedNodes++
        defineOutputs(scope, at, known.outputs)
        this.nodeSubgraphs = NO_SUBGRAPHS
        return known.cost
      }
      inputs = inputs.slice()
      // the rule sees pending constants with their elements (read now)
      const ruleInputs = pending ? inputsWithElements(scope, inputIds, first, inputs) : inputs
      // a node that may repeat and reads constants runs with them watched; a run that read a value or passed a
      // constant on (or failed) is run again as it is, so that no watching proxy is kept or put in a message
      const watched = outputMask < 0 ? undefined : this.valueWatch.watch(ruleInputs)
      let ctx = createOpContext(node, opset, watched ?? ruleInputs, services)
      let ran: { outputs: readonly (InferredType | undefined)[]; cost: OpCost | undefined } | undefined
      if (watched !== undefined) {
        try {
          ran = runRule(rule, node, ctx)
        } catch {
          ran = undefined
        }
        if (ran !== undefined && this.valueWatch.escaped(ran.outputs)) ran = undefined
        valueFree = ran !== undefined && !this.valueWatch.read
        if (ran === undefined) ctx = createOpContext(node, opset, ruleInputs, services)
      }
      try {
        ran ??= runRule(rule, node, ctx)
        outputs = ran.outputs
        cost = this.sharedCosts.share(ran.cost)
      } catch (error) {
        if (isModelgateError(error)) throw error
        throw new ModelgateError('E_INTERNAL', `Inferring node ${nodeLabel(node)} (${node.opType}) failed: ${(error as Error).message}.`, { node: nodeLabel(node), cause: error })
      }
      subgraphs = ctx.subgraphs
      this.countedNodes++
      // a result that read a pending constant's elements (or passed it on) is not kept: the type standing for the
      // constant stands for every constant of its dtype and dims
      keep = outputMask >= 0 && !ctx.namedAfterNode && subgraphs.length === 0 && (!pending || valueFree)
    } else {
      const key = domain === '' ? node.opType : `${domain}::${node.opType}`
      this.unknownOps.set(key, (this.unknownOps.get(key) ?? 0) + 1)
      outputs = node.outputs.map((o) => this.declaredType(graph, o))
      cost = undefined
    }
    const shared = new Array<InferredType | undefined>(outputStart[at + 1]! - outputStart[at]!)
    for (let k = 0; k < shared.length; k++) shared[k] = this.sharedTypes.share(outputs[k], inputs)
    if (keep) this.repeatedNodes.keep({ outputs: shared, cost }, valueFree, inputs)
    defineOutputs(scope, at, shared)
    this.nodeSubgraphs = subgraphs
    return cost
  }

  private declaredType(graph: OnnxGraph, name: string): InferredType | undefined {
    let declared = this.declared.get(graph)
    if (declared === undefined) {
      // the first value_info entry of a name wins, then the first graph output (a lookup per unknown node)
      declared = new Map()
      for (const x of graph.valueInfo) if (!declared.has(x.name)) declared.set(x.name, x)
      for (const x of graph.outputs) if (!declared.has(x.name)) declared.set(x.name, x)
      this.declared.set(graph, declared)
    }
    const v = declared.get(name)
    return v === undefined ? undefined : this.fromValueType(v.type, name)
  }

  private nested<T>(what: string, run: () => T): T {
    if (++this.depth > MAX_NESTING) {
      this.depth = 0
      throw new ModelgateError('E_ONNX_NESTING', `Subgraphs or functions are nested more than ${MAX_NESTING} deep (at ${what}).`, { value: what })
    }
    try {
      return run()
    } finally {
      this.depth--
    }
  }

  private inferSubgraph(graph: OnnxGraph, inputs: readonly (InferredType | undefined)[], outer: Scope, opsets: ReadonlyMap<string, number>, owner: OnnxNode): SubgraphResult {
    return this.nested(`${nodeLabel(owner)}/${graph.name}`, () => {
      const scope = new Scope(indexGraph(graph), outer)
      graph.inputs.forEach((v, i) => {
        const given = inputs[i]
        scope.set(v.name, given ?? this.fromValueType(v.type, v.name))
      })
      for (const t of graph.initializers) scope.set(t.name, this.readTensor(t))
      const before = new Map(this.unknownOps)
      const cost = this.inferGraph(graph, scope, opsets, `subgraph ${graph.name || '?'} of ${nodeLabel(owner)}`)
      const unknown = new Map<string, number>()
      for (const [k, v] of this.unknownOps) if (v !== (before.get(k) ?? 0)) unknown.set(k, v - (before.get(k) ?? 0))
      return { outputs: graph.outputs.map((o) => scope.get(o.name)), cost, unknownOps: unknown }
    })
  }

  private inferFunction(fn: OnnxFunction, caller: OnnxNode, inputs: readonly (InferredType | undefined)[]): { outputs: (InferredType | undefined)[]; cost: OpCost } {
    return this.nested(`function ${fn.domain}::${fn.name}`, () => {
      const bind = (node: OnnxNode): OnnxNode => {
        let changed = false
        const attributes = new Map<string, AttributeValue>()
        for (const [k, a] of node.attributes) {
          if (a.type !== 'ref') {
            attributes.set(k, a)
            continue
          }
          changed = true
          const bound = caller.attributes.get(a.refName) ?? fn.attributeDefaults.get(a.refName)
          if (bound !== undefined) attributes.set(k, bound)
        }
        return changed ? { ...node, attributes } : node
      }
      const body: OnnxGraph = {
        name: `${fn.domain}::${fn.name}`,
        nodes: fn.nodes.map(bind),
        initializers: [],
        sparseInitializers: [],
        inputs: fn.inputs.map((name) => ({ name, type: undefined })),
        outputs: fn.outputs.map((name) => ({ name, type: undefined })),
        valueInfo: [],
      }
      const scope = new Scope(indexGraph(body))
      fn.inputs.forEach((name, i) => scope.set(name, inputs[i]))
      const opsets = new Map([...this.model.opsets, ...fn.opsets])
      const cost = this.inferGraph(body, scope, opsets, `function ${fn.domain}::${fn.name}`)
      return { outputs: fn.outputs.map((o) => scope.get(o)), cost }
    })
  }
}
keepHiddenClass(
  () =>
    new Engine(
      { irVersion: 0, producerName: '', producerVersion: '', opsets: new Map(), graph: EMPTY_GRAPH, functions: [], fileBytes: 0, externalDataBytes: 0 },
      () => undefined,
      {},
    ),
)

/**
 * True for an initializer whose elements {@link Engine.constantType} reads as its value: a float tensor of at most
 * MAX_FLOAT_CONSTANT_VALUE_ELEMENTS elements that has a payload.
 */
function hasSmallFloatElements(t: OnnxTensor): boolean {
  if (!isFloatType(t.dtype) || t.payload.kind === 'none' || t.payload.kind === 'strings') return false
  let count = 1
  for (let d = 0; d < t.dims.length; d++) count *= t.dims[d]!
  return count > 0 && count <= MAX_FLOAT_CONSTANT_VALUE_ELEMENTS
}

/** A node's input types with each pending constant's elements read (see Scope.setPending). */
function inputsWithElements(scope: Scope, inputIds: Int32Array, first: number, inputs: readonly (InferredType | undefined)[]): (InferredType | undefined)[] {
  const out = inputs.slice()
  for (let i = 0; i < out.length; i++) {
    const id = inputIds[first + i]!
    if (id !== NO_VALUE && scope.isPending(id)) out[i] = scope.withElements(id)
  }
  return out
}

/** A rule's outputs (their dims checked) and cost for `node`, seen through `ctx`. */
function runRule(rule: OpRule, node: OnnxNode, ctx: NodeOpContext): { outputs: readonly (InferredType | undefined)[]; cost: OpCost | undefined } {
  const outputs = rule.infer(ctx)
  assertOutputDims(node, outputs)
  return { outputs, cost: rule.cost(ctx, outputs) }
}

/** Defines the outputs of node `at` of the scope's graph (omitted ones, `''`, have no id). */
function defineOutputs(scope: Scope, at: number, outputs: readonly (InferredType | undefined)[]): void {
  const { outputStart, outputIds } = scope.index
  for (let i = outputStart[at]!, k = 0; i < outputStart[at + 1]!; i++, k++) {
    const id = outputIds[i]!
    if (id !== NO_VALUE) scope.setId(id, outputs[k])
  }
}

/** The larger of two costs (If: the costlier branch bounds the node). */
export function maxCost(a: OpCost, b: OpCost): OpCost {
  return { macs: dimMax(a.macs, b.macs), flops: dimMax(a.flops, b.flops) }
}
