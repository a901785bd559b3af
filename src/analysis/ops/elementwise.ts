import type { OpRuleTable } from '../types.js'
import { ACTIVATION_RULES } from './elementwise-activation.js'
import { AXIS_RULES } from './elementwise-axis.js'
import { MATH_RULES } from './elementwise-math.js'

/**
 * Element-wise ops: unary math, broadcasting arithmetic/comparison/logic (with value propagation for shape
 * arithmetic, symbolic dims included), Sum/Mean/Max/Min, Where, Clip, activations (ai.onnx and the
 * com.microsoft GELU family), Softmax/LogSoftmax/Hardmax, CumSum/CumProd and Det.
 */
export const ELEMENTWISE_RULES: OpRuleTable = { ...MATH_RULES, ...ACTIVATION_RULES, ...AXIS_RULES }
