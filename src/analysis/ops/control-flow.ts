import type { OpRuleTable } from '../types.js'

export const CONTROL_FLOW_RULES: OpRuleTable = {}
