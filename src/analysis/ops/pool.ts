import type { OpRuleTable } from '../types.js'

export const POOL_RULES: OpRuleTable = {}
