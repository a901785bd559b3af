import type { OpRuleTable } from '../types.js'

export const CONV_RULES: OpRuleTable = {}
