/**
 * Sequence and optional ops. A sequence's elements are tracked one by one while their number is known
 * (SequenceConstruct, SplitToSequence of a static dim, inserts/erases at known positions); otherwise only a
 * common element type is kept. All are data movement: 0 FLOPs.
 */
import { dimSum, isStaticDim, type Dim } from '../dims.js'
import type { InferredType, OpContext, OpRule, OpRuleTable, OptionalType, SequenceType, TensorType } from '../types.js'
import { dimsOf, normalizeAxis, ZERO_COST } from './_helpers.js'
import { dtypeAttr, hasInput, mergeTensorTypes, numberValue, result } from './_tensor-utils.js'

function movement(infer: OpRule['infer']): OpRule {
  return { formula: 'data movement: 0 FLOPs', infer, cost: () => ZERO_COST }
}

function sequenceInput(ctx: OpContext, i: number): SequenceType {
  const s = ctx.inputs[i]
  if (s?.kind !== 'sequence') return ctx.fail(`input ${i} should be a sequence, not ${s === undefined ? 'missing' : `a ${s.kind}`}`)
  return s
}

/** A sequence of known elements; the common type is their merge. */
function sequenceOf(ctx: OpContext, elems: readonly TensorType[], fallback?: TensorType): SequenceType {
  return { kind: 'sequence', elems, elem: mergeTensorTypes(ctx, elems, 'elem') ?? fallback }
}

/** A sequence whose length is unknown, with elements of a common type. */
function unknownLength(elem: TensorType | undefined): SequenceType {
  return { kind: 'sequence', elems: undefined, elem }
}

/** A tensor type without its value (the type of "some element"). */
function typeOnly(t: TensorType | undefined): TensorType | undefined {
  return t === undefined ? undefined : { kind: 'tensor', dtype: t.dtype, dims: t.dims }
}

/** A position input normalised for a length; fails when out of range. */
function position(ctx: OpContext, pos: number, length: number, inclusiveEnd: boolean): number {
  const p = pos < 0 ? pos + length : pos
  if (p < 0 || p > length || (!inclusiveEnd && p === length)) ctx.fail(`position ${pos} is out of range for a sequence of length ${length}`, pos)
  return p
}

const SequenceEmpty = movement((ctx) => {
  const dtype = dtypeAttr(ctx, 'dtype', 'float32')
  return [{ kind: 'sequence', elems: [], elem: { kind: 'tensor', dtype, dims: undefined } }]
})

const SequenceConstruct = movement((ctx) => [sequenceOf(ctx, ctx.inputs.map((_, i) => ctx.tensor(i)))])

const SequenceInsert = movement((ctx) => {
  const s = sequenceInput(ctx, 0)
  const t = ctx.tensor(1)
  const given = hasInput(ctx, 2)
  const pos = given ? numberValue(ctx.tensor(2)) : undefined
  if (s.elems !== undefined && (!given || pos !== undefined)) {
    const p = pos === undefined ? s.elems.length : position(ctx, pos, s.elems.length, true)
    return [sequenceOf(ctx, [...s.elems.slice(0, p), t, ...s.elems.slice(p)])]
  }
  const known = [s.elem, t].filter((e): e is TensorType => e !== undefined && e.dims !== undefined)
  return [unknownLength(s.elems?.length === 0 ? typeOnly(t) : mergeTensorTypes(ctx, known, 'elem'))]
})

const SequenceAt = movement((ctx) => {
  const s = sequenceInput(ctx, 0)
  const pos = numberValue(ctx.tensor(1))
  if (s.elems !== undefined && pos !== undefined) return [s.elems[position(ctx, pos, s.elems.length, false)]]
  if (s.elems?.length === 0) return ctx.fail('SequenceAt on an empty sequence')
  return [typeOnly(s.elem)]
})

const SequenceErase = movement((ctx) => {
  const s = sequenceInput(ctx, 0)
  const given = hasInput(ctx, 1)
  const pos = given ? numberValue(ctx.tensor(1)) : undefined
  if (s.elems !== undefined && (!given || pos !== undefined)) {
    if (s.elems.length === 0) ctx.fail('SequenceErase on an empty sequence')
    const p = pos === undefined ? s.elems.length - 1 : position(ctx, pos, s.elems.length, false)
    return [sequenceOf(ctx, [...s.elems.slice(0, p), ...s.elems.slice(p + 1)], s.elem)]
  }
  return [unknownLength(typeOnly(s.elem))]
})

const SequenceLength = movement((ctx) => {
  const s = sequenceInput(ctx, 0)
  return [result('int64', [], s.elems === undefined ? {} : { value: [s.elems.length] })]
})

