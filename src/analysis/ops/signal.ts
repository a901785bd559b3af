import type { OpRuleTable } from '../types.js'

export const SIGNAL_RULES: OpRuleTable = {}
