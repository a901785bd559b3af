import type { OpRuleTable } from '../types.js'

export const TEXT_RULES: OpRuleTable = {}
