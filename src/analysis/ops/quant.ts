import type { OpRuleTable } from '../types.js'

export const QUANT_RULES: OpRuleTable = {}
