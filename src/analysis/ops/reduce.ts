import type { OpRuleTable } from '../types.js'

export const REDUCE_RULES: OpRuleTable = {}
