/**
 * Shape-changing data movement: Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Tile,
 * DepthToSpace/SpaceToDepth, and the identity-like ops (Identity, Dropout, Cast, CastLike, BitCast, Shape, Size).
 * All are 0 FLOPs; they propagate small known values, since exporters compute Reshape targets with them.
 */
import { dimFloorDiv, dimMul, dimProduct, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { broadcastDims, dimsOf, normalizeAxis, numel, outputElements, ZERO_COST } from './_helpers.js'
import {
  bitsOf, castScalar, dimDivExact, dtypeAttr, elementsOf, intsAttrOrInput, moveElements, result, staticDims, stridesOf,
  type Elements,
} from './_tensor-utils.js'

const MOVE = 'data movement: 0 FLOPs'

/** A rule that only moves data. */
function movement(infer: OpRule['infer']): OpRule {
  return { formula: MOVE, infer, cost: () => ZERO_COST }
}

/** Same elements, new dims (Reshape, Flatten, Squeeze, Unsqueeze keep the row-major order). */
function relabel(t: TensorType, dims: readonly Dim[] | undefined): TensorType {
  return result(t.dtype, dims, elementsOf(t))
}

function reshapeDims(ctx: OpContext, data: TensorType, target: readonly Scalar[]): Dim[] {
  const allowZero = ctx.opset >= 14 && ctx.attrInt('allowzero', 0) === 1
  const out: (Dim | undefined)[] = []
  let inferAt = -1
  target.forEach((v, i) => {
    if (v === -1) {
      if (inferAt >= 0) ctx.fail('the shape has more than one -1', target)
      inferAt = i
      out.push(undefined)
    } else if (v === 0 && !allowZero) {
      const d = data.dims?.[i]
      if (data.dims !== undefined && d === undefined) ctx.fail(`shape entry ${i} is 0 (copy) but the input has rank ${data.dims.length}`, target)
      out.push(d ?? ctx.freshDim(`dim${i}`))
    } else if (typeof v === 'number' && (v < -1 || !Number.isInteger(v))) {
      return ctx.fail(`invalid shape entry ${v}`, target)
    } else out.push(v)
  })
  const total = numel(data.dims)
  const known = dimProduct(out.filter((d): d is Dim => d !== undefined))
  if (inferAt >= 0) {
    let d: Dim | undefined
    if (total !== undefined) {
      d = dimDivExact(total, known)
      if (d === undefined && isStaticDim(total) && isStaticDim(known)) {
        ctx.fail(`cannot reshape ${total} elements into ${JSON.stringify(target)}`, target)
      }
    }
    out[inferAt] = d ?? ctx.freshDim('inferred')
  } else if (total !== undefined && isStaticDim(total) && isStaticDim(known) && total !== known) {
    ctx.fail(`cannot reshape ${total} elements into ${JSON.stringify(target)}`, target)
  }
  return out as Dim[]
}

const Reshape = movement((ctx) => {
  const data = ctx.tensor(0)
  if (ctx.opset < 5) return [relabel(data, reshapeDims(ctx, data, ctx.attrInts('shape')))]
  const shape = ctx.tensor(1)
  if (shape.value !== undefined) return [relabel(data, reshapeDims(ctx, data, shape.value))]
  const len = shape.dims?.[0]
  if (!isStaticDim(len)) return [{ kind: 'tensor', dtype: data.dtype, dims: undefined }]
  return [{ kind: 'tensor', dtype: data.dtype, dims: Array.from({ length: len }, (_, i) => ctx.freshDim(`dim${i}`)) }]
})

const Flatten = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  let axis = ctx.attrInt('axis', 1)
  if (axis < 0) axis += dims.length
  if (axis < 0 || axis > dims.length) ctx.fail(`axis ${ctx.attrInt('axis', 1)} is out of range for rank ${dims.length}`)
  return [relabel(x, [dimProduct(dims.slice(0, axis)), dimProduct(dims.slice(axis))])]
})

