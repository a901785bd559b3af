/**
 * What the weight classes (params.ts) know of quantized ops: which inputs of each quantized op are weights and
 * which are quantization metadata (scales, zero points, g_idx), the scales of dynamic quantization, and how many
 * logical weights a packed sub-byte block holds.
 */
import type { OnnxNode, OnnxTensor } from '../onnx/types.js'

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

/** What an input of a node is to a stored tensor it reads. */
export type Role = 'weight' | 'metadata' | 'plain'

/** A node reading a stored tensor: at input `index` (-1: from inside one of its subgraphs), in `role`. */
export interface Use {
  readonly node: OnnxNode
  readonly index: number
  readonly role: Role
}

/** `opType`, or `domain::opType` outside the default domain: the key of {@link QUANT_ROLES}. */
export function opKey(node: OnnxNode): string {
  return node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}::${node.opType}`
}

/** The role of input `index` of a node whose op key is `key`. */
export function roleOf(node: OnnxNode, key: string, index: number, dynamicScales: ReadonlySet<string>): Role {
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
export function dynamicScaleValues(nodes: readonly OnnxNode[]): Set<string> {
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
export function packedWeight(tensor: OnnxTensor, stored: number, use: Use): { elements: number; storage: string } | undefined {
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
