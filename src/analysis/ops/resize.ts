import type { OpRuleTable } from '../types.js'

export const RESIZE_RULES: OpRuleTable = {}