/** True when `perm` holds each of 0 … rank-1 once (linear in the rank: a model may declare any rank). */
function isPermutation(perm: readonly number[], rank: number): boolean {
  if (perm.length !== rank) return false
  // the usual ranks need no allocation: one bit per axis
  const seen = rank > 30 ? new Uint8Array(rank) : undefined
  let bits = 0
  for (let i = 0; i < rank; i++) {
    const p = perm[i]!
    if (!Number.isInteger(p) || p < 0 || p >= rank) return false
    if (seen === undefined) {
      if (bits & (1 << p)) return false
      bits |= 1 << p
    } else {
      if (seen[p] === 1) return false
      seen[p] = 1
    }
  }
  return true
}

const Transpose = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const perm = ctx.hasAttr('perm') ? ctx.attrInts('perm') : dims.map((_, i) => dims.length - 1 - i)
  if (!isPermutation(perm, dims.length)) {
    ctx.fail(`perm ${JSON.stringify(perm)} is not a permutation of the ${dims.length} axes`, perm)
  }
  const outDims = perm.map((p) => dims[p]!)
  const src = elementsOf(x)
  // only known values move (a shape computation's small tensors): nothing to do for the rest
  const sd = src.value === undefined && src.strings === undefined ? undefined : staticDims(dims)
  let el: Elements = {}
  if (sd !== undefined) {
    const st = stridesOf(sd)
    el = moveElements(src, outDims, (idx) => idx.reduce((s, v, k) => s + v * st[perm[k]!]!, 0))
  }
  return [result(x.dtype, outDims, el)]
})

function axesOf(ctx: OpContext): readonly Scalar[] | undefined {
  return intsAttrOrInput(ctx, 'axes', 1, 13)
}

function intList(ctx: OpContext, v: readonly Scalar[], what: string): number[] {
  return v.map((x) => (typeof x === 'number' ? x : ctx.fail(`${what} must be known numbers`, v)))
}

const Squeeze = movement((ctx) => {
  const x = ctx.tensor(0)
  const axesV = axesOf(ctx)
  if (ctx.opset >= 13 && axesV === undefined && ctx.optionalTensor(1) !== undefined) {
    // axes given but not known: the rank is unknown
    return [{ kind: 'tensor', dtype: x.dtype, dims: undefined }]
  }
  if (x.dims === undefined) return [{ kind: 'tensor', dtype: x.dtype, dims: undefined }]
  const dims = x.dims
  if (axesV === undefined) return [relabel(x, dims.filter((d) => d !== 1))]
  const axes = new Set(intList(ctx, axesV, 'axes').map((a) => normalizeAxis(ctx, a, dims.length)))
  for (const a of axes) {
    const d = dims[a]!
    if (isStaticDim(d) && d !== 1) ctx.fail(`cannot squeeze axis ${a} of size ${d}`, d)
  }
  return [relabel(x, dims.filter((_, i) => !axes.has(i)))]
})

const Unsqueeze = movement((ctx) => {
  const x = ctx.tensor(0)
  const axesV = axesOf(ctx)
  if (axesV === undefined) {
    if (ctx.opset >= 13 && ctx.optionalTensor(1) !== undefined) return [{ kind: 'tensor', dtype: x.dtype, dims: undefined }]
    return ctx.fail('axes are required')
  }
  if (x.dims === undefined) return [{ kind: 'tensor', dtype: x.dtype, dims: undefined }]
  const rank = x.dims.length + axesV.length
  const axes = new Set(intList(ctx, axesV, 'axes').map((a) => normalizeAxis(ctx, a, rank)))
  if (axes.size !== axesV.length) ctx.fail('axes contain duplicates', axesV)
  const out: Dim[] = []
  let k = 0
  for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : x.dims[k++]!)
  return [relabel(x, out)]
})

