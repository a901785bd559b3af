import type { OpRuleTable } from '../types.js'

export const ATTENTION_RULES: OpRuleTable = {}
