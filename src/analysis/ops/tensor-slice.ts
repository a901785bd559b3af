/**
 * Cutting and joining along axes: Concat, Split, Slice, Pad, CenterCropPad (0 FLOPs, values propagated).
 */
import { dimAdd, dimCeilDiv, dimFloorDiv, dimMul, dimSub, dimSum, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable, Scalar, TensorType } from '../types.js'
import { dimsOf, normalizeAxis, ZERO_COST } from './_helpers.js'
import {
  BIG_END, dimDivExact, elementsOf, hasInput, intsAttrOrInput, moveElements, result, scalarValue, staticDims, stridesOf,
  type Elements,
} from './_tensor-utils.js'

const MOVE = 'data movement: 0 FLOPs'

function movement(infer: OpRule['infer']): OpRule {
  return { formula: MOVE, infer, cost: () => ZERO_COST }
}

function numbers(ctx: OpContext, v: readonly Scalar[], what: string): number[] {
  return v.map((x) => (typeof x === 'number' ? x : ctx.fail(`${what} must be known numbers`, v)))
}

const Concat = movement((ctx) => {
  const ins = ctx.inputs.map((_, i) => ctx.tensor(i))
  const first = ins[0] ?? ctx.fail('Concat needs at least one input')
  const ranked = ins.filter((t) => t.dims !== undefined)
  const ref = ranked[0]?.dims
  if (ref === undefined) return [{ kind: 'tensor', dtype: first.dtype, dims: undefined }]
  const rank = ref.length
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', ctx.opset < 4 ? 1 : undefined), rank)
  for (const t of ranked) {
    if (t.dims!.length !== rank) ctx.fail(`inputs have different ranks (${rank} and ${t.dims!.length})`)
  }
  const out: Dim[] = ref.map((d, i) => {
    if (i === axis) return ranked.length === ins.length ? dimSum(ins.map((t) => t.dims![i]!)) : ctx.freshDim('axis')
    // prefer a known size: all inputs must agree outside the axis
    const known = ranked.map((t) => t.dims![i]!).find(isStaticDim)
    for (const t of ranked) {
      const e = t.dims![i]!
      if (known !== undefined && isStaticDim(e) && e !== known) ctx.fail(`inputs differ in dim ${i} (${known} and ${e})`)
    }
    return known ?? d
  })
  return [result(first.dtype, out, concatElements(ins, axis, out))]
})

function concatElements(ins: readonly TensorType[], axis: number, out: readonly Dim[]): Elements {
  const dims = ins.map((t) => staticDims(t.dims))
  if (dims.some((d) => d === undefined)) return {}
  const all = (key: 'value' | 'strings'): unknown[] | undefined =>
    ins.every((t) => t[key] !== undefined) ? ins.flatMap((t) => [...(t[key] ?? [])]) : undefined
  const src: Elements = { value: all('value') as Scalar[] | undefined, strings: all('strings') as string[] | undefined }
  const bases: number[] = []
  let b = 0
  for (const t of ins) {
    bases.push(b)
    b += (t.value ?? t.strings ?? []).length
  }
  const strides = dims.map((d) => stridesOf(d!))
  return moveElements(src, out, (idx) => {
    let a = idx[axis]!
    let j = 0
    while (a >= dims[j]![axis]!) {
      a -= dims[j]![axis]!
      j++
    }
    const st = strides[j]!
    return bases[j]! + idx.reduce((f, v, k) => f + (k === axis ? a : v) * st[k]!, 0)
  })
}

/** Elements of `x` between `start` and `start + len` along `axis` (static dims). */
function sliceAlong(x: TensorType, axis: number, start: number, outDims: readonly Dim[]): Elements {
  const sd = staticDims(x.dims)
  if (sd === undefined) return {}
  const st = stridesOf(sd)
  return moveElements(elementsOf(x), outDims, (idx) => idx.reduce((f, v, k) => f + (k === axis ? v + start : v) * st[k]!, 0))
}

