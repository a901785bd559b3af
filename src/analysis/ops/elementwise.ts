import type { OpRuleTable } from '../types.js'

export const ELEMENTWISE_RULES: OpRuleTable = {}
