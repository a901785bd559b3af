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
  readonly cls: ParamClass
  /** Logical elements (a packed 4-bit `MatMulNBits` weight: N·K). */
  readonly elements: number
  /** Bytes as stored. */
  readonly bytes: number
  /** The storage type it is listed under in `byDtype` (the dtype, or `uint4` for 4-bit weights packed in uint8). */
  readonly storage: string
  readonly readers: number
}

/** Input positions of a quantized op: the weights (learnable, any element type) and the quantization metadata. */
interface QuantRoles {
  readonly weights: readonly number[]
  readonly metadata: readonly number[]
}

const ROLES_QDQ: QuantRoles = { weights: [0], metadata: [1, 2] }
// X, X_scale, X_zero_point, Y_scale, Y_zero_point: unary QLinear ops
const ROLES_QLINEAR_UNARY: QuantRoles = { weights: [], metadata: [1, 2, 3, 4] }
// A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point: a constant operand is a weight
const ROLES_QLINEAR_BINARY: QuantRoles = { weights: [0, 3], metadata: [1, 2, 4, 5, 6, 7] }

/**
 * Quantized ops (op or `domain::op` → roles). Biases of integer ops (int32) are weights: the float model's bias.
 * Positions from the ONNX spec (Operators.md) and onnxruntime's ContribOperators.md.
 */
const QUANT_ROLES: ReadonlyMap<string, QuantRoles> = new Map(Object.entries({
  QuantizeLinear: { weights: [], metadata: [1, 2] },
  DequantizeLinear: ROLES_QDQ,
  'com.microsoft::QuantizeLinear': { weights: [], metadata: [1, 2] },
  'com.microsoft::DequantizeLinear': ROLES_QDQ,
  // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
  QLinearConv: { weights: [3, 8], metadata: [1, 2, 4, 5, 6, 7] },
  QLinearMatMul: ROLES_QLINEAR_BINARY,
  // x, w, x_zero_point, w_zero_point
  ConvInteger: { weights: [1], metadata: [2, 3] },
  MatMulInteger: { weights: [1], metadata: [2, 3] },
  // A, B (packed [N, n_blocks_per_col, blob_size]), scales, zero_points, g_idx, bias
  'com.microsoft::MatMulNBits': { weights: [1, 5], metadata: [2, 3, 4] },
  // data, indices, scales, zero_points
  'com.microsoft::GatherBlockQuantized': { weights: [0], metadata: [2, 3] },
  // input, weight, bias, input_scale, weight_scale, mask_index, input_zero_point, weight_zero_point, past
  'com.microsoft::QAttention': { weights: [1, 2], metadata: [3, 4, 6, 7] },
  // A, B, b_scale, b_zero_point, bias
  'com.microsoft::DynamicQuantizeMatMul': { weights: [1, 4], metadata: [2, 3] },
  // A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias
  'com.microsoft::MatMulIntegerToFloat': { weights: [1, 6], metadata: [2, 3, 4, 5] },
  // A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point
  'com.microsoft::QGemm': { weights: [3, 6], metadata: [1, 2, 4, 5, 7, 8] },
  'com.microsoft::QLinearAdd': ROLES_QLINEAR_BINARY,
  'com.microsoft::QLinearMul': ROLES_QLINEAR_BINARY,
  'com.microsoft::QLinearSigmoid': ROLES_QLINEAR_UNARY,
  'com.microsoft::QLinearLeakyRelu': ROLES_QLINEAR_UNARY,
  'com.microsoft::QLinearSoftmax': ROLES_QLINEAR_UNARY,
  'com.microsoft::QLinearGlobalAveragePool': ROLES_QLINEAR_UNARY,
  'com.microsoft::QLinearAveragePool': ROLES_QLINEAR_UNARY,
}))

const BN_BUFFER_INPUTS = [3, 4]

type Role = 'weight' | 'metadata' | 'plain'

interface Use {
  readonly node: OnnxNode
  readonly index: number
  readonly role: Role
}

