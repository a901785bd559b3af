/**
 * Parameter classes. Learnable = the model's logical weights: floating-point weight tensors (initializers or
 * Constant payloads, each tensor counted once however many nodes share it) and the integer weights of quantized
 * ops, counted as the float weights they stand for whatever their bit width (an int4 tensor or a packed
 * `MatMulNBits` block counts its logical elements, not its bytes). Quantization = scales, zero points, `g_idx` and
 * activation Q/DQ scalars, apart from the weights. Buffers = BatchNorm running mean/var; constants = integer tensors
 * (shapes, indices) and 1-element scalars; unused = initializers no node reads.
 */
import { byteSize, isFloatType } from '../onnx/dtypes.js'
import type { OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/types.js'
import { NO_VALUE, type GraphIndex } from './graph-index.js'
import { hasSubgraphs, nodeReads } from './graph-order.js'
import { dynamicScaleValues, opKey, packedWeight, roleOf, type Use } from './quant-roles.js'
import { NO_TIED_WEIGHTS, type TiedWeights } from './tied.js'

/** The class of a stored tensor. */
export type ParamClass = 'learnable' | 'quantization' | 'buffer' | 'constant' | 'unused'

/** Counts by class, and learnable counts by storage type. */
export interface ParamsStats {
  /** Learnable parameters (logical elements: a quantized weight counts as the float weight it replaces). */
  readonly learnable: number
  /** BatchNorm running mean/var (elements). */
  readonly buffers: number
  /** Integer tensors and 1-element scalars (elements). */
  readonly constants: number
  /** Initializers that no node reads (elements). */
  readonly unused: number
  /** Quantization metadata: scales, zero points, g_idx, activation Q/DQ scalars (elements and bytes). */
  readonly quantization: { readonly elements: number; readonly bytes: number }
  /**
   * Learnable parameters by storage type: logical elements and real bytes. Packed sub-byte weights stored in uint8
   * (`MatMulNBits`, `GatherBlockQuantized`) are listed under their real width (`uint4`, …).
   */
  readonly byDtype: Readonly<Record<string, { readonly count: number; readonly bytes: number }>>
  /** Mean bits per learnable weight: Σ byDtype bytes × 8 ÷ learnable (32 for a float32 model); null without weights. */
  readonly bitsPerWeight: number | null
  /** Number of stored tensors in each class. */
  readonly tensors: Readonly<Record<ParamClass, number>>
  /** Learnable tensors read by more than one node (counted once). */
  readonly sharedTensors: number
  /** Weights stored twice (identical or transposed), counted once when `dedupeWeights` is on. */
  readonly tied: TiedWeights
  /** Bytes of every stored tensor that some node reads (learnable + quantization + buffers + constants). */
  readonly weightsBytes: number
}

/** A stored tensor and its class. */
export interface ClassifiedTensor {
  readonly tensor: OnnxTensor
  /** The main graph's value id of its name (see graph-index.ts), -1 when not one or when no index was given. */
  readonly id: number
  readonly cls: ParamClass
  /** Logical elements (a packed 4-bit `MatMulNBits` weight: N·K). */
  readonly elements: number
  /** Bytes as stored. */
  readonly bytes: number
  /** The storage type it is listed under in `byDtype` (the dtype, or `uint4` for 4-bit weights packed in uint8). */
  readonly storage: string
  readonly readers: number
}


/**
 * Classifies every stored tensor of the model (main graph and subgraphs, initializers and Constant payloads).
 * @param index the main graph's numbered values, when known: its tensors and its nodes' reads are then matched by
 *   id, not by name, and each result carries its id
 */
export function classifyTensors(graph: OnnxGraph, index?: GraphIndex): ClassifiedTensor[] {
  const stored: OnnxTensor[] = []
  // per stored tensor: its main-graph id when known without a lookup (an initializer or Constant output of the
  // main graph), else -1
  const storedIds: number[] = []
  const graphOutputs = new Set<string>()
  let dynamicQuantization = false
  const visit = (g: OnnxGraph): void => {
    const isMain = g === graph
    // indexed loops: this runs once per model, and an iterator allocates per step until optimised
    for (let i = 0; i < g.initializers.length; i++) {
      stored.push(g.initializers[i]!)
      storedIds.push(isMain && index !== undefined ? index.initializerIds[i]! : -1)
    }
    for (let i = 0; i < g.outputs.length; i++) graphOutputs.add(g.outputs[i]!.name)
    for (let i = 0; i < g.nodes.length; i++) {
      const node = g.nodes[i]!
      if (node.opType === 'DynamicQuantizeLinear') dynamicQuantization = true
      if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) {
        const value = node.attributes.get('value')
        if (value?.type === 'tensor' && node.outputs[0]) {
          stored.push({ ...value.value, name: node.outputs[0] })
          storedIds.push(isMain && index !== undefined ? index.outputIds[index.outputStart[i]!]! : -1)
        }
      }
      if (hasSubgraphs(node)) {
        for (const a of node.attributes.values()) {
          if (a.type === 'graph') visit(a.value)
          else if (a.type === 'graphs') a.value.forEach(visit)
        }
      }
    }
  }
  visit(graph)
  // uses are recorded for stored tensors only (nothing else is classified), in one list per distinct name: its
  // slot. A name of the main graph has its slot by id (slotById), any other by name (slotByName).
  const slotById = index === undefined ? undefined : new Int32Array(index.names.length).fill(-1)
  const slotByName = new Map<string, number>()
  let slotCount = 0
  /** The slot of a stored tensor's name, whose main-graph id is `id` (-1: none); a new one for a name not met before. */
  const slotFor = (name: string, id: number): number => {
    if (slotById !== undefined && id >= 0) {
      if (slotById[id]! < 0) slotById[id] = slotCount++
      return slotById[id]!
    }
    let slot = slotByName.get(name)
    if (slot === undefined) slotByName.set(name, (slot = slotCount++))
    return slot
  }
  /** The slot of a name a node reads, or -1 when no stored tensor has that name. */
  const slotOfRead = (name: string): number => {
    if (slotById !== undefined) {
      const id = index!.ids.get(name)
      if (id !== undefined) return slotById[id]!
    }
    return slotByName.get(name) ?? -1
  }
  const slots = new Int32Array(stored.length)
  const ids = new Int32Array(stored.length)
  for (let i = 0; i < stored.length; i++) {
    const name = stored[i]!.name
    ids[i] = storedIds[i]! >= 0 ? storedIds[i]! : index === undefined ? -1 : (index.ids.get(name) ?? -1)
    slots[i] = slotFor(name, ids[i]!)
  }
  const dynamicScales = dynamicQuantization ? dynamicScaleValues(allNodes(graph)) : new Set<string>()
  const uses = new Array<Use[] | undefined>(slotCount).fill(undefined)
  const addUse = (slot: number, node: OnnxNode, key: string, input: number): void => {
    const use: Use = { node, index: input, role: input < 0 ? 'plain' : roleOf(node, key, input, dynamicScales) }
    const list = uses[slot]
    if (list) list.push(use)
    else uses[slot] = [use]
  }
  // every node, subgraphs' included, in pre-order (a node, then its subgraphs' nodes)
  const record = (g: OnnxGraph): void => {
    const isMain = g === graph && slotById !== undefined
    for (let at = 0; at < g.nodes.length; at++) {
      const node = g.nodes[at]!
      const key = opKey(node)
      const inputs = node.inputs
      if (isMain) {
        const first = index!.inputStart[at]!
        const end = index!.inputStart[at + 1]!
        for (let k = first; k < end; k++) {
          const id = index!.inputIds[k]!
          const slot = id === NO_VALUE ? -1 : slotById[id]!
          if (slot >= 0) addUse(slot, node, key, k - first)
        }
      } else {
        for (let input = 0; input < inputs.length; input++) {
          const slot = inputs[input] === '' ? -1 : slotOfRead(inputs[input]!)
          if (slot >= 0) addUse(slot, node, key, input)
        }
      }
      if (hasSubgraphs(node)) {
        // names read from inside the node's subgraphs (an If branch using an outer weight), then their nodes
        for (const name of nodeReads(node).slice(inputs.filter((n) => n !== '').length)) {
          const slot = slotOfRead(name)
          if (slot >= 0) addUse(slot, node, key, -1)
        }
        for (const a of node.attributes.values()) {
          if (a.type === 'graph') record(a.value)
          else if (a.type === 'graphs') a.value.forEach(record)
        }
      }
    }
  }
  record(graph)
  // each name once: its first stored tensor
  const done = new Uint8Array(slotCount)
  const out = new Array<ClassifiedTensor>(slotCount)
  let count = 0
  for (let i = 0; i < stored.length; i++) {
    const tensor = stored[i]!
    const slot = slots[i]!
    if (done[slot] === 1) continue
    done[slot] = 1
    const storedElements = tensor.dims.reduce((a, b) => a * b, 1)
    const bytes = byteSize(tensor.dtype, storedElements)
    const tensorUses = uses[slot] ?? NO_USES
    const cls = classify(tensor, storedElements, tensorUses, graphOutputs.has(tensor.name))
    let elements = storedElements
    let storage: string = tensor.dtype
    if (cls === 'learnable') {
      for (const use of tensorUses) {
        const packed = packedWeight(tensor, storedElements, use)
        if (packed) ({ elements, storage } = packed)
      }
    }
    out[count++] = { tensor, id: ids[i]!, cls, elements, bytes, storage, readers: distinctReaders(tensorUses) }
  }
  return out
}

