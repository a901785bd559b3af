import type { OpRuleTable } from '../types.js'

export const MATMUL_RULES: OpRuleTable = {}
