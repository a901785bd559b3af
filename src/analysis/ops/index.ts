/**
 * The op registry: every op modelgate can infer and count, keyed by `opType` (ai.onnx) or `domain::opType`.
 * An op missing here is reported as unknown, never counted as zero.
 */
import type { OpRule } from '../types.js'
import { ATTENTION_RULES } from './attention.js'
import { CONTRIB_RULES } from './contrib.js'
import { CONTROL_FLOW_RULES } from './control-flow.js'
import { CONV_RULES } from './conv.js'
import { ELEMENTWISE_RULES } from './elementwise.js'
import { LOSS_RULES } from './loss.js'
import { MATMUL_RULES } from './matmul.js'
import { NORM_RULES } from './norm.js'
import { POOL_RULES } from './pool.js'
import { PREVIEW_RULES } from './preview.js'
import { QUANT_RULES } from './quant.js'
import { RANDOM_RULES } from './random.js'
import { REDUCE_RULES } from './reduce.js'
import { RESIZE_RULES } from './resize.js'
import { RNN_RULES } from './rnn.js'
import { SEQUENCE_RULES } from './sequence.js'
import { SIGNAL_RULES } from './signal.js'
import { TENSOR_RULES } from './tensor.js'
import { TEXT_RULES } from './text.js'
import { TRAINING_RULES } from './training.js'

const TABLES = [
  ATTENTION_RULES, CONTROL_FLOW_RULES, CONV_RULES, ELEMENTWISE_RULES, LOSS_RULES, MATMUL_RULES, NORM_RULES,
  POOL_RULES, QUANT_RULES, REDUCE_RULES, RESIZE_RULES, RNN_RULES, SEQUENCE_RULES, SIGNAL_RULES, TENSOR_RULES,
  TEXT_RULES, RANDOM_RULES, TRAINING_RULES, CONTRIB_RULES, PREVIEW_RULES,
]

const RULES = new Map<string, OpRule>()
for (const table of TABLES) {
  for (const [key, rule] of Object.entries(table)) {
    if (RULES.has(key)) throw new Error(`op rule ${key} is registered twice`)
    RULES.set(key, rule)
  }
}

/** Domains that are aliases of the default one. */
const DEFAULT_DOMAINS = new Set(['', 'ai.onnx'])

/** The rule for an op, or undefined when modelgate does not know it. */
export function findOpRule(domain: string, opType: string): OpRule | undefined {
  return DEFAULT_DOMAINS.has(domain) ? RULES.get(opType) : RULES.get(`${domain}::${opType}`)
}

/** Every registered op key, sorted (for the README's coverage list). */
export function registeredOps(): string[] {
  return [...RULES.keys()].sort()
}

/** Every registered op with its cost formula, sorted (the README's cost table). */
export function costFormulas(): { op: string; formula: string }[] {
  return registeredOps().map((op) => ({ op, formula: RULES.get(op)!.formula }))
}