const Split = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const axis = normalizeAxis(ctx, ctx.attrInt('axis', 0), dims.length)
  const d = dims[axis]!
  const n = ctx.node.outputs.length
  let sizes: Dim[] | undefined
  const splitInput = ctx.opset >= 13 || (ctx.opset < 2 && hasInput(ctx, 1))
  const given = splitInput ? ctx.optionalTensor(1) : undefined
  if (given !== undefined) {
    sizes = given.value === undefined ? Array.from({ length: n }, (_, i) => ctx.freshDim(`split${i}`)) : [...given.value]
  } else if (!splitInput && ctx.hasAttr('split')) {
    sizes = [...ctx.attrInts('split')]
  } else if (ctx.opset >= 18 && ctx.hasAttr('num_outputs')) {
    const k = ctx.attrInt('num_outputs')
    if (k !== n) ctx.fail(`num_outputs is ${k} but the node has ${n} outputs`, k)
    // chunks of ceil(d/k), the last one smaller
    const chunk = dimCeilDiv(d, k)
    const rest = dimSub(d, dimMul(chunk, k - 1))
    if (isStaticDim(rest) && rest < 0) ctx.fail(`dim ${String(d)} cannot be split into ${k} chunks of ${String(chunk)}`, d)
    sizes = Array.from({ length: k }, (_, i) => (i < k - 1 ? chunk : rest))
  } else {
    const q = dimDivExact(d, n)
    if (q === undefined && isStaticDim(d)) ctx.fail(`dim ${d} cannot be split into ${n} equal parts`, d)
    sizes = Array.from({ length: n }, () => q ?? dimFloorDiv(d, n))
  }
  if (sizes.length !== n) ctx.fail(`split has ${sizes.length} entries for ${n} outputs`, sizes)
  const total = dimSum(sizes)
  if (isStaticDim(total) && isStaticDim(d) && total !== d) ctx.fail(`split sizes sum to ${total}, not to the dim ${d}`, sizes)
  let start = 0
  return sizes.map((s) => {
    const out = dims.map((e, i) => (i === axis ? s : e))
    const el = typeof s === 'number' ? sliceAlong(x, axis, start, out) : {}
    start += typeof s === 'number' ? s : 0
    return result(x.dtype, out, el)
  })
})

/** Output length (and the static start for value propagation) of one sliced axis. */
function sliceAxis(d: Dim, start: Scalar, end: Scalar, step: number): { len: Dim; first?: number } {
  if (isStaticDim(d) && typeof start === 'number' && typeof end === 'number') {
    let s = start < 0 ? start + d : start
    let e = end < 0 ? end + d : end
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d)
      e = Math.min(Math.max(e, 0), d)
      return { len: Math.max(0, Math.ceil((e - s) / step)), first: s }
    }
    s = Math.min(Math.max(s, 0), d - 1)
    e = Math.min(Math.max(e, -1), d - 1)
    return { len: Math.max(0, Math.ceil((s - e) / -step)), first: s }
  }
  // a symbolic dim or bound: assume the symbol is large enough that the static bounds do not clamp
  const resolve = (v: Scalar, big: Dim, small: Dim): Dim => {
    if (typeof v !== 'number') return v
    if (v >= BIG_END) return big
    if (v <= -BIG_END) return small
    return v < 0 ? dimAdd(d, v) : v
  }
  if (step > 0) {
    const s = resolve(start, d, 0)
    const e = resolve(end, d, 0)
    const len = step === 1 ? dimSub(e, s) : dimCeilDiv(dimSub(e, s), step)
    return { len: typeof len === 'number' ? Math.max(0, len) : len }
  }
  const s = resolve(start, dimSub(d, 1), -1)
  const e = resolve(end, dimSub(d, 1), -1)
  const len = step === -1 ? dimSub(s, e) : dimCeilDiv(dimSub(s, e), -step)
  return { len: typeof len === 'number' ? Math.max(0, len) : len }
}