/** Every node of a graph and its subgraphs, in pre-order. */
function allNodes(graph: OnnxGraph, out: OnnxNode[] = []): OnnxNode[] {
  for (const node of graph.nodes) {
    out.push(node)
    if (!hasSubgraphs(node)) continue
    for (const a of node.attributes.values()) {
      if (a.type === 'graph') allNodes(a.value, out)
      else if (a.type === 'graphs') for (const g of a.value) allNodes(g, out)
    }
  }
  return out
}

/** BatchNormalization's running mean and variance. */
const BN_BUFFER_INPUTS = [3, 4]

const NO_USES: readonly Use[] = Object.freeze([])

/** How many nodes the uses are of (a node's uses are recorded one after another). */
function distinctReaders(uses: readonly Use[]): number {
  let n = 0
  for (let i = 0; i < uses.length; i++) if (i === 0 || uses[i]!.node !== uses[i - 1]!.node) n++
  return n
}

function classify(tensor: OnnxTensor, elements: number, uses: readonly Use[], isOutput: boolean): ParamClass {
  if (uses.length === 0 && !isOutput) return 'unused'
  if (uses.length > 0 && uses.every((u) => u.node.opType === 'BatchNormalization' && BN_BUFFER_INPUTS.includes(u.index))) return 'buffer'
  const weight = uses.some((u) => u.role === 'weight')
  // metadata whatever its size: per-tensor activation scalars and per-channel scales alike
  if (!weight && uses.length > 0 && uses.every((u) => u.role === 'metadata')) return 'quantization'
  // a quantized weight of any element type counts as the float weight it replaces (1-element ones stay constants,
  // as a float model's scalars do)
  if (elements > 1 && (isFloatType(tensor.dtype) || (weight && tensor.dtype !== 'int64' && tensor.dtype !== 'string' && tensor.dtype !== 'bool'))) return 'learnable'
  return 'constant'
}

