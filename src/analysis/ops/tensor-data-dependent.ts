/**
 * Ops whose output size depends on input values: Compress, NonZero, Unique, TopK, NonMaxSuppression.
 * Sizes are computed exactly when the values are known (small constants, or input values the user supplied),
 * else they are fresh symbols.
 */
import { dimAdd, dimFloorDiv, dimMul, dimProduct, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { dimsOf, normalizeAxis, numel, ZERO_COST } from './_helpers.js'
import { elementsOf, moveElements, numberValue, result, scalarValue, staticDims, stridesOf } from './_tensor-utils.js'

/** Numeric values when all known. */
function numbersOf(t: TensorType | undefined): readonly number[] | undefined {
  const v = t?.value
  return v !== undefined && v.every((x): x is number => typeof x === 'number') ? v : undefined
}

const Compress: OpRule = {
  formula: 'data movement: 0 FLOPs',
  infer(ctx) {
    const x = ctx.tensor(0)
    const cond = numbersOf(ctx.tensor(1))
    if (!ctx.hasAttr('axis')) {
      const n = numel(x.dims)
      if (cond === undefined || n === undefined || !isStaticDim(n)) return [{ kind: 'tensor', dtype: x.dtype, dims: [ctx.freshDim('count')] }]
      const picked = cond.slice(0, n).flatMap((c, i) => (c !== 0 ? [i] : []))
      return [result(x.dtype, [picked.length], moveElements(elementsOf(x), [picked.length], (idx) => picked[idx[0]!]!))]
    }
    const dims = dimsOf(ctx, x)
    const axis = normalizeAxis(ctx, ctx.attrInt('axis'), dims.length)
    const d = dims[axis]!
    if (cond === undefined || !isStaticDim(d)) {
      return [{ kind: 'tensor', dtype: x.dtype, dims: dims.map((e, i) => (i === axis ? ctx.freshDim('count') : e)) }]
    }
    const picked = cond.slice(0, d).flatMap((c, i) => (c !== 0 ? [i] : []))
    const out = dims.map((e, i) => (i === axis ? picked.length : e))
    const sd = staticDims(dims)
    const el = sd === undefined ? {} : moveElements(elementsOf(x), out, (idx) => {
      const st = stridesOf(sd)
      return idx.reduce((f, v, k) => f + (k === axis ? picked[v]! : v) * st[k]!, 0)
    })
    return [result(x.dtype, out, el)]
  },
  cost: () => ZERO_COST,
}

const NonZero: OpRule = {
  formula: 'FLOPs = in (one x ≠ 0 test per element)',
  infer(ctx) {
    const x = ctx.tensor(0)
    if (x.dims === undefined) return [{ kind: 'tensor', dtype: 'int64', dims: undefined }]
    const rank = x.dims.length
    const v = numbersOf(x)
    const sd = staticDims(x.dims)
    if (v === undefined || sd === undefined) return [{ kind: 'tensor', dtype: 'int64', dims: [rank, ctx.freshDim('count')] }]
    const st = stridesOf(sd)
    const hits = v.flatMap((e, i) => (e !== 0 ? [i] : []))
    const value: Scalar[] = []
    for (let k = 0; k < rank; k++) for (const h of hits) value.push(Math.floor(h / st[k]!) % sd[k]!)
    return [result('int64', [rank, hits.length], { value })]
  },
  cost: (ctx) => ({ macs: 0, flops: numel(ctx.tensor(0).dims) ?? 0 }),
}

/** Unique of known elements along nothing (flattened) or an axis: the distinct slices in output order. */
function uniqueSlices(keys: readonly string[], sorted: boolean, compare: (a: number, b: number) => number): { order: number[]; inverse: number[]; counts: number[] } {
  const first = new Map<string, number>()
  keys.forEach((k, i) => {
    if (!first.has(k)) first.set(k, i)
  })
  const order = [...first.values()]
  if (sorted) order.sort(compare)
  const pos = new Map(order.map((i, j) => [keys[i]!, j]))
  const inverse = keys.map((k) => pos.get(k)!)
  const counts = order.map(() => 0)
  for (const j of inverse) counts[j]! += 1
  return { order, inverse, counts }
}

const Unique: OpRule = {
  formula: 'FLOPs = in (one comparison per element; the sort/hash order is not counted)',
  infer(ctx) {
    const x = ctx.tensor(0)
    const sorted = ctx.attrInt('sorted', 1) === 1
    const hasAxis = ctx.hasAttr('axis')
    const dims = hasAxis ? dimsOf(ctx, x) : undefined
    const axis = dims === undefined ? undefined : normalizeAxis(ctx, ctx.attrInt('axis'), dims.length)
    const n: Dim = axis === undefined ? (numel(x.dims) ?? ctx.freshDim('elements')) : dims![axis]!
    const sd = staticDims(x.dims)
    const v = numbersOf(x)
    const s = x.strings
    const flat = v ?? s
    if (sd === undefined || flat === undefined || !isStaticDim(n)) {
      const u = ctx.freshDim('unique')
      const yDims = axis === undefined ? [u] : dims!.map((d, i) => (i === axis ? u : d))
      return [{ kind: 'tensor', dtype: x.dtype, dims: yDims }, i64([u]), i64([n]), i64([u])]
    }
    const st = stridesOf(sd)
    // slice j along the axis (or element j when flattened) as a list of flat indices
    const sliceOf = (j: number): number[] => {
      if (axis === undefined) return [j]
      const out: number[] = []
      const outer = sd.slice(0, axis).reduce((a, b) => a * b, 1)
      const inner = st[axis]!
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(o * sd[axis]! * inner + j * inner + i)
      return out
    }
    const slices = Array.from({ length: n }, (_, j) => sliceOf(j))
    const keys = slices.map((sl) => JSON.stringify(sl.map((i) => flat[i])))
    const cmp = (a: number, b: number): number => {
      const sa = slices[a]!
      const sb = slices[b]!
      for (let k = 0; k < sa.length; k++) {
        const ea = flat[sa[k]!]!
        const eb = flat[sb[k]!]!
        if (ea < eb) return -1
        if (ea > eb) return 1
      }
      return 0
    }
    const { order, inverse, counts } = uniqueSlices(keys, sorted, cmp)
    const u = order.length
    const yDims = axis === undefined ? [u] : sd.map((d, i) => (i === axis ? u : d))
    const y = moveElements(elementsOf(x), yDims, (idx) => {
      if (axis === undefined) return order[idx[0]!]!
      return idx.reduce((f, e, k) => f + (k === axis ? order[e]! : e) * st[k]!, 0)
    })
    return [result(x.dtype, yDims, y), result('int64', [u], { value: order }), result('int64', [n], { value: inverse }), result('int64', [u], { value: counts })]
  },
  cost: (ctx) => ({ macs: 0, flops: numel(ctx.tensor(0).dims) ?? 0 }),
}

function i64(dims: readonly Dim[]): TensorType {
  return { kind: 'tensor', dtype: 'int64', dims }
}

const TopK: OpRule = {
  formula: 'FLOPs = in (one comparison per element against the running k-th value; heap updates not counted)',
  infer(ctx) {
    const x = ctx.tensor(0)
    const dims = dimsOf(ctx, x)
    const axis = normalizeAxis(ctx, ctx.attrInt('axis', -1), dims.length)
    const kv = ctx.opset < 10 ? ctx.attrInt('k') : scalarValue(ctx.tensor(1))
    const k: Dim = kv ?? ctx.freshDim('k')
    const d = dims[axis]!
    if (isStaticDim(k) && (k < 0 || (isStaticDim(d) && k > d))) ctx.fail(`k = ${k} is out of range for a dim of size ${d}`, k)
    const out = dims.map((e, i) => (i === axis ? k : e))
    return [{ kind: 'tensor', dtype: x.dtype, dims: out }, i64(out)]
  },
  cost: (ctx) => ({ macs: 0, flops: numel(ctx.tensor(0).dims) ?? 0 }),
}

/** IoU > threshold of two boxes, as onnxruntime's SuppressByIOU (degenerate boxes never suppress). */
function suppresses(a: readonly number[], b: readonly number[], centerPoint: boolean, threshold: number): boolean {
  const corners = (q: readonly number[]): [number, number, number, number] => {
    if (centerPoint) return [q[0]! - q[2]! / 2, q[1]! - q[3]! / 2, q[0]! + q[2]! / 2, q[1]! + q[3]! / 2]
    return [Math.min(q[0]!, q[2]!), Math.min(q[1]!, q[3]!), Math.max(q[0]!, q[2]!), Math.max(q[1]!, q[3]!)]
  }
  const [ay1, ax1, ay2, ax2] = corners(a)
  const [by1, bx1, by2, bx2] = corners(b)
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1)
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1)
  if (ih <= 0 || iw <= 0) return false
  const inter = ih * iw
  const union = (ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter
  if (union <= 0) return false
  return inter / union > threshold
}

