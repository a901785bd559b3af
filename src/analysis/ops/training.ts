import type { OpRuleTable } from '../types.js'

export const TRAINING_RULES: OpRuleTable = {}