/**
 * True when some learnable weight is stored in fewer bits than float32 (int8, int4, packed blocks, float16 …) or
 * the model holds quantization metadata: where reports show bits per weight.
 * @param params the model's parameter stats
 */
export function isQuantized(params: ParamsStats): boolean {
  return params.quantization.elements > 0 || Object.keys(params.byDtype).some((d) => d !== 'float32' && d !== 'float64')
}

/**
 * Totals by class.
 * @param classified the model's stored tensors, from {@link classifyTensors}
 * @param tied weights found stored twice (by `findTiedWeights`): the merged copy is not counted again
 */
export function summarizeParams(classified: readonly ClassifiedTensor[], tied: TiedWeights = NO_TIED_WEIGHTS): ParamsStats {
  const sums: Record<ParamClass, number> = { learnable: 0, quantization: 0, buffer: 0, constant: 0, unused: 0 }
  const tensors: Record<ParamClass, number> = { learnable: 0, quantization: 0, buffer: 0, constant: 0, unused: 0 }
  const byDtype: Record<string, { count: number; bytes: number }> = {}
  const merged = new Set(tied.pairs.map((p) => p.merged))
  let quantizationBytes = 0
  let sharedTensors = 0
  let weightsBytes = 0
  for (let i = 0; i < classified.length; i++) {
    const c = classified[i]!
    tensors[c.cls]++
    if (c.cls !== 'unused') weightsBytes += c.bytes
    if (c.cls === 'quantization') quantizationBytes += c.bytes
    if (c.cls === 'learnable' && merged.has(c.tensor.name)) continue
    sums[c.cls] += c.elements
    if (c.cls === 'learnable') {
      const entry = (byDtype[c.storage] ??= { count: 0, bytes: 0 })
      entry.count += c.elements
      entry.bytes += c.bytes
      if (c.readers > 1) sharedTensors++
    }
  }
  const learnableBytes = Object.values(byDtype).reduce((n, e) => n + e.bytes, 0)
  return {
    learnable: sums.learnable,
    buffers: sums.buffer,
    constants: sums.constant,
    unused: sums.unused,
    quantization: { elements: sums.quantization, bytes: quantizationBytes },
    byDtype,
    bitsPerWeight: sums.learnable > 0 ? (learnableBytes * 8) / sums.learnable : null,
    tensors,
    sharedTensors,
    tied,
    weightsBytes,
  }
}