function opKey(node: OnnxNode): string {
  return node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}::${node.opType}`
}

function roleOf(node: OnnxNode, key: string, index: number, dynamicScales: ReadonlySet<string>): Role {
  if (key === 'com.microsoft::QLinearConcat') {
    // Y_scale, Y_zero_point, then (tensor, scale, zero point) triples
    if (index < 2) return 'metadata'
    return (index - 2) % 3 === 0 ? 'weight' : 'metadata'
  }
  const roles = QUANT_ROLES.get(key)
  if (roles?.weights.includes(index)) return 'weight'
  if (roles?.metadata.includes(index)) return 'metadata'
  // dynamic quantization (onnxruntime quantize_dynamic): MatMulInteger/ConvInteger → Cast → Mul by
  // (DynamicQuantizeLinear's scale × the weight's scale); that weight scale is metadata
  if (key === 'Mul' && dynamicScales.size > 0 && node.inputs.some((name, i) => i !== index && dynamicScales.has(name))) return 'metadata'
  return 'plain'
}

/** Values that carry a dynamic quantization scale: DynamicQuantizeLinear's y_scale, and products of it. */
function dynamicScaleValues(nodes: readonly OnnxNode[]): Set<string> {
  const scales = new Set<string>()
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!
    if (opKey(node) === 'DynamicQuantizeLinear' && node.outputs[1]) scales.add(node.outputs[1])
  }
  if (scales.size === 0) return scales
  for (let changed = true; changed; ) {
    changed = false
    for (const node of nodes) {
      const out = node.outputs[0]
      if (opKey(node) === 'Mul' && out && !scales.has(out) && node.inputs.some((n) => scales.has(n))) {
        scales.add(out)
        changed = true
      }
    }
  }
  return scales
}

function intAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes.get(name)
  return a?.type === 'int' ? a.value : fallback
}

/**
 * The logical elements and storage type of a weight read at `use`: packed sub-byte blocks count the weights they
 * hold, not their bytes.
 */
function packedWeight(tensor: OnnxTensor, stored: number, use: Use): { elements: number; storage: string } | undefined {
  const key = opKey(use.node)
  if (key === 'com.microsoft::MatMulNBits' && use.index === 1) {
    const k = intAttr(use.node, 'K', 0)
    const n = intAttr(use.node, 'N', 0)
    const bits = intAttr(use.node, 'bits', 4)
    if (k > 0 && n > 0) return { elements: k * n, storage: tensor.dtype === 'uint8' ? `uint${bits}` : tensor.dtype }
  }
  if (key === 'com.microsoft::GatherBlockQuantized' && use.index === 0 && tensor.dtype === 'uint8') {
    // uint8 data holds 8/bits weights per byte along the last axis (int4/uint4 data has logical dims already)
    const bits = intAttr(use.node, 'bits', 4)
    if (bits > 0 && bits < 8 && 8 % bits === 0) return { elements: stored * (8 / bits), storage: `uint${bits}` }
  }
  return undefined
}

/**
 * Classifies every stored tensor of the model (main graph and subgraphs, initializers and Constant payloads).
 * @param index the main graph's numbered values, when known: its nodes' reads are then matched by id, not by name
 */
export function classifyTensors(graph: OnnxGraph, index?: GraphIndex): ClassifiedTensor[] {
  const stored: OnnxTensor[] = []
  const graphOutputs = new Set<string>()
  // every node, subgraphs' included, in pre-order; mainAt: a main-graph node's position in its graph, else -1
  const nodesOf: OnnxNode[] = []
  const mainAt: number[] = []
  const visit = (g: OnnxGraph): void => {
    const isMain = g === graph
    // indexed loops: this runs once per model, and an iterator allocates per step until optimised
    for (let i = 0; i < g.initializers.length; i++) stored.push(g.initializers[i]!)
    for (let i = 0; i < g.outputs.length; i++) graphOutputs.add(g.outputs[i]!.name)
    for (let i = 0; i < g.nodes.length; i++) {
      const node = g.nodes[i]!
      nodesOf.push(node)
      mainAt.push(isMain ? i : -1)
      if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) {
        const value = node.attributes.get('value')
        if (value?.type === 'tensor' && node.outputs[0]) stored.push({ ...value.value, name: node.outputs[0] })
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
  // uses are recorded for stored tensors only (nothing else is classified), in one list per distinct name: its slot
  const slotOf = new Map<string, number>()
  const slots = new Int32Array(stored.length)
  for (let i = 0; i < stored.length; i++) {
    const name = stored[i]!.name
    let slot = slotOf.get(name)
    if (slot === undefined) slotOf.set(name, (slot = slotOf.size))
    slots[i] = slot
  }
  // the main graph's values by id → slot (-1: not stored)
  const slotById = index === undefined ? undefined : new Int32Array(index.names.length).fill(-1)
  if (index !== undefined) {
    for (const [name, slot] of slotOf) {
      const id = index.ids.get(name)
      if (id !== undefined) slotById![id] = slot
    }
  }
  const dynamicScales = dynamicScaleValues(nodesOf)
  const uses = new Array<Use[] | undefined>(slotOf.size).fill(undefined)
  const addUse = (slot: number, node: OnnxNode, key: string, input: number): void => {
    const use: Use = { node, index: input, role: input < 0 ? 'plain' : roleOf(node, key, input, dynamicScales) }
    const list = uses[slot]
    if (list) list.push(use)
    else uses[slot] = [use]
  }
  for (let i = 0; i < nodesOf.length; i++) {
    const node = nodesOf[i]!
    const key = opKey(node)
    const inputs = node.inputs
    const at = mainAt[i]!
    if (slotById !== undefined && at >= 0) {
      const first = index!.inputStart[at]!
      const end = index!.inputStart[at + 1]!
      for (let k = first; k < end; k++) {
        const id = index!.inputIds[k]!
        const slot = id === NO_VALUE ? -1 : slotById[id]!
        if (slot >= 0) addUse(slot, node, key, k - first)
      }
    } else {
      for (let input = 0; input < inputs.length; input++) {
        const slot = inputs[input] === '' ? undefined : slotOf.get(inputs[input]!)
        if (slot !== undefined) addUse(slot, node, key, input)
      }
    }
    // names read from inside the node's subgraphs (an If branch using an outer weight)
    if (hasSubgraphs(node)) {
      for (const name of nodeReads(node).slice(inputs.filter((n) => n !== '').length)) {
        const slot = slotOf.get(name)
        if (slot !== undefined) addUse(slot, node, key, -1)
      }
    }
  }
  // each name once: its first stored tensor
  const done = new Uint8Array(slotOf.size)
  const out: ClassifiedTensor[] = []
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
    out.push({ tensor, cls, elements, bytes, storage, readers: distinctReaders(tensorUses) })
  }
  return out
}

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

