/**
 * Tensor manipulation ops (shape, slicing, indexing, creation, data-dependent sizes), merged from the
 * `tensor-*.ts` files. All move or generate data (0 FLOPs) except the few that compute (Dropout in training,
 * Scatter reductions, NonZero, Unique, TopK, NonMaxSuppression), whose formulas say what is counted.
 */
import type { OpRuleTable } from '../types.js'
import { TENSOR_CREATE_RULES } from './tensor-create.js'
import { TENSOR_DATA_DEPENDENT_RULES } from './tensor-data-dependent.js'
import { TENSOR_INDEX_RULES } from './tensor-index.js'
import { TENSOR_SHAPE_RULES } from './tensor-shape.js'
import { TENSOR_SLICE_RULES } from './tensor-slice.js'

/** Reshape/Transpose/Slice/Gather/Concat/…, Constant/Range/…, NonZero/Unique/TopK/NonMaxSuppression. */
export const TENSOR_RULES: OpRuleTable = {
  ...TENSOR_SHAPE_RULES,
  ...TENSOR_SLICE_RULES,
  ...TENSOR_INDEX_RULES,
  ...TENSOR_CREATE_RULES,
  ...TENSOR_DATA_DEPENDENT_RULES,
}