const Slice = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const legacy = ctx.opset < 10
  const starts = legacy ? ctx.attrInts('starts') : ctx.tensor(1).value
  const ends = legacy ? ctx.attrInts('ends') : ctx.tensor(2).value
  const axesV = legacy ? (ctx.hasAttr('axes') ? ctx.attrInts('axes') : undefined) : ctx.optionalTensor(3)?.value
  const axesGiven = legacy ? ctx.hasAttr('axes') : hasInput(ctx, 3)
  const stepsV = legacy ? undefined : ctx.optionalTensor(4)?.value
  const stepsGiven = !legacy && hasInput(ctx, 4)
  if (starts === undefined || ends === undefined || (axesGiven && axesV === undefined) || (stepsGiven && stepsV === undefined)) {
    // bounds unknown: the rank is kept, the sliced axes (all, when the axes are unknown) get fresh sizes
    const axes = axesV === undefined ? undefined : new Set(numbers(ctx, axesV, 'axes').map((a) => normalizeAxis(ctx, a, dims.length)))
    return [{ kind: 'tensor', dtype: x.dtype, dims: dims.map((d, i) => (axes === undefined || axes.has(i) ? ctx.freshDim(`dim${i}`) : d)) }]
  }
  if (starts.length !== ends.length) ctx.fail(`starts and ends have different lengths`, [starts, ends])
  const axes = axesV === undefined ? starts.map((_, i) => i) : numbers(ctx, axesV, 'axes').map((a) => normalizeAxis(ctx, a, dims.length))
  const steps = stepsV === undefined ? starts.map(() => 1) : numbers(ctx, stepsV, 'steps')
  if (axes.length !== starts.length || steps.length !== starts.length) ctx.fail('starts, ends, axes and steps must have the same length')
  const out = [...dims]
  const firsts = dims.map((): number | undefined => 0)
  const stepOf = dims.map(() => 1)
  axes.forEach((a, i) => {
    const step = steps[i]!
    if (step === 0) ctx.fail('a slice step is 0')
    const r = sliceAxis(dims[a]!, starts[i]!, ends[i]!, step)
    out[a] = r.len
    firsts[a] = r.first
    stepOf[a] = step
  })
  const sd = staticDims(dims)
  let el: Elements = {}
  if (sd !== undefined && firsts.every((f) => f !== undefined)) {
    const st = stridesOf(sd)
    el = moveElements(elementsOf(x), out, (idx) => idx.reduce((f, v, k) => f + (firsts[k]! + v * stepOf[k]!) * st[k]!, 0))
  }
  return [result(x.dtype, out, el)]
})

const Pad = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const r = dims.length
  let pads: readonly Scalar[] | undefined
  let axes: number[] = dims.map((_, i) => i)
  if (ctx.opset < 11) {
    pads = ctx.opset < 2 ? ctx.attrInts('paddings') : ctx.attrInts('pads')
  } else {
    pads = ctx.tensor(1).value
    if (ctx.opset >= 18 && hasInput(ctx, 3)) {
      const av = ctx.tensor(3).value
      if (av === undefined) return [{ kind: 'tensor', dtype: x.dtype, dims: dims.map((_, i) => ctx.freshDim(`dim${i}`)) }]
      axes = numbers(ctx, av, 'axes').map((a) => normalizeAxis(ctx, a, r))
    }
  }
  if (pads === undefined) {
    const touched = new Set(axes)
    return [{ kind: 'tensor', dtype: x.dtype, dims: dims.map((d, i) => (touched.has(i) ? ctx.freshDim(`dim${i}`) : d)) }]
  }
  const k = axes.length
  if (pads.length !== 2 * k) ctx.fail(`pads has ${pads.length} entries, expected ${2 * k}`, pads)
  const out = [...dims]
  const before = dims.map((): Scalar => 0)
  axes.forEach((a, i) => {
    out[a] = dimAdd(dimAdd(dims[a]!, pads[i]!), pads[i + k]!)
    before[a] = pads[i]!
    if (isStaticDim(out[a]) && out[a] < 0) ctx.fail(`padding makes dim ${a} negative`, pads)
  })
  const mode = ctx.attrString('mode', 'constant')
  const sd = staticDims(dims)
  let el: Elements = {}
  if (mode === 'constant' && sd !== undefined && before.every((b) => typeof b === 'number')) {
    const fill = ctx.opset < 11 ? ctx.attrFloat('value', 0) : (scalarValue(ctx.optionalTensor(2)) ?? 0)
    const st = stridesOf(sd)
    el = moveElements(elementsOf(x), out, (idx) => {
      let f = 0
      for (let j = 0; j < idx.length; j++) {
        const p = idx[j]! - (before[j] as number)
        if (p < 0 || p >= sd[j]!) return -1
        f += p * st[j]!
      }
      return f
    }, { value: fill, string: '' })
  }
  return [result(x.dtype, out, el)]
})

const CenterCropPad = movement((ctx) => {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const axes = ctx.attrInts('axes', dims.map((_, i) => i)).map((a) => normalizeAxis(ctx, a, dims.length))
  const shape = ctx.tensor(1).value
  if (shape !== undefined && shape.length !== axes.length) ctx.fail(`shape has ${shape.length} entries for ${axes.length} axes`, shape)
  const out = [...dims]
  axes.forEach((a, i) => {
    out[a] = shape?.[i] ?? ctx.freshDim(`dim${a}`)
  })
  return [{ kind: 'tensor', dtype: x.dtype, dims: out }]
})

/** Concat, Split, Slice, Pad, CenterCropPad. */
export const TENSOR_SLICE_RULES: OpRuleTable = { Concat, Split, Slice, Pad, CenterCropPad }
