import type { OpRuleTable } from '../types.js'

export const NORM_RULES: OpRuleTable = {}
