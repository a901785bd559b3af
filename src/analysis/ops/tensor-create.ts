/**
 * Tensor creation: Constant, ConstantOfShape, Range, EyeLike, Trilu, OneHot (0 FLOPs: generated or selected
 * data, no arithmetic on inputs).
 */
import type { DataTypeName } from '../../onnx/dtypes.js'
import type { OnnxSparseTensor } from '../../onnx/types.js'
import { dimAdd, dimCeilDiv, dimMul, dimSub, isStaticDim, type Dim } from '../dims.js'
import { MAX_VALUE_ELEMENTS, type OpContext, type OpRule, type OpRuleTable, type Scalar, type TensorType } from '../types.js'
import { dimsOf, normalizeAxis, ZERO_COST } from './_helpers.js'
import { dtypeAttr, result, scalarValue, staticDims } from './_tensor-utils.js'

function generated(formula: string, infer: OpRule['infer']): OpRule {
  return { formula, infer, cost: () => ZERO_COST }
}

const CONST = 'a constant: 0 FLOPs'

function sparseConstant(ctx: OpContext, s: OnnxSparseTensor): TensorType {
  const values = ctx.constant(s.values)
  const dtype: DataTypeName = values.dtype
  const n = s.dims.reduce((a, b) => a * b, 1)
  const v = values.value
  const ind = ctx.constant(s.indices).value
  if (v === undefined || ind === undefined || n > MAX_VALUE_ELEMENTS) return { kind: 'tensor', dtype, dims: s.dims }
  const dense: Scalar[] = new Array<Scalar>(n).fill(0)
  const nnz = v.length
  // indices are either linear [NNZ] or coordinates [NNZ, rank]
  const coords = ind.length === nnz ? 1 : s.dims.length
  const strides = s.dims.map((_, i) => s.dims.slice(i + 1).reduce((a, b) => a * b, 1))
  for (let k = 0; k < nnz; k++) {
    let f = 0
    for (let j = 0; j < coords; j++) {
      const c = ind[k * coords + j]
      if (typeof c !== 'number') return { kind: 'tensor', dtype, dims: s.dims }
      f += coords === 1 ? c : c * strides[j]!
    }
    dense[f] = v[k]!
  }
  return result(dtype, s.dims, { value: dense })
}

const Constant = generated(CONST, (ctx) => {
  const attrs = ctx.node.attributes
  const sparse = attrs.get('sparse_value')
  if (sparse?.type === 'sparse_tensor') return [sparseConstant(ctx, sparse.value)]
  if (ctx.hasAttr('value')) {
    const t = ctx.attrTensor('value')
    return [t ?? ctx.fail('attribute value is not a tensor')]
  }
  if (ctx.hasAttr('value_float')) return [result('float32', [], { value: [ctx.attrFloat('value_float')] })]
  if (ctx.hasAttr('value_floats')) {
    const v = ctx.attrFloats('value_floats')
    return [result('float32', [v.length], { value: v })]
  }
  if (ctx.hasAttr('value_int')) return [result('int64', [], { value: [ctx.attrInt('value_int')] })]
  if (ctx.hasAttr('value_ints')) {
    const v = ctx.attrInts('value_ints')
    return [result('int64', [v.length], { value: v })]
  }
  if (ctx.hasAttr('value_string')) return [result('string', [], { strings: [ctx.attrString('value_string')] })]
  if (ctx.hasAttr('value_strings')) {
    const v = ctx.attrStrings('value_strings')
    return [result('string', [v.length], { strings: v })]
  }
  return ctx.fail('Constant has none of the value attributes')
})

