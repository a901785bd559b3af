import type { OpRuleTable } from '../types.js'

export const LOSS_RULES: OpRuleTable = {}
