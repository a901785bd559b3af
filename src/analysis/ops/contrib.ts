import type { OpRuleTable } from '../types.js'

export const CONTRIB_RULES: OpRuleTable = {}