function nmsSelect(ctx: OpContext, boxes: readonly number[], bdims: readonly number[], scores: readonly number[], sdims: readonly number[]): number[] {
  const [nb, n] = [bdims[0]!, bdims[1]!]
  const nc = sdims[1]!
  const maxOut = numberValue(ctx.optionalTensor(2)) ?? 0
  const iou = numberValue(ctx.optionalTensor(3)) ?? 0
  const scoreT = ctx.optionalTensor(4)
  const minScore = scoreT === undefined ? undefined : numberValue(scoreT)
  const centerPoint = ctx.attrInt('center_point_box', 0) === 1
  const selected: number[] = []
  if (maxOut <= 0) return selected
  for (let b = 0; b < nb; b++) {
    for (let c = 0; c < nc; c++) {
      const base = (b * nc + c) * n
      const cand = Array.from({ length: n }, (_, i) => i).filter((i) => minScore === undefined || scores[base + i]! > minScore)
      cand.sort((i, j) => scores[base + j]! - scores[base + i]! || i - j)
      const kept: number[] = []
      for (const i of cand) {
        if (kept.length >= maxOut) break
        const box = boxes.slice((b * n + i) * 4, (b * n + i) * 4 + 4)
        if (kept.some((j) => suppresses(boxes.slice((b * n + j) * 4, (b * n + j) * 4 + 4), box, centerPoint, iou))) continue
        kept.push(i)
        selected.push(b, c, i)
      }
    }
  }
  return selected
}

