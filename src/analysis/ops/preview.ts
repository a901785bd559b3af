import type { OpRuleTable } from '../types.js'

export const PREVIEW_RULES: OpRuleTable = {}