/** Elements of `x` broadcast to `outDims` (numpy rules; x's dims right-aligned). */
function broadcastElements(x: TensorType, outDims: readonly Dim[]): Elements {
  const sd = staticDims(x.dims)
  if (sd === undefined) return {}
  const st = stridesOf(sd)
  const off = outDims.length - sd.length
  return moveElements(elementsOf(x), outDims, (idx) => {
    let f = 0
    for (let k = 0; k < sd.length; k++) f += sd[k] === 1 ? 0 : idx[k + off]! * st[k]!
    return f
  })
}

const Expand = movement((ctx) => {
  const x = ctx.tensor(0)
  const shape = ctx.tensor(1)
  const dims = dimsOf(ctx, x)
  const target = shape.value
  if (target === undefined) {
    const len = shape.dims?.[0]
    if (!isStaticDim(len)) return [{ kind: 'tensor', dtype: x.dtype, dims: undefined }]
    // an unknown target entry broadcasts with the input dim: it is the input dim unless that is 1 (or missing)
    const rank = Math.max(len, dims.length)
    const out = Array.from({ length: rank }, (_, i): Dim => {
      const d = dims[i - (rank - dims.length)]
      if (i < rank - len || (d !== undefined && d !== 1)) return d ?? 1
      return ctx.freshDim(`dim${i}`)
    })
    return [{ kind: 'tensor', dtype: x.dtype, dims: out }]
  }
  const out = broadcastDims(ctx, [dims, target])
  return [result(x.dtype, out, broadcastElements(x, out))]
})

const Tile = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const reps = ctx.tensor(1).value
  if (reps === undefined) return [{ kind: 'tensor', dtype: x.dtype, dims: dims.map((d, i) => ctx.freshDim(`dim${i}`)) }]
  if (reps.length !== dims.length) ctx.fail(`repeats has ${reps.length} entries for an input of rank ${dims.length}`, reps)
  const out = dims.map((d, i) => dimMul(d, reps[i]!))
  const sd = staticDims(dims)
  let el: Elements = {}
  if (sd !== undefined) {
    const st = stridesOf(sd)
    el = moveElements(elementsOf(x), out, (idx) => idx.reduce((f, v, k) => f + (v % sd[k]!) * st[k]!, 0))
  }
  return [result(x.dtype, out, el)]
})

/** Exact quotient, or a failure when a known dim does not divide. */
function divideDim(ctx: OpContext, d: Dim, by: number, what: string): Dim {
  const q = dimDivExact(d, by)
  if (q !== undefined) return q
  if (isStaticDim(d)) return ctx.fail(`${what} ${d} is not divisible by ${by}`, d)
  return dimFloorDiv(d, by)
}

const DepthToSpace = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  if (dims.length !== 4) ctx.fail(`the input must be 4-D, not of rank ${dims.length}`)
  const b = ctx.attrInt('blocksize')
  const [n, c, h, w] = dims as [Dim, Dim, Dim, Dim]
  return [{ kind: 'tensor', dtype: x.dtype, dims: [n, divideDim(ctx, c, b * b, 'channels'), dimMul(h, b), dimMul(w, b)] }]
})

const SpaceToDepth = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  if (dims.length !== 4) ctx.fail(`the input must be 4-D, not of rank ${dims.length}`)
  const b = ctx.attrInt('blocksize')
  const [n, c, h, w] = dims as [Dim, Dim, Dim, Dim]
  return [{ kind: 'tensor', dtype: x.dtype, dims: [n, dimMul(c, b * b), divideDim(ctx, h, b, 'height'), divideDim(ctx, w, b, 'width')] }]
})

const Identity = movement((ctx) => {
  const x = ctx.inputs[0]
  if (x === undefined) return ctx.fail('input 0 is missing')
  return [x]
})

function trainingMode(ctx: OpContext): boolean {
  if (ctx.opset < 12) return false
  const v = ctx.optionalTensor(2)?.value
  return v !== undefined && v[0] !== 0
}

