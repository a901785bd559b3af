/**
 * onnxruntime's fused transformer ops (com.microsoft): EmbedLayerNormalization, BiasAdd, BiasSplitGelu, BiasSoftmax
 * and GemmFastGelu. Each cost is the sum of the ops it fuses, counted as their own rules count them (Gelu 5·out,
 * FastGelu 8·out, LayerNorm 7·in + 5·rows, Softmax 5·out − 2·rows).
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { broadcastDims, normalizeAxis, numel, outputElements, tensorOf } from './_helpers.js'
import { divideDim, expectRank, expectSameDim, inputDims, optionalDims, pickOutputs, softmaxFlops } from './_compute-utils.js'
import { meanVarianceFlops } from './_norm-utils.js'
import { matmulProduct } from './matmul.js'

const MS = 'com.microsoft'

interface EmbedDims {
  readonly batch: Dim
  readonly seq: Dim
  readonly hidden: Dim
}

function embedDims(ctx: OpContext): EmbedDims {
  const ids = inputDims(ctx, 0, 'input_ids')
  expectRank(ctx, ids, 2, 'input_ids (batch_size, sequence_length)')
  const word = inputDims(ctx, 2, 'word_embedding')
  expectRank(ctx, word, 2, 'word_embedding')
  const hidden = word[1]!
  for (const [i, what] of [[3, 'position_embedding'], [4, 'segment_embedding']] as const) {
    const e = optionalDims(ctx, i)
    if (e !== undefined) {
      expectRank(ctx, e, 2, what)
      expectSameDim(ctx, e[1], hidden, `${what} hidden size ≠ word_embedding hidden size`)
    }
  }
  const gamma = inputDims(ctx, 5, 'gamma')
  expectSameDim(ctx, gamma[gamma.length - 1], hidden, 'gamma length ≠ hidden size')
  return { batch: ids[0]!, seq: ids[1]!, hidden }
}

const EmbedLayerNormalization: OpRule = {
  formula:
    'FLOPs = out (word + position embedding) + out (+ segment embedding, when given) + 7·out + 5·rows (LayerNorm) + B·S (mask_index: sum of the mask, when given), rows = B·S',
  infer(ctx) {
    const d = embedDims(ctx)
    const dtype = ctx.tensor(2).dtype
    const embedded = tensorOf(dtype, [d.batch, d.seq, d.hidden])
    return pickOutputs(ctx, [embedded, tensorOf('int32', [d.batch]), embedded])
  },
  cost(ctx) {
    const d = embedDims(ctx)
    const rows = dimMul(d.batch, d.seq)
    const out = dimMul(rows, d.hidden)
    const adds = dimMul(ctx.optionalTensor(4) === undefined ? 1 : 2, out)
    const mask = ctx.optionalTensor(7) === undefined ? 0 : rows
    return { macs: 0, flops: dimAdd(dimAdd(adds, meanVarianceFlops(out, rows, true)), mask) }
  },
}

const BiasAdd: OpRule = {
  formula: 'FLOPs = 2·out (+ bias, + skip)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    expectRank(ctx, x, 3, 'X (N, S, C)')
    const bias = inputDims(ctx, 1, 'bias')
    expectSameDim(ctx, bias[bias.length - 1], x[2], 'bias length ≠ channels')
    const skip = inputDims(ctx, 2, 'skip')
    return [tensorOf(ctx.tensor(0).dtype, broadcastDims(ctx, [x, skip]))]
  },
  cost(_ctx, outputs) {
    return { macs: 0, flops: dimMul(2, outputElements(outputs)) }
  },
}

// X + bias, split the last axis in halves, left · Gelu(right)
const BiasSplitGelu: OpRule = {
  formula: 'FLOPs = in (+ bias) + 5·out (Gelu of the right half) + out (× left half)',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'X')
    expectRank(ctx, x, 3, 'X (N, S, D)')
    const bias = inputDims(ctx, 1, 'bias')
    expectSameDim(ctx, bias[bias.length - 1], x[2], 'bias length ≠ hidden size')
    return [tensorOf(ctx.tensor(0).dtype, [x[0]!, x[1]!, divideDim(ctx, x[2]!, 2, 'hidden size / 2')])]
  },
  cost(ctx, outputs) {
    const input = numel(ctx.tensor(0).dims) ?? 0
    return { macs: 0, flops: dimAdd(input, dimMul(6, outputElements(outputs))) }
  },
}

// softmax over the dims from `axis` on of data + bias
const BiasSoftmax: OpRule = {
  formula: 'FLOPs = out (+ bias) + 5·out − 2·rows (softmax over the dims from axis on), rows = ∏data[:axis]',
  infer(ctx) {
    const x = inputDims(ctx, 0, 'data')
    normalizeAxis(ctx, ctx.attrInt('axis', 1), x.length)
    inputDims(ctx, 1, 'bias')
    return [tensorOf(ctx.tensor(0).dtype, x)]
  },
  cost(ctx) {
    const x = inputDims(ctx, 0, 'data')
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', 1), x.length)
    const out = dimProduct(x)
    return { macs: 0, flops: dimAdd(out, softmaxFlops(out, dimProduct(x.slice(0, axis)))) }
  },
}

// FastGelu(X·W + bias): tanh approximation, as com.microsoft::FastGelu counts it
const GemmFastGelu: OpRule = {
  formula: 'MACs = ∏batch·M·N·K; FLOPs = 2·MACs + out (+ bias, when given) + 8·out (FastGelu: pow, 4 multiplications, 2 additions, tanh)',
  infer(ctx) {
    const { out } = matmulProduct(ctx, inputDims(ctx, 0, 'X'), inputDims(ctx, 1, 'W'))
    const bias = optionalDims(ctx, 2)
    if (bias !== undefined) expectSameDim(ctx, bias[bias.length - 1], out[out.length - 1], 'bias length ≠ output columns')
    return [tensorOf(ctx.tensor(0).dtype, out)]
  },
  cost(ctx, outputs) {
    const { macs } = matmulProduct(ctx, inputDims(ctx, 0, 'X'), inputDims(ctx, 1, 'W'))
    const perOut = ctx.optionalTensor(2) === undefined ? 8 : 9
    return { macs, flops: dimAdd(dimMul(2, macs), dimMul(perOut, outputElements(outputs))) }
  },
}

/** The fused contrib rules, merged into CONTRIB_RULES. */
export const CONTRIB_FUSED_RULES: OpRuleTable = {
  [`${MS}::EmbedLayerNormalization`]: EmbedLayerNormalization,
  [`${MS}::BiasAdd`]: BiasAdd,
  [`${MS}::BiasSplitGelu`]: BiasSplitGelu,
  [`${MS}::BiasSoftmax`]: BiasSoftmax,
  [`${MS}::GemmFastGelu`]: GemmFastGelu,
}
