import type { OpRuleTable } from '../types.js'

export const SEQUENCE_RULES: OpRuleTable = {}
