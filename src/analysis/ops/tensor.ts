import type { OpRuleTable } from '../types.js'

export const TENSOR_RULES: OpRuleTable = {}
