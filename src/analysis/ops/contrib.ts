/**
 * com.microsoft ops that onnxruntime's transformer optimizer and quantization tools emit, beyond the attention,
 * GELU and normalization contribs registered with their families: fused transformer ops (contrib-fused.ts),
 * quantized products and QLinear element-wise ops (contrib-quant.ts), decoder attention and rotary embedding
 * (contrib-attention.ts).
 */
import type { OpRuleTable } from '../types.js'
import { CONTRIB_ATTENTION_RULES } from './contrib-attention.js'
import { CONTRIB_FUSED_RULES } from './contrib-fused.js'
import { CONTRIB_QUANT_RULES } from './contrib-quant.js'

/** The com.microsoft contrib rules of this family. */
export const CONTRIB_RULES: OpRuleTable = {
  ...CONTRIB_FUSED_RULES,
  ...CONTRIB_QUANT_RULES,
  ...CONTRIB_ATTENTION_RULES,
}
