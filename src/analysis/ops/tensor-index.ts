/**
 * Indexed reads and writes: Gather, GatherElements, GatherND, Scatter, ScatterElements, ScatterND,
 * TensorScatter, ReverseSequence. Reads propagate small known values (Shape → Gather chains).
 */
import { isStaticDim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable, TensorType } from '../types.js'
import { dimsOf, normalizeAxis, numel, ZERO_COST } from './_helpers.js'
import { elementsOf, moveElements, result, staticDims, stridesOf, type Elements } from './_tensor-utils.js'

const MOVE = 'data movement: 0 FLOPs'

function movement(infer: OpRule['infer']): OpRule {
  return { formula: MOVE, infer, cost: () => ZERO_COST }
}

/** Known integer indices, negatives wrapped by `size`; fails when out of range. */
function indexValues(ctx: OpContext, t: TensorType, size: number): number[] | undefined {
  const v = t.value
  if (v === undefined || !v.every((x): x is number => typeof x === 'number')) return undefined
  return v.map((i) => {
    const j = i < 0 ? i + size : i
    if (j < 0 || j >= size) ctx.fail(`index ${i} is out of range for a dim of size ${size}`, i)
    return j
  })
}

const Gather = movement((ctx) => {
  const data = ctx.tensor(0)
  const indices = ctx.tensor(1)
  const dims = dimsOf(ctx, data)
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', 0), dims.length)
  if (indices.dims === undefined) return [{ kind: 'tensor', dtype: data.dtype, dims: undefined }]
  const q = indices.dims
  const out = [...dims.slice(0, axis), ...q, ...dims.slice(axis + 1)]
  const sd = staticDims(dims)
  let el: Elements = {}
  const iv = sd === undefined ? undefined : indexValues(ctx, indices, sd[axis]!)
  if (sd !== undefined && iv !== undefined) {
    const st = stridesOf(sd)
    const qs = staticDims(q)
    const qst = qs === undefined ? [] : stridesOf(qs)
    el = moveElements(elementsOf(data), out, (idx) => {
      let f = 0
      for (let k = 0; k < axis; k++) f += idx[k]! * st[k]!
      let qi = 0
      for (let k = 0; k < q.length; k++) qi += idx[axis + k]! * qst[k]!
      f += iv[qi]! * st[axis]!
      for (let k = axis + 1; k < dims.length; k++) f += idx[k + q.length - 1]! * st[k]!
      return f
    })
  }
  return [result(data.dtype, out, el)]
})

const GatherElements = movement((ctx) => {
  const data = ctx.tensor(0)
  const indices = ctx.tensor(1)
  const dims = dimsOf(ctx, data)
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', 0), dims.length)
  const q = dimsOf(ctx, indices, 'indices')
  if (q.length !== dims.length) ctx.fail(`indices have rank ${q.length}, data rank ${dims.length}`)
  const sd = staticDims(dims)
  const iv = sd === undefined ? undefined : indexValues(ctx, indices, sd[axis]!)
  let el: Elements = {}
  if (sd !== undefined && iv !== undefined) {
    const st = stridesOf(sd)
    const qs = staticDims(q)
    const qst = qs === undefined ? [] : stridesOf(qs)
    el = moveElements(elementsOf(data), q, (idx) => {
      const qi = idx.reduce((f, v, k) => f + v * qst[k]!, 0)
      return idx.reduce((f, v, k) => f + (k === axis ? iv[qi]! : v) * st[k]!, 0)
    })
  }
  return [result(data.dtype, q, el)]
})

const GatherND = movement((ctx) => {
  const data = ctx.tensor(0)
  const indices = ctx.tensor(1)
  const dims = dimsOf(ctx, data)
  const q = dimsOf(ctx, indices, 'indices')
  const b = ctx.opset >= 12 ? ctx.attrInt('batch_dims', 0) : 0
  const last = q[q.length - 1]
  if (last === undefined) return ctx.fail('indices must have rank ≥ 1')
  if (!isStaticDim(last)) return [{ kind: 'tensor', dtype: data.dtype, dims: undefined }]
  if (b + last > dims.length) ctx.fail(`indices.shape[-1] = ${last} is too large for data of rank ${dims.length} with batch_dims ${b}`)
  const out = [...q.slice(0, -1), ...dims.slice(b + last)]
  const sd = staticDims(dims)
  const qs = staticDims(q)
  let el: Elements = {}
  const iv = indices.value
  if (sd !== undefined && qs !== undefined && iv !== undefined && iv.every((v): v is number => typeof v === 'number')) {
    const st = stridesOf(sd)
    const qst = stridesOf(qs)
    const outer = q.length - 1
    el = moveElements(elementsOf(data), out, (idx) => {
      let f = 0
      for (let k = 0; k < b; k++) f += idx[k]! * st[k]!
      let base = 0
      for (let k = 0; k < outer; k++) base += idx[k]! * qst[k]!
      for (let k = 0; k < last; k++) {
        const size = sd[b + k]!
        const i = iv[base + k]!
        f += (i < 0 ? i + size : i) * st[b + k]!
      }
      for (let k = outer; k < idx.length; k++) f += idx[k]! * st[b + last + k - outer]!
      return f
    })
  }
  return [result(data.dtype, out, el)]
})

/** Scatter ops: the output is the data; a reduction (add/mul/max/min) costs one operation per update element. */
function scatter(updatesIndex: number): OpRule {
  return {
    formula: 'FLOPs = 0 with reduction none (data movement); with add/mul/max/min, 1 per update element',
    infer(ctx) {
      const data = ctx.tensor(0)
      return [{ kind: 'tensor', dtype: data.dtype, dims: data.dims }]
    },
    cost(ctx) {
      if (ctx.attrString('reduction', 'none') === 'none') return ZERO_COST
      return { macs: 0, flops: numel(ctx.tensor(updatesIndex).dims) ?? 0 }
    },
  }
}

const TensorScatter = movement((ctx) => {
  const past = ctx.tensor(0)
  const update = ctx.tensor(1)
  const dims = dimsOf(ctx, past)
  const u = dimsOf(ctx, update, 'update')
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', -2), dims.length)
  if (axis === 0) ctx.fail('axis cannot be 0 (the batch dimension)')
  if (u.length !== dims.length) ctx.fail(`update has rank ${u.length}, past_cache rank ${dims.length}`)
  u.forEach((d, i) => {
    const p = dims[i]!
    if (i !== axis && isStaticDim(d) && isStaticDim(p) && d !== p) ctx.fail(`update dim ${i} is ${d}, past_cache has ${p}`)
    if (i === axis && isStaticDim(d) && isStaticDim(p) && d > p) ctx.fail(`the update is longer (${d}) than the cache (${p})`)
  })
  return [{ kind: 'tensor', dtype: past.dtype, dims }]
})

const ReverseSequence = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  if (dims.length < 2) ctx.fail(`the input must have rank ≥ 2, not ${dims.length}`)
  return [{ kind: 'tensor', dtype: x.dtype, dims }]
})

/** Gather, GatherElements, GatherND, Scatter, ScatterElements, ScatterND, TensorScatter, ReverseSequence. */
export const TENSOR_INDEX_RULES: OpRuleTable = {
  Gather, GatherElements, GatherND, Scatter: scatter(2), ScatterElements: scatter(2), ScatterND: scatter(2), TensorScatter,
  ReverseSequence,
}