const SplitToSequence = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', 0), dims.length)
  const d = dims[axis]!
  const piece = (size: Dim): TensorType => ({ kind: 'tensor', dtype: x.dtype, dims: dims.map((e, i) => (i === axis ? size : e)) })
  if (!hasInput(ctx, 1)) {
    // unit pieces; keepdims=0 drops the axis
    const keep = ctx.attrInt('keepdims', 1) === 1
    const unit: TensorType = { kind: 'tensor', dtype: x.dtype, dims: keep ? dims.map((e, i) => (i === axis ? 1 : e)) : dims.filter((_, i) => i !== axis) }
    return [isStaticDim(d) ? sequenceOf(ctx, Array.from({ length: d }, () => unit)) : unknownLength(unit)]
  }
  const split = ctx.tensor(1)
  const v = split.value
  if (v === undefined) return [unknownLength(piece(ctx.freshDim('piece')))]
  if (split.dims?.length === 0 || (v.length === 1 && split.dims === undefined)) {
    const size = v[0]!
    if (typeof size !== 'number' || !isStaticDim(d)) return [unknownLength(piece(ctx.freshDim('piece')))]
    if (size <= 0) ctx.fail(`split ${size} must be positive`, size)
    const n = Math.ceil(d / size)
    return [sequenceOf(ctx, Array.from({ length: n }, (_, i) => piece(Math.min(size, d - i * size))))]
  }
  const total = dimSum(v)
  if (isStaticDim(total) && isStaticDim(d) && total !== d) ctx.fail(`split sizes sum to ${total}, not to the dim ${d}`, v)
  return [sequenceOf(ctx, v.map((s) => piece(s)))]
})

const ConcatFromSequence = movement((ctx) => {
  const s = sequenceInput(ctx, 0)
  const newAxis = ctx.attrInt('new_axis', 0) === 1
  const ref = s.elems?.[0] ?? s.elem
  if (ref === undefined || ref.dims === undefined) return [{ kind: 'tensor', dtype: ref?.dtype ?? 'float32', dims: undefined }]
  const rank = ref.dims.length
  const axis = normalizeAxis(ctx, ctx.attrInt('axis'), newAxis ? rank + 1 : rank)
  if (s.elems === undefined || s.elems.some((e) => e.dims === undefined)) {
    const base = s.elem?.dims ?? ref.dims
    const dims = newAxis ? [...base.slice(0, axis), ctx.freshDim('count'), ...base.slice(axis)] : base.map((e, i) => (i === axis ? ctx.freshDim('axis') : e))
    return [{ kind: 'tensor', dtype: ref.dtype, dims }]
  }
  if (s.elems.length === 0) return ctx.fail('ConcatFromSequence of an empty sequence')
  const merged = mergeTensorTypes(ctx, s.elems, 'dim')!
  const base = merged.dims ?? ref.dims
  if (newAxis) return [{ kind: 'tensor', dtype: ref.dtype, dims: [...base.slice(0, axis), s.elems.length, ...base.slice(axis)] }]
  const dims = base.map((e, i) => (i === axis ? dimSum(s.elems!.map((t) => t.dims![i]!)) : e))
  return [{ kind: 'tensor', dtype: ref.dtype, dims }]
})

const Optional = movement((ctx) => {
  const x = ctx.inputs[0]
  if (x === undefined || !hasInput(ctx, 0)) return [{ kind: 'optional', elem: null } satisfies OptionalType]
  if (x.kind === 'tensor' || x.kind === 'sequence') return [{ kind: 'optional', elem: x } satisfies OptionalType]
  return ctx.fail(`Optional of a ${x.kind}`)
})

/** Whether an optional (or, from opset 18, a plain tensor/sequence) holds a value, when known. */
function hasElement(x: InferredType | undefined, present: boolean): boolean | undefined {
  if (!present || x === undefined) return false
  if (x.kind !== 'optional') return true
  if (x.elem === null) return false
  return x.elem === undefined ? undefined : true
}

const OptionalHasElement = movement((ctx) => {
  const has = hasElement(ctx.inputs[0], hasInput(ctx, 0))
  return [result('bool', [], has === undefined ? {} : { value: [has ? 1 : 0] })]
})

const OptionalGetElement = movement((ctx) => {
  const x = ctx.inputs[0]
  if (x === undefined) return ctx.fail('input 0 is missing')
  if (x.kind !== 'optional') return [x]
  if (x.elem === null) return ctx.fail('the optional is empty')
  return [x.elem]
})

/** Sequence* ops, SplitToSequence, ConcatFromSequence, Optional, OptionalHasElement, OptionalGetElement. */
export const SEQUENCE_RULES: OpRuleTable = {
  SequenceEmpty, SequenceConstruct, SequenceInsert, SequenceAt, SequenceErase, SequenceLength, SplitToSequence,
  ConcatFromSequence, Optional, OptionalHasElement, OptionalGetElement,
}