const Dropout: OpRule = {
  formula: 'FLOPs = 0 in inference (identity); 2·out in training mode (compare with the random draw, scale by 1/(1−ratio))',
  infer(ctx) {
    const x = ctx.tensor(0)
    const out = trainingMode(ctx) ? { kind: 'tensor' as const, dtype: x.dtype, dims: x.dims } : x
    if (ctx.node.outputs.length < 2 || ctx.node.outputs[1] === '') return [out]
    const maskType = ctx.opset >= 10 ? 'bool' : x.dtype
    return [out, { kind: 'tensor', dtype: maskType, dims: x.dims }]
  },
  cost: (ctx, outputs) => (trainingMode(ctx) ? { macs: 0, flops: dimMul(outputElements(outputs), 2) } : ZERO_COST),
}

/** Cast of known elements; strings parse as numbers, integers print as strings. */
function castElements(x: TensorType, to: TensorType['dtype']): Elements {
  if (x.strings !== undefined && to !== 'string') {
    const nums = x.strings.map((s) => Number(s.trim()))
    if (nums.some((n) => Number.isNaN(n))) return {}
    const v = nums.map((n) => castScalar(n, to))
    return v.every((e) => e !== undefined) ? { value: v as Scalar[] } : {}
  }
  if (x.value === undefined) return to === 'string' && x.strings !== undefined ? { strings: x.strings } : {}
  if (to === 'string') {
    return x.value.every((e) => typeof e === 'number' && Number.isInteger(e)) ? { strings: x.value.map(String) } : {}
  }
  const v = x.value.map((e) => castScalar(e, to))
  return v.every((e) => e !== undefined) ? { value: v as Scalar[] } : {}
}

const Cast = movement((ctx) => {
  const x = ctx.tensor(0)
  const to = dtypeAttr(ctx, 'to')
  return [result(to, x.dims, castElements(x, to))]
})

const CastLike = movement((ctx) => {
  const x = ctx.tensor(0)
  const to = ctx.tensor(1).dtype
  return [result(to, x.dims, castElements(x, to))]
})

const BitCast = movement((ctx) => {
  const x = ctx.tensor(0)
  const to = dtypeAttr(ctx, 'to')
  if (x.dtype === 'string' || to === 'string') ctx.fail('BitCast does not support strings')
  if (bitsOf(x.dtype) !== bitsOf(to)) ctx.fail(`cannot bit-cast ${x.dtype} (${bitsOf(x.dtype)} bits) to ${to} (${bitsOf(to)} bits)`, to)
  return [{ kind: 'tensor', dtype: to, dims: x.dims }]
})

const Shape = movement((ctx) => {
  const x = ctx.inputs[0]
  if (x === undefined || x.kind !== 'tensor') return ctx.fail('input 0 should be a tensor')
  if (x.dims === undefined) return [{ kind: 'tensor', dtype: 'int64', dims: [ctx.freshDim('rank')] }]
  const r = x.dims.length
  const clamp = (v: number): number => Math.min(r, Math.max(0, v < 0 ? v + r : v))
  const start = ctx.opset >= 15 ? clamp(ctx.attrInt('start', 0)) : 0
  const end = ctx.opset >= 15 && ctx.hasAttr('end') ? clamp(ctx.attrInt('end')) : r
  const value = x.dims.slice(start, Math.max(start, end))
  return [result('int64', [value.length], { value })]
})

const Size = movement((ctx) => {
  const x = ctx.tensor(0)
  const n = numel(x.dims)
  return [result('int64', [], n === undefined ? {} : { value: [n] })]
})

/** Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Tile, DepthToSpace, SpaceToDepth, Identity, Dropout, Cast, CastLike, BitCast, Shape, Size. */
export const TENSOR_SHAPE_RULES: OpRuleTable = {
  Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Tile, DepthToSpace, SpaceToDepth, Identity, Dropout, Cast,
  CastLike, BitCast, Shape, Size,
}