const NonMaxSuppression: OpRule = {
  formula:
    'FLOPs ≤ B·C·(n + 13·n(n−1)/2) + 3·B·n: a score comparison per box and class, a worst-case IoU test per pair ' +
    '(intersection 2 max + 2 min + 2 sub + 1 mul, union add + sub, div, compare), the box areas (2 sub + 1 mul)',
  infer(ctx) {
    const boxesT = ctx.tensor(0)
    const scoresT = ctx.tensor(1)
    const bd = staticDims(boxesT.dims)
    const sdm = staticDims(scoresT.dims)
    const boxes = numbersOf(boxesT)
    const scores = numbersOf(scoresT)
    const thresholdsKnown = [2, 3, 4].every((i) => ctx.optionalTensor(i) === undefined || numberValue(ctx.optionalTensor(i)) !== undefined)
    if (bd === undefined || sdm === undefined || boxes === undefined || scores === undefined || !thresholdsKnown) {
      return [i64([ctx.freshDim('selected'), 3])]
    }
    const value = nmsSelect(ctx, boxes, bd, scores, sdm)
    return [result('int64', [value.length / 3, 3], { value })]
  },
  cost(ctx) {
    const bd = ctx.tensor(0).dims
    const sd = ctx.tensor(1).dims
    if (bd === undefined || sd === undefined || bd.length !== 3 || sd.length !== 3) return ZERO_COST
    const [b, n] = [bd[0]!, bd[1]!]
    const c = sd[1]!
    const pairs = dimFloorDiv(dimMul(n, dimSub(n, 1)), 2)
    const perClass = dimAdd(n, dimMul(13, pairs))
    return { macs: 0, flops: dimAdd(dimProduct([b, c, perClass]), dimProduct([3, b, n])) }
  },
}

/** Compress, NonZero, Unique, TopK, NonMaxSuppression. */
export const TENSOR_DATA_DEPENDENT_RULES: OpRuleTable = { Compress, NonZero, Unique, TopK, NonMaxSuppression }