const ConstantOfShape = generated(CONST, (ctx) => {
  const shape = ctx.tensor(0)
  const fillT = ctx.hasAttr('value') ? ctx.attrTensor('value') : undefined
  const dtype = fillT?.dtype ?? 'float32'
  const fill = fillT === undefined ? 0 : scalarValue(fillT)
  if (shape.value === undefined) {
    const len = shape.dims?.[0]
    if (shape.dims?.length === 0) return [{ kind: 'tensor', dtype, dims: [] }]
    if (!isStaticDim(len)) return [{ kind: 'tensor', dtype, dims: undefined }]
    return [{ kind: 'tensor', dtype, dims: Array.from({ length: len }, (_, i) => ctx.freshDim(`dim${i}`)) }]
  }
  const dims: Dim[] = [...shape.value]
  for (const d of dims) if (isStaticDim(d) && d < 0) ctx.fail(`negative dim ${d} in the shape`, shape.value)
  const sd = staticDims(dims)
  const n = sd?.reduce((a, b) => a * b, 1)
  if (fill === undefined || n === undefined || n > MAX_VALUE_ELEMENTS) return [{ kind: 'tensor', dtype, dims }]
  return [result(dtype, dims, { value: new Array<Scalar>(n).fill(fill) })]
})

const Range = generated('generated values start + i·delta: 0 FLOPs', (ctx) => {
  const start = ctx.tensor(0)
  const s = scalarValue(start)
  const l = scalarValue(ctx.tensor(1))
  const d = scalarValue(ctx.tensor(2))
  const dtype = start.dtype
  if (s === undefined || l === undefined || d === undefined) return [{ kind: 'tensor', dtype, dims: [ctx.freshDim('length')] }]
  if (d === 0) ctx.fail('delta is 0')
  let n: Dim | undefined
  if (typeof s === 'number' && typeof l === 'number' && typeof d === 'number') {
    n = Math.max(Math.ceil((l - s) / d), 0)
  } else if (typeof d === 'number' && Number.isInteger(d) && d > 0) {
    n = d === 1 ? dimSub(l, s) : dimCeilDiv(dimSub(l, s), d)
  } else if (typeof d === 'number' && Number.isInteger(d) && d < 0) {
    n = d === -1 ? dimSub(s, l) : dimCeilDiv(dimSub(s, l), -d)
  }
  if (n === undefined) return [{ kind: 'tensor', dtype, dims: [ctx.freshDim('length')] }]
  if (isStaticDim(n) && n <= MAX_VALUE_ELEMENTS) {
    const value = Array.from({ length: n }, (_, i): Scalar => (typeof s === 'number' && typeof d === 'number' ? s + i * d : dimAdd(s, dimMul(i, d))))
    return [result(dtype, [n], { value })]
  }
  return [{ kind: 'tensor', dtype, dims: [n] }]
})

const EyeLike = generated(CONST, (ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  if (dims.length !== 2) ctx.fail(`the input must be 2-D, not of rank ${dims.length}`)
  return [{ kind: 'tensor', dtype: dtypeAttr(ctx, 'dtype', x.dtype), dims }]
})

const Trilu = generated('selection of a triangle: 0 FLOPs', (ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  if (dims.length < 2) ctx.fail(`the input must have rank ≥ 2, not ${dims.length}`)
  return [{ kind: 'tensor', dtype: x.dtype, dims }]
})

const OneHot = generated('selection of on/off values: 0 FLOPs', (ctx) => {
  const indices = ctx.tensor(0)
  const depthV = scalarValue(ctx.tensor(1))
  const values = ctx.tensor(2)
  const dims = dimsOf(ctx, indices, 'indices')
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), dims.length + 1)
  const depth: Dim = depthV === undefined ? ctx.freshDim('depth') : typeof depthV === 'number' ? Math.trunc(depthV) : depthV
  if (isStaticDim(depth) && depth < 1) ctx.fail(`depth ${depth} must be positive`, depth)
  return [{ kind: 'tensor', dtype: values.dtype, dims: [...dims.slice(0, axis), depth, ...dims.slice(axis)] }]
})

/** Constant, ConstantOfShape, Range, EyeLike, Trilu, OneHot. */
export const TENSOR_CREATE_RULES: OpRuleTable = { Constant, ConstantOfShape, Range, EyeLike, Trilu, OneHot }
