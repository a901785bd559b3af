/**
 * The newest ops: ai.onnx.preview::FlexAttention, and the default-domain ops of opsets 20–28 that no other family
 * covers: ImageDecoder (20), CausalConvWithState and LinearAttention (27), SwiGLU (28). The attention ones live in
 * preview-attention.ts.
 */
import { dimAdd, dimMul, dimProduct, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { outputElements, staticValue, tensorOf } from './_helpers.js'
import { expectRank, expectSameDim, inputDims, optionalDims, pickOutputs } from './_compute-utils.js'
import { imageSize } from './_image-header.js'
import { PREVIEW_ATTENTION_RULES } from './preview-attention.js'

/** The more informative of two dims that must be equal: a number over a symbol; fails when two numbers differ. */
function unify(ctx: OpContext, a: Dim, b: Dim | undefined, what: string): Dim {
  if (b === undefined) return a
  expectSameDim(ctx, a, b, what)
  return isStaticDim(a) ? a : b
}

// Y = Swish_α(A) · B, Swish_α(a) = a · Sigmoid(α·a): the body Swish (6) + Mul (1)
const SwiGLU: OpRule = {
  formula: 'FLOPs = 7·out (Swish: α·a, sigmoid (4), × a; × B)',
  infer(ctx) {
    const a = inputDims(ctx, 0, 'A')
    const b = inputDims(ctx, 1, 'B')
    // no broadcasting: A and B have identical shapes
    if (a.length !== b.length) ctx.fail(`A and B should have the same rank, not ${a.length} and ${b.length}`, [a, b])
    return [tensorOf(ctx.tensor(0).dtype, a.map((d, i) => unify(ctx, d, b[i], `A and B differ in dim ${i}`)))]
  },
  cost(_ctx, outputs) {
    return { macs: 0, flops: dimMul(7, outputElements(outputs)) }
  },
}

interface CausalConvDims {
  readonly batch: Dim
  readonly channels: Dim
  readonly length: Dim
  readonly kernel: Dim
  readonly state: Dim
}

function causalConvDims(ctx: OpContext): CausalConvDims {
  const activation = ctx.attrString('activation', 'none')
  if (!['none', 'silu', 'swish'].includes(activation)) ctx.fail(`unsupported activation '${activation}'`, activation)
  const x = inputDims(ctx, 0, 'input')
  const w = inputDims(ctx, 1, 'weight')
  expectRank(ctx, x, 3, 'input (batch_size, channels, length)')
  expectRank(ctx, w, 3, 'weight (channels, 1, k)')
  expectSameDim(ctx, w[1], 1, 'weight should be depthwise (channels, 1, k)')
  let channels = unify(ctx, x[1]!, w[0], 'input channels ≠ weight channels')
  const bias = optionalDims(ctx, 2)
  if (bias !== undefined) {
    expectRank(ctx, bias, 1, 'bias')
    channels = unify(ctx, channels, bias[0], 'bias length ≠ channels')
  }
  let batch = x[0]!
  const kernel = w[2]!
  if (isStaticDim(kernel) && kernel < 1) ctx.fail(`the kernel size should be ≥ 1, not ${kernel}`, kernel)
  let state = dimSub(kernel, 1)
  const past = optionalDims(ctx, 3)
  if (past !== undefined) {
    expectRank(ctx, past, 3, 'past_state (batch_size, channels, k − 1)')
    batch = unify(ctx, batch, past[0], 'past_state batch ≠ input batch')
    channels = unify(ctx, channels, past[1], 'past_state channels ≠ channels')
    state = unify(ctx, state, past[2], 'past_state length ≠ k − 1')
  }
  return { batch, channels, length: x[2]!, kernel, state }
}

// depthwise: each of the B·C·L outputs is a k-tap dot product
const CausalConvWithState: OpRule = {
  formula:
    'MACs = B·C·L·k (depthwise causal conv); FLOPs = 2·MACs + out (bias, when given) + 5·out (activation silu/swish: sigmoid (4), ×)',
  infer(ctx) {
    const d = causalConvDims(ctx)
    const dtype = ctx.tensor(0).dtype
    return pickOutputs(ctx, [tensorOf(dtype, [d.batch, d.channels, d.length]), tensorOf(dtype, [d.batch, d.channels, d.state])])
  },
  cost(ctx) {
    const d = causalConvDims(ctx)
    const out = dimProduct([d.batch, d.channels, d.length])
    const macs = dimMul(out, d.kernel)
    const perOut = (ctx.optionalTensor(2) === undefined ? 0 : 1) + (ctx.attrString('activation', 'none') === 'none' ? 0 : 5)
    return { macs, flops: dimAdd(dimMul(2, macs), dimMul(perOut, out)) }
  },
}

const PIXEL_CHANNELS: Readonly<Record<string, number>> = { RGB: 3, BGR: 3, Grayscale: 1 }

// (H, W, C) uint8; H and W come from the image header when the encoded bytes are known
const ImageDecoder: OpRule = {
  formula: 'FLOPs = 0 (decoding is codec-specific work outside the arithmetic convention: not counted)',
  infer(ctx) {
    const format = ctx.attrString('pixel_format', 'RGB')
    const channels = PIXEL_CHANNELS[format] ?? ctx.fail(`unsupported pixel_format '${format}'`, format)
    const stream = ctx.tensor(0)
    expectRank(ctx, inputDims(ctx, 0, 'encoded_stream'), 1, 'encoded_stream')
    const bytes = staticValue(stream)
    const found = bytes === undefined ? undefined : imageSize(bytes)
    const height = found?.height ?? ctx.freshDim('height')
    const width = found?.width ?? ctx.freshDim('width')
    return [tensorOf('uint8', [height, width, channels])]
  },
  cost() {
    return { macs: 0, flops: 0 }
  },
}

/** The preview and newest-opset rules. */
export const PREVIEW_RULES: OpRuleTable = {
  SwiGLU,
  CausalConvWithState,
  ImageDecoder,
  ...PREVIEW_ATTENTION_RULES,
}
