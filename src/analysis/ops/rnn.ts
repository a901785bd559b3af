import type { OpRuleTable } from '../types.js'

export const RNN_RULES: OpRuleTable = {}
