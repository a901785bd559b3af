import type { OpRuleTable } from '../types.js'

export const RANDOM_RULES: OpRuleTable = {}
